package io.slurmgateway.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.Processes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/** Local-mode runs through the HTTP API, executed as real processes on this machine. */
class LocalRunLifecycleTest extends GatewayTestBase {

    private static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "lifecycle");
        registry.add("gateway.execution.max-concurrent-runs", () -> "2");
        registry.add("gateway.execution.kill-grace-period", () -> "2s");
        registry.add("gateway.execution.log-read-size", () -> "4KB");
        registry.add("gateway.execution.log-bytes-per-tick", () -> "8KB");
        registry.add("gateway.execution.max-log-size", () -> "64KB");
        registry.add("gateway.api.max-streams", () -> "3");
        registry.add("gateway.api.stream-heartbeat", () -> "200ms");
    }

    @Test
    void completedRunHasItsOutputByOffsetAndBySse() {
        String id = client.createRun(
                """
                {"asset": "demo/hello", "args": ["world", "two words"],
                 "payload": {"script": "#!/bin/bash\\necho \\"hello $1\\"\\necho \\"second: $2\\"\\necho oops >&2\\n"}}
                """);

        JsonNode run = client.awaitState(id, "COMPLETED");

        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout")).isEqualTo("hello world\nsecond: two words\n");
        assertThat(client.log(id, "stderr")).isEqualTo("oops\n");
        HttpResponse<String> tail = client.get("/api/v1/runs/" + id + "/logs/stdout?offset=6");
        assertThat(tail.body()).isEqualTo("world\nsecond: two words\n");
        assertThat(tail.headers().firstValue("X-Next-Offset")).hasValue("30");
        assertThat(tail.headers().firstValue("X-Log-Complete")).hasValue("true");
        assertThat(client.followedLog(id, "stdout", Map.of())).isEqualTo("hello world\nsecond: two words\n");
    }

    @Test
    void aPreTimeoutSignalReachesThePayloadWhichEndsOnItsOwnTerms() {
        // a one-minute limit and USR1 58 s before it: due 2 s after the start, long before the limit
        String id = client.createRun(
                """
                {"asset": "demo/signal", "resources": {"timeLimit": "1", "signalBeforeTimeout": "USR1@58"},
                 "payload": {"script": "#!/bin/bash\\ntrap 'echo got USR1; exit 0' USR1\\nwhile :; do sleep 0.1; done\\n"}}
                """);

        JsonNode run = client.awaitState(id, "COMPLETED");

        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout")).isEqualTo("got USR1\n");
        assertThat(client.get("/api/v1/runs/" + id + "/events").body())
                .contains("SIGUSR1 sent to the payload's process group, 58 s before its time limit");
    }

    @Test
    void aFinishedLocalRunReportsTheCpuTimeOfItsProcessTree() {
        // the CPU is burned by a child process of the job, so only a tree-wide count sees it
        String id = client.createRun(
                """
                {"asset": "demo/cpu",
                 "payload": {"script": "#!/bin/bash\\nbash -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'\\n"}}
                """);

        JsonNode accounting = client.awaitState(id, "COMPLETED").get("accounting");

        assertThat(accounting.get("source").asString()).isEqualTo("LOCAL_PROCESS");
        assertThat(accounting.get("cpuSeconds").asDouble()).isGreaterThan(0.1);
        assertThat(accounting.get("elapsedSeconds").asLong()).isNotNegative();
    }

    @Test
    void aFinishedLocalRunReportsThePeakMemoryOfItsProcessTree() {
        long twoHundredMegabytes = 200L * 1024 * 1024;
        // held by a child of the job, and released before the job ends: only a tree-wide peak sees it
        String id = client.createRun(
                """
                {"asset": "demo/memory",
                 "payload": {"script": "python3 -c 'import time; b = bytearray(%d); [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; time.sleep(2)'\\nsleep 1\\n"}}
                """
                        .formatted(twoHundredMegabytes));

        JsonNode accounting = client.awaitState(id, "COMPLETED").get("accounting");

        assertThat(accounting.get("source").asString()).isEqualTo("LOCAL_PROCESS");
        assertThat(accounting.get("maxRssBytes").asDouble())
                .isBetween(0.8 * twoHundredMegabytes, 1.2 * twoHundredMegabytes);
    }

    @Test
    void sseFollowDeliversOutputWrittenWhileTheRunIsRunning() {
        String id = client.createRun(
                """
                {"asset": "demo/slow", "payload": {"script": "for i in 1 2 3; do echo line $i; sleep 0.3; done"}}
                """);
        client.awaitState(id, "RUNNING");

        String followed = client.followedLog(id, "stdout", Map.of());

        assertThat(followed).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(client.run(id).get("state").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void failingScriptEndsFailedWithItsExitCode() {
        String id = client.createRun(
                """
                {"asset": "demo/fail", "payload": {"script": "echo bad >&2; exit 3"}}
                """);

        JsonNode run = client.awaitState(id, "FAILED");

        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        assertThat(run.get("reason").asString()).isEqualTo("exit code 3");
        assertThat(client.log(id, "stderr")).isEqualTo("bad\n");
    }

    @Test
    void runOverItsTimeLimitEndsTimedOutAndLeavesNoProcess() throws IOException {
        String id = client.createRun(
                """
                {"asset": "demo/slow", "resources": {"timeLimit": "0:1"},
                 "payload": {"script": "echo $$ > leader.pid; sleep 300"}}
                """);

        JsonNode run = client.awaitState(id, "TIMED_OUT");

        assertThat(run.get("reason").asString()).contains("time limit");
        assertNoProcessLeft(pidIn(id, "leader.pid"));
    }

    @Test
    void cancelOfRunningRunKillsItsWholeProcessTree() throws IOException {
        String id = client.createRun(
                """
                {"asset": "demo/sleepy",
                 "payload": {"script": "echo $$ > leader.pid\\nsleep 300 &\\necho $! > child.pid\\nwait"}}
                """);
        client.awaitState(id, "RUNNING");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(runDirectory(id).resolve("child.pid")));
        long leader = pidIn(id, "leader.pid");
        long child = pidIn(id, "child.pid");
        assertThat(Processes.isRunning(child)).isTrue();

        HttpResponse<String> cancel = client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());

        assertThat(cancel.statusCode()).isEqualTo(202);
        JsonNode run = client.awaitState(id, "CANCELLED");
        assertThat(run.get("reason").asString()).isEqualTo("cancelled on request");
        assertNoProcessLeft(leader);
        assertNoProcessLeft(child);
    }

    @Test
    void cancelledRunHasItsGracePeriodToCleanUp() {
        String id = client.createRun(
                """
                {"asset": "demo/tidy",
                 "payload": {"script": "trap 'sleep 0.5; echo cleaned up; exit 0' TERM\\necho ready\\nsleep 300 &\\nwait"}}
                """);
        client.awaitState(id, "RUNNING");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.log(id, "stdout").equals("ready\n"));

        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);

        client.awaitState(id, "CANCELLED");
        assertThat(client.log(id, "stdout")).isEqualTo("ready\ncleaned up\n");
    }

    @Test
    void cancelOfEndedRunIsAConflict() {
        String id = client.createRun(
                """
                {"asset": "demo/quick", "payload": {"script": "true"}}
                """);
        client.awaitState(id, "COMPLETED");

        HttpResponse<String> cancel = client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());

        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(client.json(cancel).get("type").asString()).isEqualTo("urn:slurm-gateway:problem:run-already-ended");
    }

    @Test
    void repeatedCreateWithTheSameIdempotencyKeyRunsOnce() throws IOException {
        Path counter = Files.createTempFile(home, "executions", ".txt");
        String body =
                """
                {"asset": "demo/once", "args": ["%s"], "payload": {"script": "echo ran >> \\"$1\\""}}
                """
                        .formatted(counter);

        HttpResponse<String> first = client.post("/api/v1/runs", body, Map.of("Idempotency-Key", "order-42"));
        HttpResponse<String> second = client.post("/api/v1/runs", body, Map.of("Idempotency-Key", "order-42"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(200);
        String id = client.json(first).get("id").asString();
        assertThat(client.json(second).get("id").asString()).isEqualTo(id);
        client.awaitState(id, "COMPLETED");
        HttpResponse<String> third = client.post("/api/v1/runs", body, Map.of("Idempotency-Key", "order-42"));
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(client.json(third).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(Files.readAllLines(counter)).containsExactly("ran");
        assertThat(client.json(client.get("/api/v1/runs?asset=demo/once"))
                        .get("totalElements")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void sameIdempotencyKeyWithADifferentBodyIsAConflict() {
        String body = """
                {"asset": "demo/keyed", "payload": {"script": "true"}}
                """;
        HttpResponse<String> first = client.post("/api/v1/runs", body, Map.of("Idempotency-Key", "k-conflict"));

        HttpResponse<String> other =
                client.post("/api/v1/runs", body.replace("true", "false"), Map.of("Idempotency-Key", "k-conflict"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(client.json(other).get("runId").asString())
                .isEqualTo(client.json(first).get("id").asString());
    }

    @Test
    void envValuesReachTheProcessVerbatimWithoutShellEvaluation() throws IOException {
        Path canary = home.resolve("canary-env");
        String hostile = "$(touch " + canary + ") `touch " + canary + "` ; touch " + canary + " '\\\" \\n";
        String id = client.createRun(
                """
                {"asset": "demo/env", "env": {"HOSTILE": %s}, "payload": {"script": "printf '%%s' \\"$HOSTILE\\""}}
                """
                        .formatted(jsonString(hostile)));

        client.awaitState(id, "COMPLETED");

        assertThat(client.log(id, "stdout")).isEqualTo(hostile);
        assertThat(canary).doesNotExist();
    }

    @Test
    void runsBeyondTheConcurrencyLimitWaitQueued() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(
                    client.createRun(
                            """
                    {"asset": "demo/slot", "payload": {"script": "sleep 300"}}
                    """));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states(ids).stream().filter("RUNNING"::equals).count() == 2);
        assertThat(states(ids)).containsExactlyInAnyOrder("RUNNING", "RUNNING", "QUEUED");

        String firstRunning = ids.stream()
                .filter(id -> client.run(id).get("state").asString().equals("RUNNING"))
                .findFirst()
                .orElseThrow();
        assertThat(client.post("/api/v1/runs/" + firstRunning + "/cancel", "", Map.of())
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states(ids).stream().filter("RUNNING"::equals).count() == 2);

        for (String id : ids) {
            HttpResponse<String> cancel = client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
            assertThat(cancel.statusCode()).as(cancel.body()).isIn(202, 409); // 409: the first one already ended
        }
        ids.forEach(id -> client.awaitState(id, "CANCELLED"));
    }

    @Test
    void logsOutliveTheRunDirectory() {
        String id = client.createRun(
                """
                {"asset": "demo/gone", "payload": {"script": "echo kept"}}
                """);
        client.awaitState(id, "COMPLETED");

        FileSystemUtils.deleteRecursively(runDirectory(id).toFile());

        assertThat(runDirectory(id)).doesNotExist();
        assertThat(client.log(id, "stdout")).isEqualTo("kept\n");
    }

    @Test
    void eventsRecordEveryTransitionInOrderAndStreamUntilTheEnd() {
        String id = client.createRun(
                """
                {"asset": "demo/events", "payload": {"script": "true"}}
                """);
        client.awaitState(id, "COMPLETED");

        List<String> streamed = client.sseData("/api/v1/runs/" + id + "/events", Map.of());
        JsonNode listed = client.json(client.get("/api/v1/runs/" + id + "/events?after=2"));

        assertThat(streamed.stream()
                        .map(data -> client.json(data).get("data").get("to").asString())
                        .toList())
                .containsExactly("ACCEPTED", "STAGING", "QUEUED", "RUNNING", "COMPLETED");
        assertThat(listed.size()).isEqualTo(3);
        assertThat(listed.get(0).get("seq").asInt()).isEqualTo(3);
        List<String> resumed = client.sseData("/api/v1/runs/" + id + "/events", Map.of("Last-Event-ID", "4"));
        assertThat(resumed).hasSize(1);
        assertThat(client.json(resumed.get(0)).get("seq").asInt()).isEqualTo(5);
    }

    @Test
    void sseNeverSplitsACharacterThatArrivesInTwoWrites() {
        String id = client.createRun(
                """
                {"asset": "demo/utf8", "payload": {"script": "printf 'caf\\\\xc3'; sleep 1; printf '\\\\xa9\\\\n'"}}
                """);
        client.awaitState(id, "RUNNING");

        String followed = client.followedLog(id, "stdout", Map.of());

        assertThat(followed).isEqualTo("café\n");
    }

    @Test
    void outputLargerThanOneTicksBudgetIsCompleteWhenTheRunEnds() {
        // 40,000 bytes at 8KB per tick: the run is recorded COMPLETED only after several more ticks of copying
        String id = client.createRun(
                """
                {"asset": "demo/burst", "payload": {"script": "head -c 40000 /dev/zero | tr '\\\\0' 'b'"}}
                """);

        client.awaitState(id, "COMPLETED");

        HttpResponse<String> log = client.get("/api/v1/runs/" + id + "/logs/stdout");
        assertThat(log.body()).hasSize(40_000).matches("b+");
        assertThat(log.headers().firstValue("X-Log-Complete")).hasValue("true");
    }

    @Test
    void outputBeyondTheLogSizeLimitIsNotStoredAndTheHistorySaysSo() {
        String id = client.createRun(
                """
                {"asset": "demo/chatty", "payload": {"script": "head -c 100000 /dev/zero | tr '\\\\0' 'c'"}}
                """);

        client.awaitState(id, "COMPLETED");

        assertThat(client.log(id, "stdout")).hasSize(64 * 1024);
        assertThat(client.get("/api/v1/runs/" + id + "/events").body())
                .contains("stdout reached gateway.execution.max-log-size (65536 bytes)");
    }

    @Test
    void streamsBeyondTheLimitAreRefusedAndQuietStreamsSendHeartbeats() throws Exception {
        String id = client.createRun(
                """
                {"asset": "demo/watched", "payload": {"script": "sleep 300"}}
                """);
        client.awaitState(id, "RUNNING");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest follow = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(http.sendAsync(follow, HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.get("/api/v1/runs/" + id + "/events", Map.of("Accept", "text/event-stream"))
                                .statusCode()
                        == 503);

        HttpResponse<String> refused =
                client.get("/api/v1/runs/" + id + "/events", Map.of("Accept", "text/event-stream"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(client.json(refused).get("type").asString()).isEqualTo("urn:slurm-gateway:problem:too-many-streams");

        Thread.sleep(500); // longer than the heartbeat interval: the open streams send keep-alive comments
        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);
        for (var stream : open) {
            String body = stream.get(30, java.util.concurrent.TimeUnit.SECONDS).body();
            assertThat(body).contains(":keep-alive").contains("\"to\":\"CANCELLED\"");
        }
    }

    private List<String> states(List<String> ids) {
        return ids.stream().map(id -> client.run(id).get("state").asString()).toList();
    }

    private static Path runDirectory(String id) {
        return home.resolve("runs").resolve(id);
    }

    private static long pidIn(String id, String file) throws IOException {
        return Long.parseLong(Files.readString(runDirectory(id).resolve(file)).trim());
    }

    /** Gone, or a zombie (dead, waiting to be reaped by a parent that is not ours). */
    static void assertNoProcessLeft(long pid) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Processes.isRunning(pid))
                .as("process %d still runs", pid)
                .isFalse());
    }

    private static String jsonString(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }
}
