package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.StalledSseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two clients that stop reading a run's log hold up neither each other nor a third client: it follows the same log and
 * the run's events to their ends while the two stay stalled. The stall timeout (and Tomcat's own) is far away here,
 * so nothing but non-blocking writes can explain the third client's progress.
 */
class SseStalledClientsTest extends GatewayTestBase {

    /** 160,000 lines of 100 bytes, then the line the run writes once the test lets it end. */
    static final String SCRIPT =
            """
            #!/bin/bash
            yes $(printf 'x%.0s' {1..99}) | head -n 160000
            while [ ! -e "$1" ]; do sleep 0.1; done
            echo finished
            """;

    private static Path home;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "sse-stalled");
        registry.add("gateway.api.stream-buffer", () -> "256KB");
        registry.add("gateway.api.stream-stall-timeout", () -> "1h");
        // and Tomcat's own write timeout, which would end a stalled connection first (60 s unless set)
        registry.add("server.tomcat.connection-timeout", () -> "1h");
    }

    static String expectedOutput() {
        return ("x".repeat(99) + "\n").repeat(160_000) + "finished\n";
    }

    static String runWaitingFor(Path go) {
        return JsonMapper.shared()
                .writeValueAsString(Map.of(
                        "asset", "demo/chatty", "args", List.of(go.toString()), "payload", Map.of("script", SCRIPT)));
    }

    @Test
    void twoClientsThatStopReadingDelayNoOtherClient() throws Exception {
        Path go = home.resolve("go");
        String id = client.createRun(runWaitingFor(go));
        String log = "/api/v1/runs/" + id + "/logs/stdout";
        try (StalledSseClient first = new StalledSseClient(port, log);
                StalledSseClient second = new StalledSseClient(port, log)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> gauge("gateway.streams.blocked") >= 2);
            Files.createFile(go);

            String followed = client.followedLog(id, "stdout", Map.of());
            List<String> events = client.sseData("/api/v1/runs/" + id + "/events", Map.of());

            assertThat(followed.length()).isEqualTo(expectedOutput().length());
            assertThat(followed).isEqualTo(expectedOutput());
            assertThat(client.json(events.get(events.size() - 1))
                            .get("data")
                            .get("to")
                            .asString())
                    .isEqualTo("COMPLETED");
            assertThat(gauge("gateway.streams.blocked"))
                    .as("the stalled clients still hold their streams")
                    .isEqualTo(2);
            assertThat(meters.get("gateway.streams.dropped").counter().count()).isZero();
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
