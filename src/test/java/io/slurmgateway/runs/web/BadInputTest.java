package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Bad input over real HTTP: each request gets a 4xx problem that names what is wrong, and leaves no run row, no
 * process and no file behind.
 */
class BadInputTest extends GatewayTestBase {

    private static final Path CANARY = Path.of("/tmp/pwned");
    private static final String SCRIPT = "\"payload\": {\"script\": \"echo hi\"}";
    private static Path home;

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "bad-input");
    }

    @BeforeEach
    void noCanaryYet() throws IOException {
        Files.deleteIfExists(CANARY);
    }

    static Stream<Arguments> badRuns() {
        return Stream.of(
                bad("malformed JSON", "{\"asset\": \"a\",", 400, "body"),
                bad("not JSON at all", "run my job please", 400, "body"),
                bad("empty body", "", 400, "body"),
                bad("an array instead of an object", "[]", 400, "body"),
                bad("two JSON documents", "{\"asset\": \"a\", " + SCRIPT + "} {}", 400, "body"),
                bad("asset is a number", "{\"asset\": 5, " + SCRIPT + "}", 400, "asset"),
                bad("nodes is text", run("\"resources\": {\"nodes\": \"two\"}"), 400, "resources.nodes"),
                bad("nodes is a fraction", run("\"resources\": {\"nodes\": 1.5}"), 400, "resources.nodes"),
                bad("args is not a list", run("\"args\": \"--all\""), 400, "args"),
                bad("env is a list", run("\"env\": [\"A=1\"]"), 400, "env"),
                bad("exclusive is text", run("\"resources\": {\"exclusive\": \"yes\"}"), 400, "resources.exclusive"),
                bad("unknown top-level field", run("\"asste\": \"x\""), 400, "asste"),
                bad("misspelt resource", run("\"resources\": {\"partiton\": \"debug\"}"), 400, "resources.partiton"),
                bad(
                        "unknown payload field",
                        "{\"asset\": \"a\", \"payload\": {\"scirpt\": \"x\"}}",
                        400,
                        "payload.scirpt"),
                bad("missing asset", "{" + SCRIPT + "}", 400, "asset"),
                bad("asset climbs directories", "{\"asset\": \"../../etc/passwd\", " + SCRIPT + "}", 400, "asset"),
                bad("asset with shell text", "{\"asset\": \"a;touch /tmp/pwned\", " + SCRIPT + "}", 400, "asset"),
                bad("asset too long", "{\"asset\": \"" + "a".repeat(256) + "\", " + SCRIPT + "}", 400, "asset"),
                bad(
                        "env name with shell text",
                        run("\"env\": {\"A;touch /tmp/pwned\": \"x\"}"),
                        400,
                        "env.A;touch /tmp/pwned"),
                bad("env name starts with a digit", run("\"env\": {\"1X\": \"x\"}"), 400, "env.1X"),
                bad(
                        "env name reserved by the gateway",
                        run("\"env\": {\"SLURM_GATEWAY_PAYLOAD\": \"/bin/sh\"}"),
                        400,
                        "env.SLURM_GATEWAY_PAYLOAD"),
                bad("env value null", run("\"env\": {\"X\": null}"), 400, "env.X"),
                bad(
                        "BASH_ENV, which bash would source",
                        run("\"env\": {\"BASH_ENV\": \"/tmp/x\"}"),
                        400,
                        "env.BASH_ENV"),
                bad(
                        "SHELLOPTS, which turns on xtrace",
                        run("\"env\": {\"SHELLOPTS\": \"xtrace\"}"),
                        400,
                        "env.SHELLOPTS"),
                bad("PS4, evaluated under xtrace", run("\"env\": {\"PS4\": \"$(touch /tmp/pwned)\"}"), 400, "env.PS4"),
                bad("LD_PRELOAD", run("\"env\": {\"LD_PRELOAD\": \"/tmp/evil.so\"}"), 400, "env.LD_PRELOAD"),
                bad("time limit abc", run("\"resources\": {\"timeLimit\": \"abc\"}"), 400, "resources.timeLimit"),
                bad("time limit zero", run("\"resources\": {\"timeLimit\": \"0\"}"), 400, "resources.timeLimit"),
                bad(
                        "a signal that cannot be caught",
                        run("\"resources\": {\"signalBeforeTimeout\": \"KILL@60\"}"),
                        400,
                        "resources.signalBeforeTimeout"),
                bad(
                        "a signal without its seconds",
                        run("\"resources\": {\"signalBeforeTimeout\": \"USR1\"}"),
                        400,
                        "resources.signalBeforeTimeout"),
                bad(
                        "a signal more than Slurm's 65535 s early",
                        run("\"resources\": {\"signalBeforeTimeout\": \"USR1@70000\"}"),
                        400,
                        "resources.signalBeforeTimeout"),
                bad(
                        "a signal that smuggles another sbatch option",
                        run("\"resources\": {\"signalBeforeTimeout\": \"USR1@60 --uid=0\"}"),
                        400,
                        "resources.signalBeforeTimeout"),
                bad(
                        "a signal due before the job even starts",
                        run("\"resources\": {\"timeLimit\": \"1\", \"signalBeforeTimeout\": \"USR1@60\"}"),
                        400,
                        "resources.signalBeforeTimeout"),
                bad(
                        "dask: an unknown option",
                        run("\"launcher\": \"dask\", \"launcherOptions\": {\"workers\": 3}"),
                        400,
                        "launcherOptions.workers"),
                bad(
                        "dask: negative worker memory",
                        run("\"launcher\": \"dask\", \"launcherOptions\": {\"workerMemory\": \"-1G\"}"),
                        400,
                        "launcherOptions.workerMemory"),
                bad(
                        "dask: negative worker threads",
                        run("\"launcher\": \"dask\", \"launcherOptions\": {\"workerThreads\": -1}"),
                        400,
                        "launcherOptions.workerThreads"),
                bad(
                        "dask: a head timeout as text",
                        run("\"launcher\": \"dask\", \"launcherOptions\": {\"headTimeout\": \"60\"}"),
                        400,
                        "launcherOptions.headTimeout"),
                bad(
                        "dask: a registration timeout of zero",
                        run("\"launcher\": \"dask\", \"launcherOptions\": {\"registrationTimeout\": 0}"),
                        400,
                        "launcherOptions.registrationTimeout"),
                bad(
                        "dask: a hostile interface",
                        run(
                                "\"launcher\": \"dask\", \"launcherOptions\": {\"networkInterface\": \"eth0; touch /tmp/pwned\"}"),
                        400,
                        "launcherOptions.networkInterface"),
                bad(
                        "spark: no main class",
                        run("\"launcher\": \"spark\", \"launcherOptions\": {}"),
                        400,
                        "launcherOptions.mainClass"),
                bad(
                        "spark: a hostile main class",
                        run(
                                "\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"Main; touch /tmp/pwned\"}"),
                        400,
                        "launcherOptions.mainClass"),
                bad(
                        "spark: a hostile executor memory",
                        run(
                                "\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"a.B\", \"executorMemory\": \"1g --conf x\"}"),
                        400,
                        "launcherOptions.executorMemory"),
                bad(
                        "spark: zero executor cores",
                        run(
                                "\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"a.B\", \"executorCores\": 0}"),
                        400,
                        "launcherOptions.executorCores"),
                bad(
                        "spark: a hostile conf key",
                        run(
                                "\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"a.B\", \"conf\": {\"$(touch /tmp/pwned)\": \"1\"}}"),
                        400,
                        "launcherOptions.conf.$(touch /tmp/pwned)"),
                bad(
                        "spark: a conf value with a newline",
                        run(
                                "\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"a.B\", \"conf\": {\"spark.app.name\": \"a\\ntouch /tmp/pwned\"}}"),
                        400,
                        "launcherOptions.conf.spark.app.name"),
                bad(
                        "ray: negative object store memory",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"objectStoreMemory\": \"-4G\"}"),
                        400,
                        "launcherOptions.objectStoreMemory"),
                bad(
                        "ray: negative GPUs",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"gpusPerNode\": -1}"),
                        400,
                        "launcherOptions.gpusPerNode"),
                bad(
                        "ray: a head argument with a newline",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"headArgs\": [\"--x\\ntouch /tmp/pwned\"]}"),
                        400,
                        "launcherOptions.headArgs"),
                bad(
                        "ray: a worker argument that is no string",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"workerArgs\": [1]}"),
                        400,
                        "launcherOptions.workerArgs"),
                bad(
                        "ray: a pre-start line with a control character",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"preStart\": [\"module load x\\u0000\"]}"),
                        400,
                        "launcherOptions.preStart"),
                bad(
                        "ray: pre-start lines that are no list",
                        run("\"launcher\": \"ray\", \"launcherOptions\": {\"preStart\": \"module load x\"}"),
                        400,
                        "launcherOptions.preStart"),
                bad(
                        "spark: an inline script instead of a JAR",
                        run("\"launcher\": \"spark\", \"launcherOptions\": {\"mainClass\": \"a.B\"}"),
                        400,
                        "payload.script"),
                bad(
                        "dask: two nodes in local mode",
                        run("\"launcher\": \"dask\", \"resources\": {\"nodes\": 2}"),
                        400,
                        "resources.nodes"),
                bad("memory -1G", run("\"resources\": {\"memory\": \"-1G\"}"), 400, "resources.memory"),
                bad("memory with unknown unit", run("\"resources\": {\"memory\": \"12X\"}"), 400, "resources.memory"),
                bad(
                        "partition with shell text",
                        run("\"resources\": {\"partition\": \"debug; touch /tmp/pwned\"}"),
                        400,
                        "resources.partition"),
                bad("zero nodes", run("\"resources\": {\"nodes\": 0}"), 400, "resources.nodes"),
                bad("no payload", "{\"asset\": \"a\"}", 400, "payload"),
                bad(
                        "script and path",
                        "{\"asset\": \"a\", \"payload\": {\"script\": \"x\", \"path\": \"/bin/true\"}}",
                        400,
                        "payload"),
                bad(
                        "relative payload path",
                        "{\"asset\": \"a\", \"payload\": {\"path\": \"bin/job.sh\"}}",
                        400,
                        "payload.path"),
                bad(
                        "payload path with shell text",
                        "{\"asset\": \"a\", \"payload\": {\"path\": \"/bin/$(touch /tmp/pwned)\"}}",
                        400,
                        "payload.path"),
                bad(
                        "script with a NUL",
                        "{\"asset\": \"a\", \"payload\": {\"script\": \"echo \\u0000\"}}",
                        400,
                        "payload.script"),
                bad("blank script", "{\"asset\": \"a\", \"payload\": {\"script\": \"  \\n\"}}", 400, "payload.script"),
                bad(
                        "script over its size limit",
                        "{\"asset\": \"a\", \"payload\": {\"script\": \"" + "#".repeat(300_000) + "\"}}",
                        400,
                        "payload.script"),
                bad(
                        "body over its size limit",
                        "{\"asset\": \"a\", \"payload\": {\"script\": \"" + "#".repeat(1_100_000) + "\"}}",
                        413,
                        "body"),
                bad(
                        "too many env entries",
                        run("\"env\": {"
                                + IntStream.range(0, 129)
                                        .mapToObj(i -> "\"V" + i + "\": \"x\"")
                                        .collect(Collectors.joining(","))
                                + "}"),
                        400,
                        "env"),
                bad(
                        "too many args",
                        run("\"args\": ["
                                + IntStream.range(0, 257).mapToObj(i -> "\"a\"").collect(Collectors.joining(","))
                                + "]"),
                        400,
                        "args"),
                bad("argument over its size limit", run("\"args\": [\"" + "x".repeat(33_000) + "\"]"), 400, "args[0]"),
                bad(
                        "env value over its size limit",
                        run("\"env\": {\"BIG\": \"" + "x".repeat(33_000) + "\"}"),
                        400,
                        "env.BIG"),
                bad("unknown mode", run("\"mode\": \"cloud\""), 400, "mode"),
                bad("slurm mode without clusters", run("\"mode\": \"slurm\""), 400, "mode"),
                bad("cluster on a local run", run("\"cluster\": \"hpc1\""), 400, "cluster"),
                bad("unknown launcher", run("\"launcher\": \"perl\""), 400, "launcher"),
                bad(
                        "bash launcher options",
                        run("\"launcherOptions\": {\"workers\": 4}"),
                        400,
                        "launcherOptions.workers"),
                bad("Dagster run id with a newline", run("\"dagster\": {\"runId\": \"a\\nb\"}"), 400, "dagster.runId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRuns")
    void badRunRequestIsRefusedAndChangesNothing(String name, String body, int status, String field) {
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();

        HttpResponse<String> response = client.post("/api/v1/runs", body, Map.of());

        assertProblem(response, status, field);
        assertNothingChanged(childrenBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void badHeaderIsRefusedAndChangesNothing(String name, Map<String, String> headers, int status, String field) {
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();

        HttpResponse<String> response = client.post("/api/v1/runs", run("\"args\": []"), headers);

        assertProblem(response, status, field);
        assertNothingChanged(childrenBefore);
    }

    @org.junit.jupiter.api.Test
    void largeFormBodyOnAnotherMethodIsRefusedWithoutBeingRead() {
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();
        String form = "a=" + "x".repeat(5_000_000);

        HttpResponse<String> response =
                client.send("PUT", "/api/v1/runs", form, Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(response.statusCode()).isIn(405, 413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertNothingChanged(childrenBefore);
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of("Idempotency-Key with a space", Map.of("Idempotency-Key", "a b"), 400, "Idempotency-Key"),
                Arguments.of(
                        "Idempotency-Key too long", Map.of("Idempotency-Key", "k".repeat(256)), 400, "Idempotency-Key"),
                Arguments.of("not JSON content", Map.of("Content-Type", "text/plain"), 415, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReads")
    void badReadIsRefusedWithAProblem(String name, String path, int status, String field) {
        assertProblem(client.get(path), status, field);
    }

    static Stream<Arguments> badReads() {
        String unknown = "/api/v1/runs/7b0c8c1e-2a5e-4a8e-9d5c-1f9e1c3b2a10";
        return Stream.of(
                Arguments.of("id is not a UUID", "/api/v1/runs/not-a-uuid", 400, "id"),
                Arguments.of("unknown run", unknown, 404, null),
                Arguments.of("negative page", "/api/v1/runs?page=-1", 400, "page"),
                Arguments.of("page size zero", "/api/v1/runs?size=0", 400, "size"),
                Arguments.of("page size over the limit", "/api/v1/runs?size=201", 400, "size"),
                Arguments.of("page beyond any possible offset", "/api/v1/runs?page=2147483647&size=200", 400, "page"),
                Arguments.of("unknown state filter", "/api/v1/runs?state=SLEEPING", 400, "state"),
                Arguments.of("unknown log stream", unknown + "/logs/stdin", 400, "stream"),
                Arguments.of("negative log offset", unknown + "/logs/stdout?offset=-1", 400, "offset"),
                Arguments.of("logs of an unknown run", unknown + "/logs/stdout", 404, null),
                Arguments.of("events of an unknown run", unknown + "/events", 404, null),
                Arguments.of("negative event position", unknown + "/events?after=-5", 400, "after"));
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = client.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("urn:slurm-gateway:problem:");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
        }
    }

    private void assertNothingChanged(List<ProcessHandle> childrenBefore) {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run", Integer.class))
                .isZero();
        assertThat(ProcessHandle.current().children().filter(child -> !childrenBefore.contains(child)))
                .isEmpty();
        assertThat(home.resolve("runs"))
                .satisfiesAnyOf(runs -> assertThat(runs).doesNotExist(), runs -> assertThat(runs)
                        .isEmptyDirectory());
        assertThat(CANARY).doesNotExist();
    }

    private static String run(String extraField) {
        return "{\"asset\": \"demo/a\", " + SCRIPT + ", " + extraField + "}";
    }

    private static Arguments bad(String name, String body, int status, String field) {
        return Arguments.of(name, body, status, field);
    }
}
