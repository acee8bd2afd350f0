package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.host.CommandTimeoutException;
import io.slurmgateway.host.SshCommandRunner;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The login shells people have, on the real rig: one cluster whose account logs in with tcsh, and one whose
 * {@code ~/.bashrc} prints banners on stdout and stderr ({@code scripts/slurm-rig.sh} makes both, with banners in
 * both profiles). Submission, polling to the end, log reads and cancel work for each, and their output holds no
 * banner; a command that overruns {@code command-timeout} is killed on the login node, not left running there.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigLoginShellsTest extends GatewayTestBase {

    private static final String WORK_DIR = "slurm-gateway-test/" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-login-shells");
        Properties rig = rig();
        for (String shell : List.of("tcsh", "banner")) {
            cluster(rig, shell)
                    .forEach((key, value) -> registry.add("gateway.clusters." + shell + "." + key, () -> value));
        }
    }

    /** The rig's cluster settings, logging in as the account with the login shell {@code shell}. */
    private static Map<String, String> cluster(Properties rig, String shell) {
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of("host", "port", "known-hosts", "default-partition")) {
            settings.put(key, rig.getProperty("gateway.clusters.rig." + key));
        }
        settings.put("user", user(rig, shell));
        settings.put("private-key", rig.getProperty("rig.login-shells." + shell + ".private-key"));
        settings.put("poll-interval", "300ms");
        settings.put("work-dir", WORK_DIR);
        return settings;
    }

    private static String user(Properties rig, String shell) {
        return rig.getProperty("rig.login-shells." + shell + ".user");
    }

    /** The rig's configuration with its login-shell accounts, from the file beside it that the rig script writes. */
    private static Properties rig() {
        Path accounts = SlurmRigAvailable.CONFIG.resolveSibling("login-shells.yml");
        assertThat(accounts)
                .as("the rig's accounts with untidy login shells: run scripts/slurm-rig.sh up to create them")
                .isReadable();
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource(accounts));
        Properties rig = SlurmRigAvailable.properties();
        rig.putAll(yaml.getObject());
        return rig;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcsh", "banner"})
    void submitsPollsReadsLogsAndCancelsWithoutABannerInTheOutput(String shell) {
        String done = client.createRun(run(shell, "echo \"out $((6 * 7))\"; echo err >&2; printf 'a\\nb'"));
        JsonNode completed = client.awaitState(done, "COMPLETED", Duration.ofSeconds(120));
        assertThat(completed.get("exitCode").asInt()).isZero();
        assertThat(client.log(done, "stdout")).isEqualTo("out 42\na\nb");
        assertThat(client.log(done, "stderr")).isEqualTo("err\n");

        String sleeper = client.createRun(run(shell, "echo started; sleep 300"));
        client.awaitState(sleeper, "RUNNING", Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.log(sleeper, "stdout").equals("started\n"));
        assertThat(client.post("/api/v1/runs/" + sleeper + "/cancel", "", Map.of())
                        .statusCode())
                .isEqualTo(202);
        client.awaitState(sleeper, "CANCELLED", Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcsh", "banner"})
    void aCommandThatOverrunsIsKilledOnTheLoginNode(String shell) throws Exception {
        Properties rig = rig();
        Map<String, String> settings = new HashMap<>();
        cluster(rig, shell).forEach((key, value) -> settings.put("c." + key, value));
        settings.put("c.command-timeout", "2s");
        ClusterProperties cluster = new Binder(new MapConfigurationPropertySource(settings))
                .bind("c", ClusterProperties.class)
                .get();
        ExecutorService readers = SshCommandRunner.outputReaders(8);
        String marker = "sg-overrun-" + UUID.randomUUID();
        try (SshCommandRunner runner = new SshCommandRunner(
                shell, cluster.ssh("gateway.clusters." + shell, ClusterIdentity.DEFAULT), readers)) {
            assertThat(runner.execute(List.of("echo", "no banner")).stdoutText())
                    .isEqualTo("no banner\n");
            assertThatThrownBy(() -> runner.execute(List.of("sh", "-c", "sleep 120; : " + marker)))
                    .isInstanceOf(CommandTimeoutException.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> !running(user(rig, shell), marker));
        } finally {
            readers.shutdownNow();
        }
    }

    private static String run(String cluster, String script) {
        return "{\"asset\": \"rig/login-shells\", \"mode\": \"slurm\", \"cluster\": \"" + cluster
                + "\", \"payload\": {\"script\": " + new JsonMapper().writeValueAsString(script)
                + "}, \"resources\": {\"timeLimit\": \"5\"}}";
    }

    /** Whether a process of {@code user} whose command line holds {@code marker} runs on the login node (here). */
    private static boolean running(String user, String marker) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-u", user, "-f", marker).start();
        return pgrep.waitFor() == 0;
    }
}
