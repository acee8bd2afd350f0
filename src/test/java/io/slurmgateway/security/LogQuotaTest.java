package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The cap on the run output one principal stores, with real local runs over real HTTP: past it a run's output stays in
 * its directory only, the run says so, and other principals are not affected.
 */
class LogQuotaTest extends GatewayTestBase {

    private static final String ALICE = "sgw_log_quota_alice_" + System.nanoTime();
    private static final String BOB = "sgw_log_quota_bob_" + System.nanoTime();
    private static final String CHATTY = "{\"asset\": \"demo/chatty\", \"payload\": {\"script\":"
            + " \"head -c 3000 /dev/zero | tr '\\\\\\\\0' x\"}}";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "log-quota");
        registry.add("gateway.security.tokens.alice.sha256", () -> ApiTokens.digestOf(ALICE));
        registry.add("gateway.security.tokens.alice.roles", () -> "submitter,local");
        registry.add("gateway.security.tokens.bob.sha256", () -> ApiTokens.digestOf(BOB));
        registry.add("gateway.security.tokens.bob.roles", () -> "submitter,local");
        registry.add("gateway.security.limits.max-log-bytes", () -> "4KB");
    }

    @Test
    void aPrincipalPastItsStoredOutputKeepsTheRestInTheRunDirectoryOnly() {
        String first = completed(ALICE);
        assertThat(log(ALICE, first)).hasSize(3000);

        String second = completed(ALICE);
        assertThat(log(ALICE, second)).hasSize(1096); // 4 KiB in all
        JsonNode events = client.json(client.get("/api/v1/runs/" + second + "/events", auth(ALICE)));
        assertThat(events.toString())
                .contains("stdout stopped at 1096 bytes: 'alice' has stored gateway.security.limits.max-log-bytes");

        String third = completed(ALICE);
        assertThat(log(ALICE, third)).isEmpty();

        String bobs = completed(BOB);
        assertThat(log(BOB, bobs)).hasSize(3000);
    }

    private String completed(String token) {
        HttpResponse<String> created = client.post("/api/v1/runs", CHATTY, auth(token));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = client.json(created).get("id").asString();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> "COMPLETED"
                        .equals(client.json(client.get("/api/v1/runs/" + id, auth(token)))
                                .get("state")
                                .asString()));
        return id;
    }

    private String log(String token, String id) {
        return client.get("/api/v1/runs/" + id + "/logs/stdout", auth(token)).body();
    }

    private static Map<String, String> auth(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
