package io.slurmgateway.clusters.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A cluster whose login node does not answer: the gateway starts anyway, says the cluster is DOWN and why, stays live
 * and ready, and a run sent there ends SUBMIT_FAILED after its attempts instead of waiting forever.
 */
class UnreachableClusterTest extends GatewayTestBase {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path home = isolate(registry, "unreachable");
        Path file = TestFiles.ownerOnly(home.resolve("placeholder"), "never read: nothing answers");
        registry.add("gateway.clusters.down.host", () -> "127.0.0.1");
        registry.add("gateway.clusters.down.port", UnreachableClusterTest::closedPort);
        registry.add("gateway.clusters.down.user", () -> "nobody");
        registry.add("gateway.clusters.down.private-key", file::toString);
        registry.add("gateway.clusters.down.known-hosts", file::toString);
        registry.add("gateway.clusters.down.reconnect-backoff", () -> "50ms");
        registry.add("gateway.clusters.down.max-reconnect-backoff", () -> "100ms");
        registry.add("gateway.clusters.down.submit-attempts", () -> "3");
        registry.add("gateway.clusters.down.submit-retry-backoff", () -> "100ms");
        registry.add("gateway.clusters.down.poll-interval", () -> "100ms");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // free once closed: nothing listens there
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Test
    void theClusterIsReportedDownWithTheReasonWhileTheGatewayStaysReady() {
        JsonNode clusters = client.json(client.get("/api/v1/clusters"));
        assertThat(clusters).hasSize(1);
        JsonNode down = clusters.get(0);
        assertThat(down.get("name").asString()).isEqualTo("down");
        assertThat(down.get("health").asString()).isEqualTo("DOWN");
        assertThat(down.get("partitions").isNull()).isTrue();
        assertThat(down.get("lastError").asString()).contains("Connection refused");

        var health = client.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200); // the gateway still serves its API and the other clusters
        assertThat(client.json(health).get("status").asString()).isEqualTo("DEGRADED");
        // each cluster's status shows without details (those need management.endpoint.health.show-details)
        assertThat(client.json(health)
                        .at("/components/clusters/components/down/status")
                        .asString())
                .isEqualTo("DEGRADED");
        assertThat(client.json(health)
                        .at("/components/clusters/components/down/details")
                        .isMissingNode())
                .isTrue();
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void aRunForItEndsSubmitFailedAfterItsAttempts() {
        String id = client.createRun(
                """
                {"asset": "demo/unreachable", "mode": "slurm", "payload": {"script": "true"}}
                """);
        JsonNode run = client.awaitState(id, "SUBMIT_FAILED", Duration.ofSeconds(30));
        assertThat(run.get("cluster").asString()).isEqualTo("down");
        assertThat(run.get("reason").asString())
                .startsWith("submission failed 3 times, last: ")
                .contains("Connection refused");
        assertThat(run.get("slurmJobId").isNull()).isTrue();
    }
}
