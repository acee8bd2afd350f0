package io.slurmgateway.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.CgroupsAvailable;
import io.slurmgateway.support.GatewayTestBase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The limits of local runs, with real processes in real cgroups: a memory hog is killed and told so, a fork bomb is
 * held to its process limit and ends with the run, a process that left the run's session with setsid is still
 * stopped by cancel, by the time limit and by the run's end, open files are capped, and a local run may not ask for
 * more time than the maximum. Needs cgroups (root here and in CI); skips, saying so, without them.
 */
@ExtendWith(CgroupsAvailable.class)
class LocalLimitsTest extends GatewayTestBase {

    private static final int PROCESSES = 64;
    private static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "local-limits");
        registry.add("gateway.execution.local-limits.memory", () -> "100MB");
        registry.add("gateway.execution.local-limits.processes", () -> Integer.toString(PROCESSES));
        registry.add("gateway.execution.local-limits.open-files", () -> "256");
        registry.add("gateway.execution.kill-grace-period", () -> "1s");
        registry.add("gateway.runs.local-max-time-limit", () -> "2h");
    }

    @Test
    void aRunOverItsMemoryLimitIsKilledAndItsReasonSaysWhy() {
        String id = run(
                "python3 -c 'b = bytearray(400 * 1024 * 1024); [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]'",
                null);

        JsonNode run = client.awaitState(id, "FAILED");
        assertThat(run.get("exitCode").asInt()).isEqualTo(137);
        assertThat(run.get("reason").asString()).contains("gateway.execution.local-limits.memory (100 MB)");
    }

    @Test
    void aForkBombIsHeldToTheProcessLimitAndEndsWithTheRun() throws IOException {
        String id = run("echo started; bomb() { bomb | bomb & }; bomb; sleep 600", null);
        Path cage = cageOf(id);
        assertThat(Files.readString(cage.resolve("pids.max")).strip()).isEqualTo(Integer.toString(PROCESSES));

        await().atMost(Duration.ofSeconds(60)).until(() -> current(cage) >= PROCESSES - 2); // it pushes at the limit
        assertThat(current(cage)).isLessThanOrEqualTo(PROCESSES);
        assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200); // the gateway host is unharmed

        client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
        client.awaitState(id, "CANCELLED");
        assertThat(markedProcesses(id)).isEmpty();
        assertThat(cage).doesNotExist();
    }

    @Test
    void aProcessThatLeftTheSessionIsStoppedByCancel() throws IOException {
        String id = run(escapee() + "\nsleep 600", null);
        long escapee = awaitEscapee(id);

        client.post("/api/v1/runs/" + id + "/cancel", "", Map.of());
        client.awaitState(id, "CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> !running(escapee));
    }

    @Test
    void aProcessThatLeftTheSessionIsStoppedByTheTimeLimit() throws IOException {
        String id = run(escapee() + "\nsleep 600", "\"resources\": {\"timeLimit\": \"0:03\"}");
        long escapee = awaitEscapee(id);

        client.awaitState(id, "TIMED_OUT");
        await().atMost(Duration.ofSeconds(30)).until(() -> !running(escapee));
    }

    @Test
    void aProcessThatLeftTheSessionEndsWithTheRunLikeUnderSlurm() throws IOException {
        String id = run(escapee() + "\nuntil [ -s escapee.pid ]; do sleep 0.1; done", null);
        long escapee = awaitEscapee(id);

        client.awaitState(id, "COMPLETED");
        await().atMost(Duration.ofSeconds(30)).until(() -> !running(escapee));
    }

    @Test
    void openFilesAreCappedPerProcess() {
        String id = run("ulimit -n", null);

        client.awaitState(id, "COMPLETED");
        assertThat(client.log(id, "stdout")).isEqualTo("256\n");
    }

    @Test
    void aLocalRunMayNotAskForMoreThanTheMaximumTime() {
        HttpResponse<String> refused = client.post(
                "/api/v1/runs",
                "{\"asset\": \"demo/long\", \"payload\": {\"script\": \"true\"}, \"resources\": {\"timeLimit\": \"3:00:00\"}}",
                Map.of());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(client.json(refused).get("errors").findValuesAsString("field"))
                .containsExactly("resources.timeLimit");
        assertThat(client.json(refused).get("detail").asString()).isNotBlank();
    }

    /** A child that starts a new session, writes its pid, and sleeps: outside the run's process group for good. */
    private static String escapee() {
        return "setsid bash -c 'echo $$ > escapee.pid.tmp; mv escapee.pid.tmp escapee.pid; exec sleep 600' &";
    }

    private long awaitEscapee(String id) throws IOException {
        Path file = home.resolve("runs").resolve(id).resolve("escapee.pid");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        } catch (org.awaitility.core.ConditionTimeoutException never) {
            throw new AssertionError("the escapee never wrote its pid; run: " + client.run(id) + "; stderr: "
                    + client.log(id, "stderr"));
        }
        long pid = Long.parseLong(Files.readString(file).strip());
        assertThat(running(pid)).isTrue();
        return pid;
    }

    private String run(String script, String extra) {
        String body = "{\"asset\": \"demo/limits\", \"payload\": {\"script\": " + json(script) + "}"
                + (extra == null ? "" : ", " + extra) + "}";
        return client.createRun(body);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The run's cgroup in the pids hierarchy, wherever below the gateway's own cgroup it was made. */
    private static Path cageOf(String id) throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> findCage(id).isPresent());
        return findCage(id).orElseThrow();
    }

    private static Optional<Path> findCage(String id) throws IOException {
        try (Stream<Path> found = Files.find(
                Path.of("/sys/fs/cgroup/pids"),
                8,
                (path, attributes) -> path.getFileName() != null
                        && path.getFileName().toString().equals(id)
                        && path.getParent().getFileName().toString().equals("slurm-gateway-runs"))) {
            return found.findFirst();
        }
    }

    private static long current(Path cage) throws IOException {
        return Long.parseLong(Files.readString(cage.resolve("pids.current")).strip());
    }

    /** Whether a process executes: a zombie that nothing reaped has ended. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    /** The processes that still carry the run's marker in their environment. */
    private static List<Long> markedProcesses(String id) throws IOException {
        byte[] marker = ("SLURM_GATEWAY_RUN_ID=" + id).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(path -> {
                        try {
                            return new String(Files.readAllBytes(path.resolve("environ")), StandardCharsets.ISO_8859_1)
                                    .contains(new String(marker, StandardCharsets.ISO_8859_1));
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .filter(path -> running(Long.parseLong(path.getFileName().toString())))
                    .map(path -> Long.parseLong(path.getFileName().toString()))
                    .toList();
        }
    }
}
