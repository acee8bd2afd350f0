package io.slurmgateway.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.SlurmGatewayApplication;
import io.slurmgateway.support.GatewayClient;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code json-logs} profile, in a real gateway process started as an operator would (without the tests' own
 * logging configuration): every line is a JSON object, and lines logged by background work carry the run's id.
 */
class JsonLoggingTest {

    @Test
    void withTheProfileEveryLineIsJsonAndBackgroundLinesCarryTheRunId() throws Exception {
        Path home = Files.createTempDirectory("gateway-json-logs-");
        Path log = home.resolve("gateway.log");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")) // the tests' logback-test.xml is not the product's
                .collect(Collectors.joining(File.pathSeparator));
        Process gateway = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classpath,
                        SlurmGatewayApplication.class.getName(),
                        "--spring.profiles.active=json-logs",
                        "--server.port=" + port,
                        "--spring.datasource.url=jdbc:h2:file:" + home.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE",
                        "--gateway.execution.work-dir=" + home.resolve("runs"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            GatewayClient client = new GatewayClient(port);
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> client.get("/actuator/health").statusCode() == 200);
            String id = client.createRun("{\"asset\": \"logs/json\", \"payload\": {\"script\": \"echo hi\"}}");
            client.awaitState(id, "COMPLETED");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(log).contains("\"runId\":\"" + id));
            List<String> lines = Files.readAllLines(log);
            List<JsonNode> parsed =
                    lines.stream().map(JsonMapper.shared()::readTree).toList(); // each line is JSON
            JsonNode started = parsed.stream()
                    .filter(line -> line.path("message").asString("").startsWith("run " + id + " started as process"))
                    .findFirst()
                    .orElseThrow();
            assertThat(started.get("runId").asString()).isEqualTo(id);
            assertThat(started.get("log").get("level").asString()).isEqualTo("INFO");
            assertThat(started.get("@timestamp").asString()).isNotBlank();
        } finally {
            gateway.destroy();
            gateway.waitFor();
        }
    }
}
