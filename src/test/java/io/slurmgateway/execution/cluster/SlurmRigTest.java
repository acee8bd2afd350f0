package io.slurmgateway.execution.cluster;

import static io.slurmgateway.support.TextAssertions.assertAppearInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.MonitoringFiles;
import io.slurmgateway.support.PipesPayloads;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Slurm mode end to end on the real rig: HTTP API → gateway → pooled SSH → sbatch/squeue/sacct/scancel on a real
 * two-node Slurm with accounting. Needs {@code sudo scripts/slurm-rig.sh up}; skips (saying so) without it.
 */
@ExtendWith(SlurmRigAvailable.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmRigTest extends GatewayTestBase {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    /** Slurm checks time limits every 30 s and the shortest limit is a minute: TIMEOUT comes 60-90 s after start. */
    private static final Duration TIME_LIMIT_TIMEOUT = Duration.ofSeconds(200);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.rig.live-usage-interval", () -> "1s");
        registry.add("gateway.runs.metrics-refresh", () -> "500ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
    }

    @Autowired
    MeterRegistry meters;

    private String timeLimitRun;

    @BeforeAll
    void startTheSlowRunFirst() {
        // posted before everything else so that its 60-90 s wait overlaps the other tests
        connect();
        timeLimitRun = client.createRun(slurmRun("echo started; sleep 600", "\"resources\": {\"timeLimit\": \"1\"}"));
    }

    @Test
    void aSuccessfulJobCompletesWithItsOutput() {
        String id = client.createRun(slurmRun("echo \"hello from $SLURM_JOB_ID\"; echo to-stderr >&2", null));

        JsonNode run = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
        String jobId = run.get("slurmJobId").asString();
        assertThat(jobId).matches("\\d+");
        assertThat(run.get("slurmState").asString()).isEqualTo("COMPLETED");
        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout")).isEqualTo("hello from " + jobId + "\n");
        assertThat(client.log(id, "stderr")).isEqualTo("to-stderr\n");
        assertThat(client.followedLog(id, "stdout", Map.of())).isEqualTo("hello from " + jobId + "\n");
    }

    @Test
    void finishedJobsReportWhatTheyUsedFromSlurmAccounting() {
        long twoHundredMegabytes = 200L * 1024 * 1024;
        String memory = client.createRun(slurmRun(
                "python3 -c 'import time; b = bytearray(" + twoHundredMegabytes + ");"
                        + " [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; time.sleep(3)'",
                "\"resources\": {\"memory\": \"400M\"}"));
        String burner = client.createRun(slurmRun(
                // each process burns 5 s of its own CPU time, however long a busy machine makes that take
                "python3 -c 'import multiprocessing as m, time\n"
                        + "def burn(_):\n    while time.process_time() < 5: pass\n"
                        + "m.Pool(2).map(burn, range(2))'",
                "\"resources\": {\"cpusPerTask\": 2}"));

        JsonNode held = client.awaitState(memory, "COMPLETED", JOB_TIMEOUT).get("accounting");
        assertThat(held.get("source").asString()).isEqualTo("SLURM_ACCOUNTING");
        assertThat(held.get("maxRssBytes").asDouble()).isBetween(0.8 * twoHundredMegabytes, 1.2 * twoHundredMegabytes);
        assertThat(held.get("allocNodes").asInt()).isEqualTo(1);
        assertThat(held.get("requestedMemory").asString()).isEqualTo("400M");
        JsonNode burned = client.awaitState(burner, "COMPLETED", JOB_TIMEOUT).get("accounting");
        assertThat(burned.get("allocCpus").asInt()).isEqualTo(2);
        double cpuSeconds = burned.get("cpuSeconds").asDouble();
        assertThat(cpuSeconds).isGreaterThan(9); // two processes of 5 s each, less what sacct rounds off
        assertThat(burned.get("cpuEfficiency").asDouble())
                .isCloseTo(cpuSeconds / (burned.get("elapsedSeconds").asDouble() * 2), within(1e-9));
        assertThat(burned.get("nodeHours").asDouble()).isPositive();

        String scrape = client.get("/actuator/prometheus").body();
        assertThat(scrape)
                .contains("gateway_runs_cpu_efficiency_count{cluster=\"rig\",launcher=\"bash\",mode=\"slurm\"}")
                .contains("gateway_runs_max_rss_bytes_bucket{cluster=\"rig\",launcher=\"bash\",mode=\"slurm\",")
                .contains("gateway_slurm_command_duration_seconds_count{cluster=\"rig\",command=\"sbatch\","
                        + "outcome=\"success\"}")
                .doesNotContain("command=\"sftp\"") // staging rides in the sbatch command
                .contains("gateway_slurm_command_duration_seconds_count{cluster=\"rig\",command=\"squeue\",")
                .contains("gateway_slurm_poll_duration_seconds_count{cluster=\"rig\"}")
                .contains("gateway_cluster_up{cluster=\"rig\"} 1.0")
                .contains("gateway_ssh_connections_open{cluster=\"rig\"}")
                .contains("gateway_ssh_channels_busy{cluster=\"rig\"}")
                .contains("gateway_ssh_channels_waiting{cluster=\"rig\"}")
                .contains("gateway_ssh_connect_failures_total{cluster=\"rig\"} 0.0");
    }

    @Test
    void aRunningJobShowsTheMemoryItHoldsNowThenItsAccountingOnceEnded() {
        long heldBytes = 150L * 1024 * 1024;
        String id = client.createRun(slurmRun(
                "python3 -c 'import time; b = bytearray(" + heldBytes + ");"
                        + " [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; print(\"held\", flush=True);"
                        + " time.sleep(600)'",
                "\"resources\": {\"memory\": \"400M\"}"));
        client.awaitState(id, "RUNNING", JOB_TIMEOUT);
        await().atMost(JOB_TIMEOUT).until(() -> client.log(id, "stdout").equals("held\n"));

        // sampled with sstat every second while it runs: what it holds now, not only once it has ended
        JsonNode live = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> client.run(id).get("liveUsage"),
                        sample -> sample != null && sample.path("rssBytes").asLong() > 0.8 * heldBytes);
        assertThat(live.get("rssBytes").asDouble()).isBetween(0.8 * heldBytes, 1.2 * heldBytes);
        assertThat(live.get("maxRssBytes").asDouble()).isBetween(0.8 * heldBytes, 1.2 * heldBytes);
        assertThat(live.get("cpuSeconds").asDouble()).isNotNegative();
        assertThat(Instant.parse(live.get("sampledAt").asString()))
                .isAfter(Instant.now().minusSeconds(30));
        assertThat(client.get("/actuator/prometheus").body())
                .contains("gateway_slurm_command_duration_seconds_count{cluster=\"rig\",command=\"sstat\","
                        + "outcome=\"success\"}");

        client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
        JsonNode ended = client.awaitState(id, "CANCELLED", JOB_TIMEOUT);
        assertThat(ended.get("liveUsage").isNull()).isTrue();
        assertThat(ended.get("accounting").get("maxRssBytes").asDouble()).isBetween(0.8 * heldBytes, 1.2 * heldBytes);
    }

    @Test
    void everyMetricTheDashboardAndAlertRulesQueryIsInTheScrape() {
        String finished = client.createRun(slurmRun("sleep 2", null)); // gives accounting: efficiency and peak memory
        client.awaitState(finished, "COMPLETED", JOB_TIMEOUT);
        String running = client.createRun(slurmRun("sleep 120", null)); // gives an oldest-run age
        client.awaitState(running, "RUNNING", JOB_TIMEOUT);

        await().atMost(JOB_TIMEOUT).untilAsserted(() -> {
            String scrape = client.get("/actuator/prometheus").body();
            for (String metric : MonitoringFiles.metricNames()) {
                assertThat(scrape).as(metric).containsPattern("(?m)^" + metric + "[{ ]");
            }
        });
        client.post("/api/v1/runs/" + running + "/cancel", "", Map.of());
    }

    @Test
    void theClusterListShowsTheRigUpWithItsPartitions() {
        JsonNode rig = client.json(client.get("/api/v1/clusters")).get(0);
        assertThat(rig.get("name").asString()).isEqualTo("rig");
        assertThat(rig.get("partitions").valueStream().map(JsonNode::asString).toList())
                .containsExactly("debug", "long", "shared");
        assertThat(rig.get("health").asString()).isEqualTo("UP");
        // the link is up and the controller answered sinfo: the cluster's health contributor is UP, not DEGRADED
        assertThat(client.json(client.get("/actuator/health")).get("status").asString())
                .isEqualTo("UP");
        assertThat(rig.get("pool").get("maxConnections").asInt()).isEqualTo(2);
    }

    @Test
    void aNonZeroExitFailsTheRunWithThatExitCode() {
        String id = client.createRun(slurmRun("echo about to fail; exit 3", null));

        JsonNode run = client.awaitState(id, "FAILED", JOB_TIMEOUT);
        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        assertThat(run.get("slurmState").asString()).isEqualTo("FAILED");
        assertThat(run.get("reason").asString()).contains("exit code 3:0");
        assertThat(client.log(id, "stdout")).isEqualTo("about to fail\n");
    }

    @Test
    void aJobOverItsTimeLimitTimesOut() {
        JsonNode run = client.awaitState(timeLimitRun, "TIMED_OUT", TIME_LIMIT_TIMEOUT);
        assertThat(run.get("slurmState").asString()).isEqualTo("TIMEOUT");
        JsonNode accounting = run.get("accounting");
        assertThat(accounting.get("source").asString()).isEqualTo("SLURM_ACCOUNTING");
        assertThat(accounting.get("elapsedSeconds").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(accounting.get("cpuEfficiency").asDouble()).isLessThan(0.1); // it slept
        assertThat(client.log(timeLimitRun, "stdout")).startsWith("started\n");
        assertThat(client.log(timeLimitRun, "stderr")).contains("DUE TO TIME LIMIT");
    }

    @Test
    void aJobOverItsMemoryFailsKeepingTheOutOfMemoryState() {
        // tail keeps the last ten lines; the stream has no newline, so it holds all 400 MB, far over the 50 MB asked
        // for
        String id = client.createRun(
                slurmRun("head -c 400M /dev/zero | tail > /dev/null", "\"resources\": {\"memory\": \"50M\"}"));

        JsonNode run = client.awaitState(id, "FAILED", JOB_TIMEOUT);
        assertThat(run.get("slurmState").asString()).isEqualTo("OUT_OF_MEMORY");
        assertThat(client.log(id, "stderr")).contains("oom-kill");
        JsonNode accounting = run.get("accounting");
        assertThat(accounting.get("source").asString()).isEqualTo("SLURM_ACCOUNTING");
        assertThat(accounting.get("maxRssBytes").asLong()).isPositive();
    }

    @Test
    void cancellingARunningJobCancelsTheRun() throws IOException {
        String id = client.createRun(slurmRun("echo started; sleep 600", null));
        client.awaitState(id, "RUNNING", JOB_TIMEOUT);
        await().atMost(JOB_TIMEOUT).until(() -> client.log(id, "stdout").equals("started\n"));

        assertThat(client.post("/api/v1/runs/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);

        JsonNode run = client.awaitState(id, "CANCELLED", JOB_TIMEOUT);
        assertThat(run.get("slurmState").asString()).isEqualTo("CANCELLED");
        assertThat(squeueState(run.get("slurmJobId").asString())).isEqualTo("CANCELLED");
    }

    @Test
    void cancellingAPendingJobCancelsTheRun() {
        // the blocker takes every CPU of both nodes, so the next job has to wait for resources
        String blocker = client.createRun(
                slurmRun("sleep 600", "\"resources\": {\"nodes\": 2, \"ntasks\": 2, \"cpusPerTask\": 2}"));
        client.awaitState(blocker, "RUNNING", TIME_LIMIT_TIMEOUT);
        String id = client.createRun(slurmRun("echo must never run", null));
        await().atMost(JOB_TIMEOUT).until(() -> "Resources".equals(text(client.run(id), "slurmReason")));
        assertThat(client.run(id).get("state").asString()).isEqualTo("QUEUED");
        assertThat(client.run(id).get("slurmState").asString()).isEqualTo("PENDING");

        client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
        JsonNode run = client.awaitState(id, "CANCELLED", JOB_TIMEOUT);
        assertThat(run.get("startedAt").isNull()).isTrue();
        assertThat(client.log(id, "stdout")).isEmpty();

        client.post("/api/v1/runs/" + blocker + "/cancel", "", Map.of());
        client.awaitState(blocker, "CANCELLED", JOB_TIMEOUT);
    }

    @Test
    void anInvalidPartitionIsRefusedWithSlurmsMessageAndNoJob() throws Exception {
        String id = client.createRun(slurmRun("echo never", "\"resources\": {\"partition\": \"nosuch\"}"));

        JsonNode run = client.awaitState(id, "SUBMIT_FAILED", JOB_TIMEOUT);
        assertThat(run.get("reason").asString())
                .startsWith("Slurm refused the job: ")
                .contains("invalid partition specified: nosuch");
        assertThat(run.get("slurmJobId").isNull()).isTrue();
        assertThat(slurm("squeue", "--noheader", "--states=all", "--name=sg-" + id, "--format=%i"))
                .isEmpty();
    }

    @Test
    void fiftyConcurrentRunsAllEndWithOneSqueuePerTick() {
        double squeuesBefore = polls("squeue");
        double readsBefore = reads();
        double ticksBefore = ticks();
        double roundsBefore = rounds();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(client.createRun(slurmRun("echo run " + i, null)));
        }
        for (int i = 0; i < ids.size(); i++) {
            client.awaitState(ids.get(i), "COMPLETED", TIME_LIMIT_TIMEOUT);
            assertThat(client.log(ids.get(i), "stdout")).isEqualTo("run " + i + "\n");
        }
        double ticks = ticks() - ticksBefore;
        assertThat(ticks).isPositive();
        // every tick asks squeue at most once, and every output round reads all output files at once, however many
        // jobs there are
        assertThat(polls("squeue") - squeuesBefore).isPositive().isLessThanOrEqualTo(ticks);
        assertThat(reads() - readsBefore).isPositive().isLessThanOrEqualTo(rounds() - roundsBefore);
        assertThat(polls("sacct")).isLessThanOrEqualTo(ticks());
    }

    @Test
    void hostileEnvironmentValuesAndArgumentsReachTheJobAsData() throws IOException {
        Path canary = Path.of("/tmp/slurm-gateway-canary-" + UUID.randomUUID());
        List<String> hostile = List.of(
                "'; touch " + canary + "; '",
                "$(touch " + canary + ")",
                "`touch " + canary + "`",
                "line one\ntouch " + canary,
                "\\\" $HOME * ~ & | ; < >");
        StringBuilder env = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < hostile.size(); i++) {
            String value = jsonString(hostile.get(i));
            env.append(i == 0 ? "" : ", ")
                    .append("\"V")
                    .append(i)
                    .append("\": ")
                    .append(value);
            args.append(i == 0 ? "" : ", ").append(value);
        }
        String id = client.createRun(slurmRun(
                "for i in 0 1 2 3 4; do n=V$i; printf '%s|' \"${!n}\"; done; printf '%s|' \"$@\"",
                "\"env\": {" + env + "}, \"args\": [" + args + "]"));

        client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
        String expected = String.join("|", hostile) + "|";
        assertThat(client.log(id, "stdout")).isEqualTo(expected + expected);
        assertThat(canary).doesNotExist();
    }

    @Test
    void aSlurmJobFindsItsPipesContextAndItsMessagesFileOnTheCluster() {
        String id = client.createRun("{\"asset\": \"rig/pipes\", \"mode\": \"slurm\", \"payload\": {\"script\": \""
                + PipesPayloads.CONTEXT_READER
                + "\"}, \"dagster\": {\"runId\": \"dagster-run-8\", \"pipesContext\": {\"partition_key\": \"p1\"}}}");

        client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
        assertThat(client.log(id, "stdout"))
                .startsWith("dagster-run-8 p1 ['rig/pipes'] {} 0\n/")
                .endsWith("/" + id + "/messages.jsonl False\n");
    }

    @Test
    void aPipesPayloadOnTheClusterHasEveryMessageRelayedInOrderExactlyAsWritten() {
        double readsBefore = reads();
        double roundsBefore = rounds();
        String full = client.createRun(PipesPayloads.writerRun("rig/pipes", "slurm", "full"));
        String failing = client.createRun(PipesPayloads.writerRun("rig/pipes", "slurm", "exception"));
        String last = client.createRun(PipesPayloads.writerRun("rig/pipes", "slurm", "last"));

        client.awaitState(full, "COMPLETED", JOB_TIMEOUT);
        List<String> written = client.log(full, "stdout").lines().toList();
        assertThat(written).hasSize(6);
        assertAppearInOrder(client.get("/api/v1/runs/" + full + "/events").body(), written); // byte for byte
        assertThat(pipesMethods(full)).isEqualTo(PipesPayloads.FULL_METHODS);
        JsonNode results = client.json(client.get("/api/v1/runs/" + full + "/results"));
        assertThat(results.get("materializations")).hasSize(2);
        assertThat(results.get("assetChecks")).hasSize(1);

        JsonNode failed = client.awaitState(failing, "FAILED", JOB_TIMEOUT);
        assertThat(failed.get("slurmState").asString()).isEqualTo("COMPLETED");
        assertThat(failed.get("reason").asString())
                .isEqualTo("the payload reported an exception over Dagster Pipes: ValueError: bad rows: 3");

        client.awaitState(last, "COMPLETED", JOB_TIMEOUT);
        assertThat(pipesMethods(last)).containsExactly("opened", "log", "closed");

        // logs and messages in one read per output round (the rounds have their own thread and cadence, so they are
        // not bounded by poll ticks)
        assertThat(reads() - readsBefore).isPositive().isLessThanOrEqualTo(rounds() - roundsBefore);
    }

    /**
     * A one-minute job with USR1 30 s before its limit (Slurm sends it up to a minute early, so at any time in its first
     * half minute): the payload and its child both get it, the job exits 0 on its own terms, and the run has the event.
     */
    @Test
    void aPreTimeoutSignalReachesThePayloadsProcessGroupAndTheRunRecordsIt() {
        String script = "trap 'echo payload got USR1; wait; exit 0' USR1\n"
                + "bash -c 'trap \"echo child got USR1; exit 0\" USR1; sleep 300 & wait' &\n"
                + "sleep 300 & wait\n";
        String id = client.createRun(
                slurmRun(script, "\"resources\": {\"timeLimit\": \"1\", \"signalBeforeTimeout\": \"USR1@30\"}"));

        JsonNode ended = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);

        assertThat(ended.get("exitCode").asInt()).isZero();
        assertThat(client.log(id, "stdout").lines().sorted().toList())
                .containsExactly("child got USR1", "payload got USR1");
        await().atMost(JOB_TIMEOUT).untilAsserted(() -> assertThat(
                        client.get("/api/v1/runs/" + id + "/events").body())
                .containsPattern("SIGUSR1 passed on to the payload's process group at 20[0-9-]+T"));
    }

    private List<String> pipesMethods(String id) {
        return client.json(client.get("/api/v1/runs/" + id + "/events"))
                .valueStream()
                .filter(event -> event.get("type").asString().equals("PIPES"))
                .map(event -> event.get("data").get("method").asString())
                .toList();
    }

    @Test
    void hostileResourceValuesAreRefusedBeforeAnythingIsSubmitted() {
        Path canary = Path.of("/tmp/slurm-gateway-canary-" + UUID.randomUUID());
        List<String> resources = List.of(
                "\"partition\": \"debug\\n#SBATCH --wrap=touch " + canary + "\"",
                "\"partition\": \"debug; touch " + canary + "\"",
                "\"memory\": \"1G --wrap=touch " + canary + "\"",
                "\"timeLimit\": \"1:00 $(touch " + canary + ")\"",
                "\"qos\": \"`touch " + canary + "`\"",
                "\"account\": \"a'b\"",
                "\"constraint\": \"x\\n#SBATCH --uid=0\"",
                "\"reservation\": \"r --chdir=/\"");
        for (String resource : resources) {
            var response = client.post(
                    "/api/v1/runs", slurmRun("touch " + canary, "\"resources\": {" + resource + "}"), Map.of());
            assertThat(response.statusCode()).as(resource).isEqualTo(400);
            assertThat(response.body()).contains("resources.");
        }
        assertThat(client.json(client.get("/api/v1/runs?size=200"))
                        .get("items")
                        .valueStream()
                        .filter(run -> run.get("asset").asString().equals("rig/hostile"))
                        .count())
                .isZero();
        assertThat(canary).doesNotExist();
    }

    private static String slurmRun(String script, String extra) {
        return "{\"asset\": \"rig/" + (script.startsWith("touch") ? "hostile" : "test") + "\", \"mode\": \"slurm\","
                + " \"payload\": {\"script\": " + jsonString(script) + "}" + (extra == null ? "" : ", " + extra) + "}";
    }

    private static String jsonString(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static String text(JsonNode run, String field) {
        JsonNode value = run.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private double polls(String command) {
        var counter = meters.find("gateway.slurm.commands")
                .tags("cluster", "rig", "command", command, "purpose", "poll")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double reads() {
        var counter = meters.find("gateway.slurm.commands")
                .tags("cluster", "rig", "purpose", "logs")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double rounds() {
        var counter = meters.find("gateway.slurm.output.rounds")
                .tags("cluster", "rig")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double ticks() {
        var counter =
                meters.find("gateway.slurm.poll.ticks").tags("cluster", "rig").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The job's state as Slurm itself reports it, asked locally (the tests run on the rig's host). */
    private static String squeueState(String jobId) throws IOException {
        return slurm("squeue", "--noheader", "--states=all", "--jobs=" + jobId, "--format=%T");
    }

    private static String slurm(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.waitFor();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
