package io.slurmgateway.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.SlurmGatewayApplication;
import io.slurmgateway.support.GatewayClient;
import io.slurmgateway.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A gateway that stops and starts again on the same database and run directory: accepted runs still run, and runs
 * that were executing are adopted or ended with a clear reason, never left RUNNING.
 */
class RestartRecoveryTest {

    @TempDir
    Path home;

    private String databaseUrl;

    @BeforeEach
    void database() {
        databaseUrl = "jdbc:h2:file:" + home.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    }

    @Test
    void runAcceptedBeforeTheStopIsExecutedAfterTheRestart() {
        String id;
        try (ConfigurableApplicationContext first = gateway(false)) {
            GatewayClient client = clientOf(first);
            id = client.createRun(
                    """
                    {"asset": "demo/later", "payload": {"script": "echo after restart"}}
                    """);
            assertThat(client.run(id).get("state").asString()).isEqualTo("ACCEPTED");
        }

        try (ConfigurableApplicationContext second = gateway(true)) {
            GatewayClient client = clientOf(second);
            client.awaitState(id, "COMPLETED");
            assertThat(client.log(id, "stdout")).isEqualTo("after restart\n");
        }
    }

    @Test
    void runStillExecutingAcrossTheRestartIsAdoptedAndCompletes() throws IOException {
        String id;
        try (ConfigurableApplicationContext first = gateway(true)) {
            GatewayClient client = clientOf(first);
            id = client.createRun(
                    """
                    {"asset": "demo/long", "payload": {"script": "echo before; while [ ! -e release ]; do sleep 0.1; done; echo after; exit 4"}}
                    """);
            client.awaitState(id, "RUNNING");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.log(id, "stdout").equals("before\n"));
        }

        try (ConfigurableApplicationContext second = gateway(true)) {
            GatewayClient client = clientOf(second);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            client.get("/api/v1/runs/" + id + "/events").body().contains("adopted"));
            assertThat(client.run(id).get("state").asString()).isEqualTo("RUNNING");
            Files.createFile(home.resolve("runs").resolve(id).resolve("release"));

            JsonNode run = client.awaitState(id, "FAILED");

            assertThat(run.get("exitCode").asInt()).isEqualTo(4);
            assertThat(client.log(id, "stdout")).isEqualTo("before\nafter\n");
        }
    }

    @Test
    void whatAJobLeftRunningWhenItEndedWhileTheGatewayWasDownEndsWithIt() throws Exception {
        String id;
        try (ConfigurableApplicationContext first = gateway(true)) {
            GatewayClient client = clientOf(first);
            id = client.createRun(
                    """
                    {"asset": "demo/leaver", "payload": {"script": "sleep 301 &\\necho $! > child.pid\\nwhile [ ! -e release ]; do sleep 0.1; done"}}
                    """);
            client.awaitState(id, "RUNNING");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(home.resolve("runs").resolve(id).resolve("child.pid")));
        }
        Path directory = home.resolve("runs").resolve(id);
        long child =
                Long.parseLong(Files.readString(directory.resolve("child.pid")).trim());
        Files.createFile(directory.resolve("release")); // the job ends while no gateway runs, leaving its child
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(directory.resolve(".exit_code")));
        assertThat(Processes.isRunning(child)).isTrue();

        try (ConfigurableApplicationContext second = gateway(true)) {
            clientOf(second).awaitState(id, "COMPLETED");
            await().atMost(Duration.ofSeconds(10)).until(() -> !Processes.isRunning(child));
        }
    }

    @Test
    void runWhoseProcessDiedWhileTheGatewayWasDownEndsFailedWithAReason() throws Exception {
        String id = startSleepingRunThenStop("demo/doomed");
        Path pidFile = home.resolve("runs").resolve(id).resolve("payload.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        killProcessGroupOf(pid); // as an OOM killer or an operator would, while no gateway watches
        await().atMost(Duration.ofSeconds(10)).until(() -> !Processes.isRunning(pid));

        try (ConfigurableApplicationContext second = gateway(true)) {
            JsonNode run = clientOf(second).awaitState(id, "FAILED");
            assertThat(run.get("reason").asString()).contains("left no exit code");
        }
    }

    @Test
    void runCancelledWhileNoExecutorWatchedEndsCancelledNotFailed() throws Exception {
        String id = startSleepingRunThenStop("demo/cancelled");
        Path pidFile = home.resolve("runs").resolve(id).resolve("payload.pid");
        try (ConfigurableApplicationContext apiOnly = gateway(false)) {
            assertThat(clientOf(apiOnly)
                            .post("/api/v1/runs/" + id + "/cancel", "", java.util.Map.of())
                            .statusCode())
                    .isEqualTo(202);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        killProcessGroupOf(pid); // the stop the cancel asked for happened while no executor watched
        await().atMost(Duration.ofSeconds(10)).until(() -> !Processes.isRunning(pid));

        try (ConfigurableApplicationContext second = gateway(true)) {
            JsonNode run = clientOf(second).awaitState(id, "CANCELLED");
            assertThat(run.get("reason").asString()).isEqualTo("cancelled on request");
        }
    }

    /** Starts a run that sleeps after writing its pid to payload.pid, then stops the gateway while it runs. */
    private String startSleepingRunThenStop(String asset) {
        try (ConfigurableApplicationContext first = gateway(true)) {
            GatewayClient client = clientOf(first);
            String id = client.createRun(
                    "{\"asset\": \"" + asset + "\", \"payload\": {\"script\": \"echo $$ > payload.pid; sleep 300\"}}");
            client.awaitState(id, "RUNNING");
            Path pidFile = home.resolve("runs").resolve(id).resolve("payload.pid");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile));
            return id;
        }
    }

    private static void killProcessGroupOf(long pid) throws IOException, InterruptedException {
        new ProcessBuilder(
                        "bash",
                        "-c",
                        "kill -KILL -- -\"$(ps -o pgid= -p \"$1\" | tr -d ' ')\"",
                        "kill-group",
                        Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
    }

    private ConfigurableApplicationContext gateway(boolean executing) {
        return new SpringApplicationBuilder(SlurmGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + databaseUrl,
                        "--gateway.execution.enabled=" + executing,
                        "--gateway.execution.instance-id=restart-test",
                        "--gateway.execution.work-dir=" + home.resolve("runs"),
                        "--gateway.execution.poll-interval=100ms");
    }

    private static GatewayClient clientOf(ConfigurableApplicationContext context) {
        return new GatewayClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
