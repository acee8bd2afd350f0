package io.slurmgateway.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.RunProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The shared cluster-launcher skeleton in local mode, driven through the API with the ray launcher and a stand-in
 * {@code ray} (src/test/resources/standin/ray). This is an orchestration check, not a Ray check: Ray cannot be
 * installed here (no Python package index), so the stand-in only listens on the ports it is given, answers
 * {@code ray status}, and records its calls. It shows the script claims ports and starts the head with them, waits
 * for it, publishes the dashboard address on the run, runs the payload with {@code RAY_ADDRESS}, passes on its exit
 * code, and leaves no process behind after success, failure and cancel. With {@code networkInterface} lo everything
 * listens on, and publishes, 127.0.0.1.
 */
class LocalClusterLauncherTest extends GatewayTestBase {

    private static final Path STAND_IN =
            Path.of("src/test/resources/standin/ray").toAbsolutePath();
    private static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "local-cluster-launcher");
        registry.add("gateway.execution.launchers.ray.executable", STAND_IN::toString);
        registry.add("gateway.execution.launchers.python.executable", () -> "python3");
        registry.add("gateway.execution.kill-grace-period", () -> "15s");
    }

    @Test
    void aRayRunStartsItsHeadOnClaimedPortsPublishesTheDashboardAndLeavesNothingBehind() throws IOException {
        Path calls = home.resolve("ray-calls.log");
        String id =
                client.createRun(request(calls, "import os\\nprint('RAY_ADDRESS=' + os.environ['RAY_ADDRESS'])\\n"));

        JsonNode run = client.awaitState(id, "COMPLETED", Duration.ofSeconds(60));

        String address = client.log(id, "stdout").strip().replace("RAY_ADDRESS=", "");
        String headCall = Files.readAllLines(calls).get(0);
        assertThat(headCall).contains("\"start\", \"--head\", \"--block\"").contains("--port=" + port(address));
        String dashboard = run.get("endpoints").get("rayDashboard").asString();
        assertThat(dashboard).matches("http://127\\.0\\.0\\.1:[0-9]+"); // the address of networkInterface lo
        assertThat(address).startsWith("127.0.0.1:");
        assertThat(headCall).contains("--node-ip-address=127.0.0.1");
        assertThat(headCall).contains("--dashboard-port=" + port(dashboard));
        assertThat(client.get("/api/v1/runs/" + id + "/events").body())
                .contains("\"type\":\"ENDPOINT\"")
                .contains("\"name\":\"rayDashboard\"");
        assertThat(Files.readString(calls)).contains("\"status\"");
        assertThat(runDirectory(id).resolve("framework/head.log")).exists();
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void thePayloadsExitCodeIsTheRunsAndNothingIsLeftBehind() {
        String id = client.createRun(request(home.resolve("failing.log"), "import sys\\nsys.exit(3)\\n"));

        JsonNode run = client.awaitState(id, "FAILED", Duration.ofSeconds(60));

        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aPreTimeoutSignalReachesThePayloadOfAClusterLauncher() {
        // a one-minute limit and USR1 50 s before it: due 10 s after the start, once the stand-in head is up
        String payload = "import signal, sys, time\\ndef stop(number, frame):\\n    print('payload got USR1')\\n"
                + "    sys.exit(0)\\nsignal.signal(signal.SIGUSR1, stop)\\ntime.sleep(120)\\n";
        String id = client.createRun(request(home.resolve("signalled.log"), payload)
                .replace(
                        "\"payload\":",
                        "\"resources\": {\"timeLimit\": \"1\", \"signalBeforeTimeout\": \"USR1@50\"},"
                                + " \"payload\":"));

        JsonNode run = client.awaitState(id, "COMPLETED", Duration.ofSeconds(60));

        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout")).isEqualTo("payload got USR1\n");
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aCancelledRunLeavesNoProcessBehind() {
        String id = client.createRun(request(
                home.resolve("cancelled.log"), "import time\\nprint('started', flush=True)\\ntime.sleep(600)\\n"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.log(id, "stdout").contains("started"));

        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", java.util.Map.of())
                        .statusCode())
                .isEqualTo(202);
        client.awaitState(id, "CANCELLED", Duration.ofSeconds(60));

        RunProcesses.assertNoneLeft(id);
    }

    private static String request(Path calls, String python) {
        return """
                {"asset": "demo/ray", "launcher": "ray", "launcherOptions": {"headTimeout": 30, "networkInterface": "lo"},
                 "env": {"RAY_STANDIN_LOG": "%s"}, "payload": {"script": "%s"}}
                """
                .formatted(calls, python);
    }

    private static int port(String address) {
        return Integer.parseInt(address.replaceAll(".*:", ""));
    }

    private static Path runDirectory(String id) {
        return home.resolve("runs").resolve(id);
    }
}
