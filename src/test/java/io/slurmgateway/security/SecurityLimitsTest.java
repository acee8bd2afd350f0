package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.TestClusters;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Per-principal limits over real HTTP: the request rate (Bucket4j), the runs that have not ended, and the open event
 * streams. Each answers 429 with {@code Retry-After}, and one principal's limit never holds up another. The refill is
 * one request a minute, so a slow machine cannot refill a bucket between two requests of a test.
 */
class SecurityLimitsTest extends GatewayTestBase {

    private static final Map<String, String> TOKENS = new HashMap<>();
    private static final String RUN =
            "{\"asset\": \"demo/a\", \"mode\": \"slurm\", \"cluster\": \"hpc\", \"payload\": {\"script\": \"echo hi\"}}";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path home = isolate(registry, "security-limits");
        registry.add("gateway.execution.enabled", () -> "false");
        TestClusters.unreachable(registry, "hpc", home);
        for (String name : new String[] {"flood", "calm", "runner", "watcher"}) {
            String token = "sgw_test_" + name + "_" + System.nanoTime();
            TOKENS.put(name, token);
            registry.add("gateway.security.tokens." + name + ".sha256", () -> ApiTokens.digestOf(token));
            registry.add("gateway.security.tokens." + name + ".roles", () -> "submitter");
        }
        registry.add("gateway.security.limits.requests-per-minute", () -> "1");
        registry.add("gateway.security.limits.burst", () -> "8");
        registry.add("gateway.security.limits.max-active-runs", () -> "2");
        registry.add("gateway.security.limits.max-streams", () -> "1");
    }

    @Test
    void aPrincipalPastItsRequestRateIsToldToRetryAndOthersAreNotHeldUp() {
        for (int i = 0; i < 8; i++) {
            assertThat(client.get("/api/v1/runs", auth("flood")).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = client.get("/api/v1/runs", auth("flood"));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(client.json(refused).get("type").asString())
                .isEqualTo("urn:slurm-gateway:problem:too-many-requests");
        assertThat(client.get("/api/v1/runs", auth("calm")).statusCode()).isEqualTo(200);
    }

    @Test
    void aPrincipalAtItsActiveRunLimitCreatesAgainOnceOneHasEnded() {
        String first = created();
        created();
        HttpResponse<String> refused = client.post("/api/v1/runs", RUN, auth("runner"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(client.json(refused).get("detail").asString()).contains("max-active-runs");

        assertThat(client.send("POST", "/api/v1/runs/" + first + "/cancel", "", auth("runner"))
                        .statusCode())
                .isEqualTo(202);
        assertThat(client.post("/api/v1/runs", RUN, auth("runner")).statusCode())
                .isEqualTo(202);
    }

    @Test
    void aPrincipalMayHoldOnlyItsShareOfEventStreams() throws Exception {
        HttpResponse<String> run = client.post("/api/v1/runs", RUN, auth("watcher"));
        String id = client.json(run).get("id").asString();
        HttpRequest follow = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TOKENS.get("watcher"))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> open = http.sendAsync(follow, HttpResponse.BodyHandlers.ofInputStream())
                .get(30, TimeUnit.SECONDS);
        try (InputStream stream = open.body()) {
            assertThat(open.statusCode()).isEqualTo(200); // the run never ends here: the stream stays open

            HttpResponse<String> second = http.send(follow, HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
            assertThat(second.body()).contains("max-streams");
        }
    }

    private String created() {
        HttpResponse<String> response = client.post("/api/v1/runs", RUN, auth("runner"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return client.json(response).get("id").asString();
    }

    private static Map<String, String> auth(String principal) {
        return Map.of("Authorization", "Bearer " + TOKENS.get(principal), "Content-Type", "application/json");
    }
}
