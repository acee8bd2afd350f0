package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A whole gateway whose cluster takes two active runs at most. Its login node never answers and a failed submission
 * is retried only after an hour, so the two runs it claims stay STAGING (active) and hold the others back: that is
 * enough to see the cap and the reason over HTTP without a cluster. The rig test shows runs flowing through.
 */
class BackpressureGatewayTest extends GatewayTestBase {

    private static final String REASON =
            "waiting: cluster 'hpc' is at its limit of 2 active runs (backpressure.max-active-runs)";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path home = isolate(registry, "cluster-backpressure");
        TestClusters.unreachable(registry, "hpc", home);
        registry.add("gateway.clusters.hpc.poll-interval", () -> "100ms");
        registry.add("gateway.clusters.hpc.submit-retry-backoff", () -> "1h");
        registry.add("gateway.clusters.hpc.backpressure.max-active-runs", () -> "2");
    }

    @Test
    void runsPastTheCapWaitInAcceptedSayingWhyUntilAPlaceFrees() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(client.createRun("{\"asset\": \"demo/held" + i + "\", \"mode\": \"slurm\", \"cluster\": \"hpc\","
                    + " \"payload\": {\"script\": \"echo hi\"}}"));
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream()
                        .allMatch(id -> !client.run(id).get("reason").isNull()));

        assertThat(ids.subList(0, 2)).allSatisfy(id -> assertThat(state(id)).isEqualTo("STAGING"));
        for (String waiting : ids.subList(2, 4)) {
            JsonNode run = client.run(waiting);
            assertThat(run.get("state").asString()).isEqualTo("ACCEPTED");
            assertThat(run.get("reason").asString()).isEqualTo(REASON);
            assertThat(notes(waiting)).containsExactly(REASON);
        }
        assertThat(client.get("/actuator/prometheus").body())
                .contains("gateway_runs_held_back_total{cluster=\"hpc\",limit=\"max-active-runs\"} 2.0");

        assertThat(client.send("POST", "/api/v1/runs/" + ids.get(0) + "/cancel", "", Map.of())
                        .statusCode())
                .isEqualTo(202);

        JsonNode moved = client.awaitState(ids.get(2), "STAGING");
        assertThat(moved.get("reason").asString()).isEqualTo("staging");
        assertThat(state(ids.get(1))).isEqualTo("STAGING");
        assertThat(state(ids.get(3))).isEqualTo("ACCEPTED");
        assertThat(notes(ids.get(3))).containsExactly(REASON); // still the one note of when it started waiting
    }

    private String state(String id) {
        return client.run(id).get("state").asString();
    }

    private List<String> notes(String id) {
        List<String> notes = new ArrayList<>();
        for (JsonNode event : client.json(client.get("/api/v1/runs/" + id + "/events"))) {
            if (event.get("type").asString().equals("LOG")) {
                notes.add(event.get("data").get("message").asString());
            }
        }
        return notes;
    }
}
