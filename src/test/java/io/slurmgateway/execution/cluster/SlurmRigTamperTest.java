package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A staged file rewritten between staging and start, on the real rig: any process of the cluster account could do it
 * (another run's job, say), and the run must fail with a reason that says so without running a line of the rewrite. A
 * first run holds both nodes so that the second waits in the queue while its payload is rewritten; the rig's login
 * node is this machine, so the test rewrites the file where the account's home is.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigTamperTest extends GatewayTestBase {

    private static final String WORK_DIR = "slurm-gateway-test/" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-tamper");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.rig.work-dir", () -> WORK_DIR);
    }

    @Test
    void aPayloadRewrittenAfterStagingFailsTheRunAndNeverRuns() throws Exception {
        String blocker = client.createRun(
                run("sleep 600", "\"partition\": \"debug\", \"nodes\": 2, \"exclusive\": true, \"timeLimit\": \"5\""));
        client.awaitState(blocker, "RUNNING", Duration.ofSeconds(120));
        String victim = client.createRun(run("echo original", "\"partition\": \"debug\", \"timeLimit\": \"2\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> client.run(victim).hasNonNull("slurmJobId"));
        assertThat(client.run(victim).get("state").asString()).isEqualTo("QUEUED"); // both nodes are taken

        Path directory = home().resolve(WORK_DIR).resolve(victim);
        Path canary = directory.resolve("canary");
        Files.writeString(directory.resolve("payload"), "touch " + canary + "\necho rewritten\n");
        client.post("/api/v1/runs/" + blocker + "/cancel", "", Map.of());

        JsonNode failed = client.awaitState(victim, "FAILED", Duration.ofSeconds(120));
        assertThat(failed.get("exitCode").asInt()).isEqualTo(97);
        assertThat(failed.get("reason").asString())
                .contains("a staged file of the run changed between staging and start");
        assertThat(client.log(victim, "stderr"))
                .contains("changed after it was staged; nothing of the run was executed");
        assertThat(client.log(victim, "stdout")).isEmpty();
        assertThat(canary).doesNotExist();
    }

    private static String run(String script, String resources) {
        return "{\"asset\": \"rig/tamper\", \"mode\": \"slurm\", \"payload\": {\"script\": \"" + script
                + "\"}, \"resources\": {" + resources + "}}";
    }

    /** The cluster account's home: the rig's login node is this machine. */
    private static Path home() throws IOException, InterruptedException {
        String user = SlurmRigAvailable.properties().getProperty("gateway.clusters.rig.user");
        Process getent = new ProcessBuilder("getent", "passwd", user).start();
        String entry = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(getent.waitFor()).isZero();
        return Path.of(entry.split(":")[5]);
    }
}
