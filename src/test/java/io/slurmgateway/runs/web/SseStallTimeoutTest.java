package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.StalledSseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A client that takes nothing of what waits for it loses its stream after the stall timeout, and only then. */
class SseStallTimeoutTest extends GatewayTestBase {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);

    private static Path home;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "sse-stall-timeout");
        registry.add("gateway.api.stream-buffer", () -> "256KB");
        registry.add("gateway.api.stream-stall-timeout", () -> STALL_TIMEOUT.toMillis() + "ms");
    }

    @Test
    void aClientThatTakesNothingIsDroppedAfterTheStallTimeout() throws Exception {
        Path go = home.resolve("go");
        String id = client.createRun(SseStalledClientsTest.runWaitingFor(go));
        long opened = System.nanoTime();
        try (StalledSseClient stalled = new StalledSseClient(port, "/api/v1/runs/" + id + "/logs/stdout")) {
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> meters.get("gateway.streams.dropped").counter().count() == 1);

            // the client blocked after it connected, so the stall timeout cannot have passed before this
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(STALL_TIMEOUT);
            assertThat(meters.get("gateway.streams.open").gauge().value()).isZero();
            assertThat(client.run(id).get("state").asString())
                    .as("the run goes on: only its follower was dropped")
                    .isEqualTo("RUNNING");
            String received = stalled.readToEnd(Duration.ofSeconds(30));
            assertThat(received).startsWith("HTTP/1.1 200").contains("\ndata:{\"offset\":0,");
        }
        Files.createFile(go);
        client.awaitState(id, "COMPLETED");
    }
}
