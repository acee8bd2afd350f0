package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.SlurmGatewayApplication;
import io.slurmgateway.support.GatewayClient;
import io.slurmgateway.support.RigControl;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A gateway that stops and starts again while its Slurm jobs go on: it follows them again, and a job submitted just
 * before a crash (its id never recorded) is found by name and adopted, never submitted a second time.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigRestartTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path home;

    private String databaseUrl;
    private String workDir;

    @BeforeEach
    void isolate() throws IOException {
        databaseUrl = "jdbc:h2:file:" + home.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        String rigUser = SlurmRigAvailable.properties().getProperty("gateway.clusters.rig.user");
        String userHome = run("getent", "passwd", rigUser).split(":")[5];
        workDir = userHome + "/slurm-gateway-test/" + UUID.randomUUID();
    }

    @Test
    void jobsRunningAcrossARestartAreFollowedToTheEnd() {
        String id;
        try (ConfigurableApplicationContext first = gateway(true)) {
            GatewayClient client = clientOf(first);
            id = client.createRun(slurmRun("echo before; sleep 4; echo after; exit 5"));
            client.awaitState(id, "RUNNING", JOB_TIMEOUT);
            await().atMost(JOB_TIMEOUT).until(() -> client.log(id, "stdout").equals("before\n"));
            assertThat(commands(first, "usage")).isZero();
        }

        try (ConfigurableApplicationContext second = gateway(true)) {
            GatewayClient client = clientOf(second);
            JsonNode run = client.awaitState(id, "FAILED", JOB_TIMEOUT);
            assertThat(run.get("exitCode").asInt()).isEqualTo(5);
            assertThat(client.log(id, "stdout")).isEqualTo("before\nafter\n");
            assertThat(submissions(second)).isZero();
            // live usage is off unless a cluster sets live-usage-interval: the running job cost no sstat
            assertThat(commands(second, "usage")).isZero();
        }
    }

    @Test
    void aJobSubmittedJustBeforeACrashIsAdoptedNotSubmittedAgain() throws Exception {
        String id;
        try (ConfigurableApplicationContext apiOnly = gateway(false)) {
            id = clientOf(apiOnly).createRun(slurmRun("echo submitted by the gateway"));
        }
        // the state a crash right after sbatch leaves behind: the run STAGING and owned, its job id never recorded
        markStaging(id);
        String directory = workDir + "/" + id;
        String rigUser = SlurmRigAvailable.properties().getProperty("gateway.clusters.rig.user");
        run("runuser", "-u", rigUser, "--", "mkdir", "-p", directory);
        String jobId = run(
                "runuser",
                "-u",
                rigUser,
                "--",
                "sbatch",
                "--parsable",
                "--job-name=sg-" + id,
                "--chdir=" + directory,
                "--output=" + directory + "/stdout.log",
                "--error=" + directory + "/stderr.log",
                "--wrap=echo submitted before the crash");

        try (ConfigurableApplicationContext second = gateway(true)) {
            GatewayClient client = clientOf(second);
            JsonNode run = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
            assertThat(run.get("slurmJobId").asString()).isEqualTo(jobId);
            assertThat(client.log(id, "stdout")).isEqualTo("submitted before the crash\n");
            assertThat(submissions(second)).isZero();
            assertThat(run("squeue", "--noheader", "--states=all", "--name=sg-" + id, "--format=%i"))
                    .isEqualTo(jobId);
        }
    }

    private void markStaging(String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE run SET state = 'STAGING', owner_id = 'rig-restart', version = version + 1"
                                + " WHERE id = ?")) {
            update.setObject(1, UUID.fromString(id));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static double submissions(ConfigurableApplicationContext context) {
        return commands(context, "submit");
    }

    private static double commands(ConfigurableApplicationContext context, String purpose) {
        Counter commands = context.getBean(MeterRegistry.class)
                .find("gateway.slurm.commands")
                .tags("cluster", "rig", "purpose", purpose)
                .counter();
        return commands == null ? 0 : commands.count();
    }

    private static String slurmRun(String script) {
        return "{\"asset\": \"rig/restart\", \"mode\": \"slurm\", \"payload\": {\"script\": \"" + script + "\"}}";
    }

    private ConfigurableApplicationContext gateway(boolean executing) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + databaseUrl,
                "--gateway.execution.enabled=" + executing,
                "--gateway.execution.instance-id=rig-restart",
                "--gateway.execution.work-dir=" + home.resolve("runs"),
                "--gateway.clusters.rig.poll-interval=300ms",
                "--gateway.clusters.rig.work-dir=" + workDir));
        SlurmRigAvailable.properties().forEach((key, value) -> {
            if (!key.equals("gateway.clusters.rig.work-dir")) {
                args.add("--" + key + "=" + value);
            }
        });
        return new SpringApplicationBuilder(SlurmGatewayApplication.class).run(args.toArray(String[]::new));
    }

    private static GatewayClient clientOf(ConfigurableApplicationContext context) {
        return new GatewayClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    private static String run(String... command) throws IOException {
        return RigControl.run(command).strip();
    }
}
