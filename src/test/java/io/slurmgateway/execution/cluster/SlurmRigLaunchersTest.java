package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.RunProcesses;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The spark, dask and ray launchers on the rig's two nodes: real Spark (3.5.8, from Maven Central jars) and real Dask
 * (Debian's python3-distributed), and the ray launcher's orchestration with a stand-in {@code ray} (Ray itself cannot
 * be installed here: no Python package index). After every run, success or not, no process of it is left on the
 * machine that holds both nodes: every process of a run carries its id in its environment.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigLaunchersTest extends GatewayTestBase {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

    /** Slurm checks time limits every 30 s and the shortest limit is a minute: TIMEOUT comes 60-90 s after start. */
    private static final Duration TIME_LIMIT_TIMEOUT = Duration.ofSeconds(200);

    private static final String WORK_DIR = "slurm-gateway-test/" + UUID.randomUUID();
    private static final Path RUNS = Path.of("/home/hpcuser").resolve(WORK_DIR);
    private static final Path SHARED = Path.of("/tmp/slurm-gateway-launchers-" + UUID.randomUUID());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        isolate(registry, "slurm-rig-launchers");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.rig.work-dir", () -> WORK_DIR);
        // a directory every cluster account can use: the stand-in ray and the files runs leave for the test
        Files.createDirectories(SHARED);
        Files.setPosixFilePermissions(SHARED, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path standIn = SHARED.resolve("ray");
        Files.copy(Path.of("src/test/resources/standin/ray"), standIn);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        registry.add("gateway.clusters.rig.launchers.ray.executable", standIn::toString);
    }

    @Test
    void sparkPiRunsOnAWorkerPerNodeAndPublishesItsUi() throws IOException {
        String id = client.createRun(spark("8", "\"timeLimit\": \"10\""));

        JsonNode run = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);

        assertThat(client.log(id, "stdout")).contains("Pi is roughly 3.1").contains("executors=2");
        for (String node : List.of("c1", "c2")) {
            assertThat(read(id, "framework/worker-" + node + ".log")).contains("Successfully registered with master");
        }
        assertThat(run.get("endpoints").get("sparkUi").asString()).matches("http://vm:[0-9]+");
        assertThat(run.get("endpoints").get("sparkMasterUi").asString()).matches("http://vm:[0-9]+");
        assertThat(client.get("/api/v1/runs/" + id + "/events").body())
                .contains("\"name\":\"sparkUi\"")
                .contains("\"name\":\"sparkMasterUi\"");
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aSparkRunCancelledWhileItComputesLeavesNoJvm() {
        String id = client.createRun(spark("200000", "\"timeLimit\": \"10\""));
        await().atMost(JOB_TIMEOUT).until(() -> client.run(id).get("endpoints").has("sparkUi"));
        await().atMost(JOB_TIMEOUT).until(() -> !RunProcesses.of(id).isEmpty());

        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);

        client.awaitState(id, "CANCELLED", JOB_TIMEOUT);
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aSparkRunAtItsTimeLimitLeavesNoJvm() {
        String id = client.createRun(spark("200000", "\"timeLimit\": \"1\""));

        client.awaitState(id, "TIMED_OUT", TIME_LIMIT_TIMEOUT);

        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aDaskPayloadSeesTwoWorkersAndComputesOnThem() throws IOException {
        String id = client.createRun(Files.readString(Path.of("examples/runs/dask-workers.json"))
                .replace("\"timeLimit\": \"10\"", "\"timeLimit\": \"5\""));

        JsonNode run = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);

        assertThat(client.log(id, "stdout")).isEqualTo("workers=2\nsum of squares: 328350\n");
        assertThat(run.get("endpoints").get("daskDashboard").asString()).matches("http://vm:[0-9]+/status");
        assertThat(read(id, "framework/worker-c1.log")).contains("Registered to:");
        assertThat(read(id, "framework/worker-c2.log")).contains("Registered to:");
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aFailingDaskPayloadFailsTheRunWithItsExitCodeAndLeavesNothing() {
        String id = client.createRun(dask("import sys\\nprint('giving up')\\nsys.exit(4)\\n", "\"timeLimit\": \"5\""));

        JsonNode run = client.awaitState(id, "FAILED", JOB_TIMEOUT);

        assertThat(run.get("exitCode").asInt()).isEqualTo(4);
        assertThat(client.log(id, "stdout")).isEqualTo("giving up\n");
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aDaskRunCancelledWhileItsPayloadRunsLeavesNothing() {
        String id = client.createRun(
                dask("import time\\nprint('computing', flush=True)\\ntime.sleep(600)\\n", "\"timeLimit\": \"10\""));
        await().atMost(JOB_TIMEOUT).until(() -> client.log(id, "stdout").contains("computing"));

        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);

        client.awaitState(id, "CANCELLED", JOB_TIMEOUT);
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void aPreTimeoutSignalReachesTheDaskPayloadButNotItsCluster() {
        // Slurm sends it up to a minute early: between 60 and 120 s into this 3-minute job, after the cluster is up
        String payload =
                "import signal, sys, time\\ndef stop(number, frame):\\n    print('payload got USR1', flush=True)\\n"
                        + "    sys.exit(0)\\nsignal.signal(signal.SIGUSR1, stop)\\nprint('waiting', flush=True)\\n"
                        + "time.sleep(600)\\n";
        String id = client.createRun(dask(payload, "\"timeLimit\": \"3\", \"signalBeforeTimeout\": \"USR1@60\""));

        JsonNode run = client.awaitState(id, "COMPLETED", TIME_LIMIT_TIMEOUT);

        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout")).isEqualTo("waiting\npayload got USR1\n");
        assertThat(read(id, "framework/head.log")).doesNotContain("SIGUSR1");
        await().atMost(JOB_TIMEOUT).untilAsserted(() -> assertThat(
                        client.get("/api/v1/runs/" + id + "/events").body())
                .containsPattern("SIGUSR1 passed on to the payload's process group at 20[0-9-]+T"));
        RunProcesses.assertNoneLeft(id);
    }

    @Test
    void twoMultiNodeJobsOnTheSameNodesAtOnceBothSucceedOnDistinctPorts() throws IOException {
        // each payload waits until the other's has started too, so the two clusters provably run at the same time
        Path meeting = Files.createDirectory(SHARED.resolve("meeting-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(meeting, PosixFilePermissions.fromString("rwxrwxrwx"));
        String payload = "import os, time\\nd = '" + meeting + "'\\nopen(os.path.join(d, os.environ['SLURM_JOB_ID']),"
                + " 'w').close()\\nend = time.time() + 120\\nwhile len(os.listdir(d)) < 2 and time.time() < end:\\n"
                + "    time.sleep(0.2)\\nprint('met %d' % len(os.listdir(d)))\\n";
        String first = client.createRun(dask(payload, "\"timeLimit\": \"5\""));
        String second = client.createRun(dask(payload, "\"timeLimit\": \"5\""));

        client.awaitState(first, "COMPLETED", JOB_TIMEOUT);
        client.awaitState(second, "COMPLETED", JOB_TIMEOUT);

        assertThat(client.log(first, "stdout")).isEqualTo("met 2\n");
        assertThat(client.log(second, "stdout")).isEqualTo("met 2\n");
        List<String> ports = Stream.of(first, second)
                .flatMap(id ->
                        Stream.concat(portsIn(read(id, "stderr.log")), portsIn(read(id, "framework/workers.log"))))
                .toList();
        assertThat(ports).hasSize(2 * (2 + 2 * 2)).doesNotHaveDuplicates();
        RunProcesses.assertNoneLeft(first);
        RunProcesses.assertNoneLeft(second);
    }

    /**
     * An orchestration check of the ray launcher, not a Ray check: the stand-in {@code ray} listens on the ports it is
     * given, answers {@code ray status}, and records its calls. It shows the head starts on the first node and one
     * worker on the second with their own claimed ports, the worker joins the head's address, and the payload gets
     * {@code RAY_ADDRESS}.
     */
    @Test
    void theRayLauncherStartsAHeadAndAWorkerOnTheOtherNodeAndRunsThePayloadAgainstThem() throws IOException {
        Path calls = SHARED.resolve("ray-calls-" + UUID.randomUUID() + ".log");
        Files.createFile(calls);
        Files.setPosixFilePermissions(calls, PosixFilePermissions.fromString("rw-rw-rw-"));
        String id = client.createRun(
                """
                {"asset": "demo/ray", "mode": "slurm", "launcher": "ray",
                 "launcherOptions": {"objectStoreMemory": "100M", "workerArgs": ["--labels={}"],
                                     "preStart": ["export PRE_STARTED=yes"]},
                 "env": {"RAY_STANDIN_LOG": "%s"},
                 "payload": {"script": "import os\\nprint(os.environ['RAY_ADDRESS'], os.environ['PRE_STARTED'])\\n"},
                 "resources": {"nodes": 2, "cpusPerTask": 1, "memory": "200M", "timeLimit": "5"}}
                """
                        .formatted(calls));

        JsonNode run = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);

        List<JsonNode> starts = Files.readAllLines(calls).stream()
                .map(client::json)
                .filter(call -> call.get("argv").get(0).asString().equals("start"))
                .toList();
        assertThat(starts).hasSize(2);
        JsonNode head = starts.stream()
                .filter(call -> argv(call).contains("--head"))
                .findFirst()
                .orElseThrow();
        JsonNode worker = starts.stream()
                .filter(call -> !argv(call).contains("--head"))
                .findFirst()
                .orElseThrow();
        assertThat(head.get("node").asString()).isEqualTo("c1");
        assertThat(worker.get("node").asString()).isEqualTo("c2");
        String gcs = option(head, "port");
        assertThat(option(worker, "address")).isEqualTo("vm:" + gcs);
        assertThat(option(head, "object-store-memory")).isEqualTo(String.valueOf(100L << 20));
        assertThat(argv(worker)).contains("--labels={}");
        assertThat(option(worker, "node-manager-port")).isNotEqualTo(option(head, "node-manager-port"));
        assertThat(client.log(id, "stdout")).isEqualTo("vm:" + gcs + " yes\n");
        assertThat(run.get("endpoints").get("rayDashboard").asString())
                .isEqualTo("http://vm:" + option(head, "dashboard-port"));
        RunProcesses.assertNoneLeft(id);
    }

    private static List<String> argv(JsonNode call) {
        return call.get("argv").valueStream().map(JsonNode::asString).toList();
    }

    private static String option(JsonNode call, String name) {
        return argv(call).stream()
                .filter(arg -> arg.startsWith("--" + name + "="))
                .map(arg -> arg.substring(name.length() + 3))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no --" + name + " in " + call));
    }

    private static Stream<String> portsIn(String text) {
        Matcher matcher =
                Pattern.compile("(?:head|worker) on \\S+, ports ([0-9 ]+)").matcher(text);
        return matcher.results()
                .flatMap(match -> Stream.of(match.group(1).trim().split(" ")));
    }

    private static String spark(String slices, String limit) {
        return """
                {"asset": "demo/spark", "mode": "slurm", "launcher": "spark",
                 "launcherOptions": {"mainClass": "io.slurmgateway.examples.SparkPi"},
                 "payload": {"path": "/opt/slurm-rig/examples/spark-pi.jar"}, "args": ["%s"],
                 "resources": {"nodes": 2, "cpusPerTask": 2, "memory": "1500M", %s}}
                """
                .formatted(slices, limit);
    }

    private static String dask(String python, String limit) {
        return """
                {"asset": "demo/dask", "mode": "slurm", "launcher": "dask", "payload": {"script": "%s"},
                 "resources": {"nodes": 2, "cpusPerTask": 1, "memory": "500M", %s}}
                """
                .formatted(python, limit);
    }

    private static String read(String id, String file) {
        try {
            return Files.readString(RUNS.resolve(id).resolve(file), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new AssertionError("cannot read " + file + " of run " + id, unreadable);
        }
    }
}
