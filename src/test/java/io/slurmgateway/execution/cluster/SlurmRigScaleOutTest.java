package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayClient;
import io.slurmgateway.support.GatewayProcess;
import io.slurmgateway.support.PostgresAvailable;
import io.slurmgateway.support.RigControl;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The fault suite: gateways as real processes on one PostgreSQL, against the real Slurm rig, killed with
 * {@code kill -9}, restarted one by one, and run through outages of the login node's sshd and of slurmctld. Every run
 * must end as its job did, with all its output, and Slurm's accounting must hold exactly one job per run.
 */
@ExtendWith({SlurmRigAvailable.class, PostgresAvailable.class})
class SlurmRigScaleOutTest {

    private static final Duration FLOW = Duration.ofMinutes(6);

    @TempDir
    Path home;

    private String schema;
    private String workDir;
    private final List<GatewayProcess> gateways = new ArrayList<>();

    @BeforeEach
    void isolate() throws IOException {
        schema =
                "gateway_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String userHome =
                RigControl.run("getent", "passwd", RigControl.user()).strip().split(":")[5];
        workDir = userHome + "/slurm-gateway-test/" + UUID.randomUUID();
    }

    @AfterEach
    void cleanUp() throws Exception {
        gateways.forEach(GatewayProcess::close);
        RigControl.up(); // a failed test may have left sshd or slurmctld stopped
        try (Connection connection = PostgresAvailable.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void theSurvivorOfTwoInstancesFinishesEveryRunOfTheOneKilled() throws Exception {
        GatewayProcess a = gateway("a");
        GatewayProcess b = gateway("b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // posted to both alternately: creates work on every instance
            ids.add((i % 2 == 0 ? a : b).client().createRun(slurmRun("echo run-" + i + "; sleep 1")));
        }
        await().atMost(FLOW).until(() -> leaseHolder() != null);
        GatewayProcess holder = "a".equals(leaseHolder()) ? a : b;
        GatewayProcess survivor = holder == a ? b : a;
        await().atMost(FLOW).until(() -> count("state IN ('COMPLETED', 'FAILED')") >= 25);

        // while the holder lives, the other instance has not run one command on the cluster's jobs
        assertThat(jobCommands(survivor)).isZero();
        assertThat(jobCommands(holder)).isPositive();
        holder.kill();

        await().atMost(FLOW)
                .until(() -> count("state IN ('COMPLETED', 'FAILED', 'CANCELLED', 'SUBMIT_FAILED'," + " 'TIMED_OUT')")
                        == ids.size());
        assertEveryRunEndedRight(survivor.client(), ids, i -> "run-" + i + "\n");
        assertOneJobPerRun(ids);
        assertThat(leaseHolder()).isEqualTo(survivor == a ? "a" : "b");
        assertThat(leaseEpoch()).isEqualTo(2); // taken over once
        assertThat(survivor.metric("gateway_slurm_commands_total", "purpose=\"poll\""))
                .isPositive();
    }

    @Test
    void killNineAtRandomPointsTenTimesLosesAndDuplicatesNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("kill points from seed " + seed);
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int kill = 0; kill < 10; kill++) {
            GatewayProcess solo = gateway("solo");
            if (ids.isEmpty()) {
                for (int i = 0; i < 50; i++) {
                    ids.add(solo.client().createRun(slurmRun("echo run-" + i + "; sleep 2")));
                }
            }
            // every other kill while a run is being submitted (between its claim and the commit of its job id, sbatch
            // included), the others once a few more runs have ended
            long ended = count("state = 'COMPLETED'");
            int more = 1 + random.nextInt(4);
            boolean whileStaging = kill % 2 == 0;
            await().atMost(FLOW)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> (whileStaging && count("state = 'STAGING'") > 0)
                            || count("state = 'COMPLETED'") >= ended + more
                            || count("state = 'COMPLETED'") == ids.size());
            solo.kill();
            System.out.printf(
                    "kill %d: %d run(s) staging, %d completed%n",
                    kill + 1, count("state = 'STAGING'"), count("state = 'COMPLETED'"));
        }
        GatewayProcess last = gateway("solo");
        await().atMost(FLOW).until(() -> count("state = 'COMPLETED'") == ids.size());
        assertEveryRunEndedRight(last.client(), ids, i -> "run-" + i + "\n");
        assertOneJobPerRun(ids);
    }

    @Test
    void runsLiveThroughOutagesOfSshdAndSlurmctld() throws Exception {
        GatewayProcess gateway = gateway("outages");
        GatewayClient client = gateway.client();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // four run at once on the rig, two wait for them
            ids.add(client.createRun(slurmRun("echo start-" + i + "; sleep 45; echo end-" + i)));
        }
        await().atMost(FLOW).until(() -> count("state = 'RUNNING'") >= 4);

        RigControl.stopSshd();
        await().atMost(FLOW).until(() -> "DEGRADED".equals(clusterHealth(client)));
        holdFor(Duration.ofSeconds(30)); // the length of the outage, not a wait for an outcome
        RigControl.up();
        await().atMost(FLOW).until(() -> "UP".equals(clusterHealth(client)));

        RigControl.stopSlurmctld();
        await().atMost(FLOW).until(() -> "DEGRADED".equals(clusterHealth(client)));
        holdFor(Duration.ofSeconds(60));
        assertThat(count("state IN ('FAILED', 'SUBMIT_FAILED', 'CANCELLED', 'TIMED_OUT')"))
                .isZero();
        RigControl.up();

        await().atMost(FLOW).until(() -> count("state = 'COMPLETED'") == ids.size());
        assertEveryRunEndedRight(client, ids, i -> "start-" + i + "\nend-" + i + "\n");
        assertOneJobPerRun(ids);
    }

    @Test
    void theSweepCancelsAnOrphanJobAndRemovesOldRunDirectoriesOnly() throws Exception {
        GatewayProcess gateway = gateway(
                "sweeper",
                "--gateway.clusters.rig.housekeeping.sweep-interval=2s",
                "--gateway.clusters.rig.housekeeping.work-dir-retention=1s");
        GatewayClient client = gateway.client();
        String orphan = "sg-" + UUID.randomUUID();
        String orphanJob = RigControl.submitAsUser("--job-name=" + orphan, "--output=/dev/null", "--wrap=sleep 300");
        String ended = client.createRun(slurmRun("echo done"));
        String running = client.createRun(slurmRun("echo going; sleep 60"));
        client.awaitState(ended, "COMPLETED", FLOW);
        client.awaitState(running, "RUNNING", FLOW);

        await().atMost(FLOW)
                .until(() -> RigControl.queueState(orphanJob).isEmpty()
                        || RigControl.queueState(orphanJob).equals("CANCELLED"));
        await().atMost(FLOW).until(() -> !RigControl.existsAsUser(workDir + "/" + ended));
        assertThat(RigControl.existsAsUser(workDir + "/" + running)).isTrue(); // still needed
        assertThat(client.log(ended, "stdout")).isEqualTo("done\n"); // its output is stored, not on the cluster
        assertThat(gateway.metric("gateway_sweep_actions_total", "action=\"orphan_cancelled\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(java.nio.file.Files.readString(gateway.log())).contains("cancelled orphan Slurm job " + orphanJob);
        client.send("POST", "/api/v1/runs/" + running + "/cancel", "", Map.of());
        client.awaitState(running, "CANCELLED", FLOW);
    }

    @Test
    void aRollingRestartOfTwoInstancesUnderLoadLosesNothing() throws Exception {
        GatewayProcess[] instances = {gateway("r1"), gateway("r2")};
        List<String> ids = new ArrayList<>();
        int posted = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++, posted++) {
                ids.add(post(instances, posted));
            }
            // stop one gracefully: it releases its leases, the other takes them at once; then it comes back
            GatewayProcess leaving = instances[round];
            leaving.stop();
            for (int i = 0; i < 10; i++, posted++) {
                ids.add(post(instances, posted));
            }
            instances[round] = gateway(round == 0 ? "r1" : "r2");
            await().atMost(FLOW)
                    .until(() -> instances[0]
                                    .client()
                                    .get("/actuator/health/readiness")
                                    .statusCode()
                            == 200);
        }
        GatewayProcess any = instances[0];
        await().atMost(FLOW).until(() -> count("state = 'COMPLETED'") == ids.size());
        assertEveryRunEndedRight(any.client(), ids, i -> "run-" + i + "\n");
        assertOneJobPerRun(ids);
    }

    /** Posts run {@code i} to a live instance, with an idempotency key: a retry on the other makes no second run. */
    private String post(GatewayProcess[] instances, int i) {
        String key = "rolling-" + schema + "-" + i;
        String last = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            GatewayProcess to = instances[(i + attempt) % instances.length];
            if (!to.isAlive()) {
                continue;
            }
            try {
                HttpResponse<String> created = to.client()
                        .post("/api/v1/runs", slurmRun("echo run-" + i + "; sleep 1"), Map.of("Idempotency-Key", key));
                if (created.statusCode() == 202 || created.statusCode() == 200) {
                    return to.client().json(created).get("id").asString();
                }
                last = created.statusCode() + " " + created.body();
            } catch (RuntimeException stopping) {
                last = stopping.toString(); // the instance is going away: the other one takes it
            }
        }
        throw new AssertionError("run " + i + " could not be posted to either instance: " + last);
    }

    private void assertEveryRunEndedRight(
            GatewayClient client, List<String> ids, java.util.function.IntFunction<String> output) {
        for (int i = 0; i < ids.size(); i++) {
            JsonNode run = client.run(ids.get(i));
            assertThat(run.get("state").asString()).as("run %d", i).isEqualTo("COMPLETED");
            assertThat(run.get("exitCode").asInt()).isZero();
            assertThat(client.log(ids.get(i), "stdout"))
                    .as("stdout of run %d", i)
                    .isEqualTo(output.apply(i));
        }
    }

    /** Accounting holds exactly one job named after each run: none lost, none submitted twice. */
    private void assertOneJobPerRun(List<String> ids) {
        List<String> names = ids.stream().map(id -> "sg-" + id).toList();
        Map<String, List<String>> jobs = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            jobs.clear();
            jobs.putAll(RigControl.jobsByName(names));
            return jobs.keySet().containsAll(names);
        });
        jobs.forEach((name, ofRun) -> assertThat(ofRun).as("jobs of " + name).hasSize(1));
    }

    private GatewayProcess gateway(String instance, String... extra) throws IOException {
        String url = PostgresAvailable.URL + "?currentSchema=" + schema;
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + PostgresAvailable.USER,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.create-schemas=true",
                "--spring.config.import=optional:file:" + SlurmRigAvailable.CONFIG.toAbsolutePath(),
                "--gateway.execution.instance-id=" + instance,
                "--gateway.execution.lease-duration=6s",
                "--gateway.execution.work-dir=" + home.resolve("runs-" + instance),
                "--gateway.clusters.rig.poll-interval=300ms",
                "--gateway.clusters.rig.connect-timeout=5s",
                "--gateway.clusters.rig.channel-wait-timeout=5s",
                "--gateway.clusters.rig.command-timeout=15s",
                "--gateway.clusters.rig.reconnect-backoff=200ms",
                "--gateway.clusters.rig.max-reconnect-backoff=2s",
                "--gateway.clusters.rig.work-dir=" + workDir));
        arguments.addAll(List.of(extra));
        GatewayProcess gateway = GatewayProcess.start(home.resolve("gateway-" + instance + ".log"), arguments);
        gateways.add(gateway);
        return gateway;
    }

    /** Commands on the cluster's jobs this instance ran: submissions, lookups, polls, cancels and output reads. */
    private static double jobCommands(GatewayProcess gateway) {
        double sum = 0;
        for (String purpose : List.of("submit", "lookup", "poll", "cancel", "logs")) {
            sum += gateway.metric("gateway_slurm_commands_total", "purpose=\"" + purpose + "\"");
        }
        return sum;
    }

    private static String clusterHealth(GatewayClient client) {
        JsonNode health = client.json(client.get("/actuator/health"));
        return health.path("components")
                .path("clusters")
                .path("components")
                .path("rig")
                .path("status")
                .asString("");
    }

    private long count(String where) throws SQLException {
        return query("SELECT count(*) FROM " + schema + ".run WHERE " + where, row -> row.getLong(1));
    }

    private String leaseHolder() throws SQLException {
        return query(
                "SELECT max(holder) FROM " + schema + ".cluster_lease WHERE expires_at > CURRENT_TIMESTAMP",
                row -> row.getString(1));
    }

    private long leaseEpoch() throws SQLException {
        return query("SELECT max(epoch) FROM " + schema + ".cluster_lease", row -> row.getLong(1));
    }

    private interface Column<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> T query(String sql, Column<T> column) throws SQLException {
        try (Connection connection = PostgresAvailable.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return column.read(row);
        }
    }

    private static void holdFor(Duration outage) throws InterruptedException {
        Thread.sleep(outage.toMillis());
    }

    private static String slurmRun(String script) {
        return "{\"asset\": \"rig/scale-out\", \"mode\": \"slurm\", \"payload\": {\"script\": \""
                + script.replace("\"", "\\\"") + "\"}}";
    }
}
