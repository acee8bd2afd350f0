package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.execution.LogStore;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job requeued on the real rig ({@code scontrol requeue}, as root): Slurm truncates its output and the second
 * attempt writes it again from the start. The stored log holds the first attempt, the marker, and the second attempt
 * in full, and the run says so in a LOG event.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigRequeueTest extends GatewayTestBase {

    private static final String FIRST =
            "attempt 0: " + "a long line, so that the file of the second attempt stays shorter ".repeat(3);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-requeue");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
    }

    @Test
    void theSecondAttemptsOutputIsStoredInFullAfterTheFirstAndAMarker() throws Exception {
        String script = String.join(
                "\n",
                "if [ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then",
                "  echo '" + FIRST + "'",
                "  sleep 300",
                "fi",
                "echo \"attempt $SLURM_RESTART_COUNT\"",
                "echo done");
        String id = client.createRun("{\"asset\": \"rig/requeue\", \"mode\": \"slurm\", \"payload\": {\"script\": "
                + new JsonMapper().writeValueAsString(script) + "}, \"resources\": {\"timeLimit\": \"10\"}}");
        JsonNode running = client.awaitState(id, "RUNNING", Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.log(id, "stdout").equals(FIRST + "\n"));

        scontrol("requeue", running.get("slurmJobId").asString());

        client.awaitState(id, "COMPLETED", Duration.ofSeconds(300));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.log(id, "stdout").endsWith("done\n"));
        assertThat(client.log(id, "stdout")).isEqualTo(FIRST + "\n" + LogStore.REQUEUE_MARKER + "attempt 1\ndone\n");
        assertThat(client.get("/api/v1/runs/" + id + "/events").body())
                .contains("the job was requeued: its stdout restarts after byte");
    }

    private static void scontrol(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "scontrol";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process scontrol = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(scontrol.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scontrol.waitFor())
                .as("scontrol %s: %s", String.join(" ", arguments), output)
                .isZero();
    }
}
