package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.PipesPayloads;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs that print a lot, on the real rig: every byte arrives in order, a log says it is complete only once the last
 * byte is stored (after the outcome, which does not wait for it), a Pipes exception still decides the outcome however
 * much the job printed before it, and a quiet job's output is not held up by chatty neighbours.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigOutputTest extends GatewayTestBase {

    private static final int LINE = 16; // "out 00000000001\n"
    private static final int STDOUT_LINES = 50 * 1024 * 1024 / LINE;
    private static final int STDERR_LINES = 5 * 1024 * 1024 / LINE;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-output");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "500ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
        registry.add("gateway.runs.max-script-size", () -> "4MB");
        registry.add("gateway.api.max-request-size", () -> "8MB");
    }

    @Test
    void aPayloadOverOneMegabyteIsStagedWholeInTheSubmittingCommand() {
        // 1.5 MB of comment, then a line that prints what the job finds in its own staged payload
        String script = "# " + "x".repeat(1536 * 1024) + "\nwc -c < payload; tail -c 40 payload | head -c 11; echo";
        String id = client.createRun(run(script, "2"));

        client.awaitState(id, "COMPLETED", Duration.ofSeconds(120));
        String lastBytes = script.substring(script.length() - 40, script.length() - 29);
        assertThat(client.log(id, "stdout"))
                .isEqualTo(script.getBytes(StandardCharsets.UTF_8).length + "\n" + lastBytes + "\n");
    }

    @Test
    void fiftyMegabytesArriveWholeAndInOrderAndTheLogIsCompleteOnlyOnceStored() {
        String id = client.createRun(run(
                "seq -f 'out %011.0f' 1 " + STDOUT_LINES + "; seq -f 'err %011.0f' 1 " + STDERR_LINES + " >&2", "5"));

        JsonNode ended = client.awaitState(id, "COMPLETED", Duration.ofSeconds(180));
        assertThat(ended.get("exitCode").asInt()).isZero();

        assertThat(readWhole(id, "stdout")).isEqualTo(expected("out", STDOUT_LINES));
        assertThat(readWhole(id, "stderr")).isEqualTo(expected("err", STDERR_LINES));
    }

    @Test
    void aPipesExceptionAfterTwentyMegabytesStillFailsTheRun() {
        String id = client.createRun(PipesPayloads.writerRun("rig/loud", "slurm", "loud", "20"));

        JsonNode failed = client.awaitState(id, "FAILED", Duration.ofSeconds(180));
        assertThat(failed.get("reason").asString())
                .contains("the payload reported an exception over Dagster Pipes")
                .contains("loud and wrong");
        String stdout = new String(readWhole(id, "stdout"), StandardCharsets.UTF_8);
        assertThat(stdout.length()).isGreaterThan(20 * 1024 * 1024);
        assertThat(stdout)
                .endsWith("\"method\": \"closed\", \"params\": {\"exception\": {\"name\": \"ValueError\","
                        + " \"message\": \"loud and wrong\", \"stack\": [], \"cause\": null, \"context\": null}}}\n");
    }

    @Test
    void aQuietJobsLinesAreNotHeldUpByChattyNeighbours() {
        // each chatty job writes about 20 MB/s until it is cancelled (at most 600 MB); the quiet one prints one line
        String chatty = "for i in $(seq 60); do head -c 10485760 /dev/zero | tr '\\0' x; echo; sleep 0.5; done";
        String first = client.createRun(run(chatty, "2"));
        String second = client.createRun(run(chatty, "2"));
        for (String id : new String[] {first, second}) {
            await().atMost(Duration.ofSeconds(120)).until(() -> storedMoreThan(id, 20 * 1024 * 1024));
        }
        String quiet = client.createRun(run("echo quiet and here; sleep 60", "2"));

        await().atMost(Duration.ofSeconds(120))
                .until(() -> client.log(quiet, "stdout").equals("quiet and here\n"));
        assertThat(client.run(first).get("state").asString())
                .as("the quiet line arrived while the chatty jobs were still printing")
                .isEqualTo("RUNNING");
        assertThat(client.run(second).get("state").asString()).isEqualTo("RUNNING");

        for (String id : new String[] {first, second, quiet}) {
            client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
        }
        for (String id : new String[] {first, second, quiet}) {
            client.awaitState(id, "CANCELLED", Duration.ofSeconds(60));
        }
    }

    private boolean storedMoreThan(String id, long bytes) {
        return client.getBytes("/api/v1/runs/" + id + "/logs/stdout?offset=" + bytes)
                        .body()
                        .length
                > 0;
    }

    /**
     * Reads a whole log through the API as a client does, from offset to offset until {@code X-Log-Complete}; checks
     * on the way that completeness is only ever claimed by the read that returns the last bytes.
     */
    private byte[] readWhole(String id, String stream) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        long offset = 0;
        while (true) {
            HttpResponse<byte[]> response =
                    client.getBytes("/api/v1/runs/" + id + "/logs/" + stream + "?offset=" + offset);
            assertThat(response.statusCode()).isEqualTo(200);
            long next = Long.parseLong(
                    response.headers().firstValue("X-Next-Offset").orElseThrow());
            boolean complete = Boolean.parseBoolean(
                    response.headers().firstValue("X-Log-Complete").orElseThrow());
            assertThat(next).isEqualTo(offset + response.body().length);
            whole.writeBytes(response.body());
            if (complete) {
                HttpResponse<byte[]> after =
                        client.getBytes("/api/v1/runs/" + id + "/logs/" + stream + "?offset=" + next);
                assertThat(after.body()).as("nothing after a complete read").isEmpty();
                return whole.toByteArray();
            }
            if (response.body().length == 0) { // the copy is still on its way: wait for more, or for the end
                long from = next;
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    HttpResponse<byte[]> probe =
                            client.getBytes("/api/v1/runs/" + id + "/logs/" + stream + "?offset=" + from);
                    return probe.body().length > 0
                            || Boolean.parseBoolean(
                                    probe.headers().firstValue("X-Log-Complete").orElseThrow());
                });
            }
            offset = next;
        }
    }

    private static byte[] expected(String prefix, int lines) {
        StringBuilder text = new StringBuilder(lines * LINE);
        for (int i = 1; i <= lines; i++) {
            text.append(prefix).append(' ').append(String.format("%011d", i)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String run(String script, String minutes) {
        return "{\"asset\": \"rig/output\", \"mode\": \"slurm\", \"payload\": {\"script\": "
                + JsonMapper.shared().writeValueAsString(script) + "}, \"resources\": {\"timeLimit\": \"" + minutes
                + "\"}}";
    }
}
