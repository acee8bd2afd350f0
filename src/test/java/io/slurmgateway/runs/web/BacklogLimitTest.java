package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.TestClusters;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code gateway.runs.max-backlog} over real HTTP: past it a create is 429 with {@code Retry-After} and creates
 * nothing, while a repeat with a known Idempotency-Key still answers with its run. Nothing executes here, so accepted
 * runs stay accepted.
 */
class BacklogLimitTest extends GatewayTestBase {

    private static final String RUN = "{\"asset\": \"demo/%s\", \"mode\": \"slurm\", \"cluster\": \"hpc\","
            + " \"payload\": {\"script\": \"echo hi\"}}";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path home = isolate(registry, "backlog");
        registry.add("gateway.execution.enabled", () -> "false");
        TestClusters.unreachable(registry, "hpc", home);
        registry.add("gateway.runs.max-backlog", () -> "2");
        registry.add("gateway.runs.backlog-retry-after", () -> "7s");
    }

    @Test
    void aFullBacklogRefusesNewRunsButAnswersRepeatsAndTakesRunsAgainOnceOneLeaves() {
        HttpResponse<String> first = client.post("/api/v1/runs", RUN.formatted("a"), Map.of("Idempotency-Key", "k-a"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String firstId = client.json(first).get("id").asString();
        assertThat(client.post("/api/v1/runs", RUN.formatted("b"), Map.of()).statusCode())
                .isEqualTo(202);

        HttpResponse<String> refused =
                client.post("/api/v1/runs", RUN.formatted("c"), Map.of("Idempotency-Key", "k-c"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(client.json(refused).get("type").asString())
                .isEqualTo("urn:slurm-gateway:problem:too-many-requests");
        assertThat(client.json(refused).get("detail").asString()).contains("gateway.runs.max-backlog");
        assertThat(client.json(client.get("/api/v1/runs?asset=demo/c")).get("items"))
                .isEmpty();

        HttpResponse<String> repeat = client.post("/api/v1/runs", RUN.formatted("a"), Map.of("Idempotency-Key", "k-a"));
        assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(200);
        assertThat(client.json(repeat).get("id").asString()).isEqualTo(firstId);

        assertThat(client.send("POST", "/api/v1/runs/" + firstId + "/cancel", "", Map.of())
                        .statusCode())
                .isEqualTo(202);
        assertThat(client.post("/api/v1/runs", RUN.formatted("c"), Map.of("Idempotency-Key", "k-c"))
                        .statusCode())
                .isEqualTo(202);
    }
}
