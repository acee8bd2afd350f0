package io.slurmgateway.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.PipesPayloads;
import io.slurmgateway.support.SharedLocalGatewayTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A local run with a Pipes context: a real Python payload decodes both bootstrap variables the way dagster_pipes does
 * (base64, zlib, JSON) and finds its context and the messages file in its run directory.
 */
class PipesContextInjectionTest extends SharedLocalGatewayTest {

    @Test
    void theJobFindsItsContextAndItsMessagesFile() {
        String id = client.createRun(
                """
                {"asset": "analytics/orders", "payload": {"script": "%s"},
                 "dagster": {"runId": "dagster-run-7", "pipesContext": {"partition_key": "2026-11-28", "extras": {"k": "v"}}}}
                """
                        .formatted(PipesPayloads.CONTEXT_READER));

        client.awaitState(id, "COMPLETED");
        Path runDirectory = home().resolve("runs").resolve(id);
        assertThat(client.log(id, "stdout"))
                .isEqualTo("dagster-run-7 2026-11-28 ['analytics/orders'] {'k': 'v'} 0\n" + runDirectory
                        + "/messages.jsonl False\n");
    }

    @Test
    void aRunWithoutAContextIsNoPipesProcess() {
        String id = client.createRun(
                """
                {"asset": "analytics/orders", "payload": {"script": "%s"}}
                """
                        .formatted(PipesPayloads.CONTEXT_READER));

        client.awaitState(id, "COMPLETED");
        assertThat(client.log(id, "stdout")).isEqualTo("not a pipes process False\n");
    }

    @Test
    void anOversizedContextIsRefused() {
        String big = "x".repeat(40_000);
        var response = client.post(
                "/api/v1/runs",
                """
                {"asset": "a/b", "payload": {"script": "true"}, "dagster": {"pipesContext": {"extras": {"big": "%s"}}}}
                """
                        .formatted(big),
                java.util.Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("dagster.pipesContext");
    }
}
