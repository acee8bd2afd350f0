package io.slurmgateway.deployment;

import static io.slurmgateway.deployment.HelmChartTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.security.Role;
import io.slurmgateway.security.SecurityProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * What the chart renders is what the gateway reads: its application.yml and its token Secret, laid out the way
 * Kubernetes mounts a Secret (files linked through {@code ..data}), bind to the gateway's own properties records.
 */
@SuppressWarnings("unchecked")
class ChartConfigurationBindingTest {

    @TempDir
    Path directory;

    @Test
    void theRenderedClusterAndTokensBindToTheGatewaysProperties() throws Exception {
        HelmChartTest.Rendered rendered =
                HelmChartTest.render(t -> t.withValuesFile(Path.of("src/test/resources/helm/everything-on.yaml")));
        StandardEnvironment environment = new StandardEnvironment();
        Path application = Files.writeString(
                directory.resolve("application.yml"),
                at(rendered.named("ConfigMap", "slurm-gateway"), "data.application.yml")
                        .toString());
        for (PropertySource<?> source :
                new YamlPropertySourceLoader().load("chart", new FileSystemResource(application))) {
            environment.getPropertySources().addLast(source);
        }
        Path tree = mountedLikeKubernetes(rendered.named("Secret", "-auth"), directory.resolve("auth"));
        environment.getPropertySources().addLast(new ConfigTreePropertySource("auth", tree));
        Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));

        ClusterProperties hpc =
                binder.bind("gateway.clusters.hpc", ClusterProperties.class).get();
        assertThat(hpc.host()).isEqualTo("login.hpc.example.org");
        assertThat(hpc.user()).isEqualTo("svc-dagster");
        assertThat(hpc.privateKey()).isEqualTo(Path.of("/var/run/slurm-gateway/ssh/hpc/private-key"));
        assertThat(hpc.privateKeyPassphraseFile()).isEqualTo(Path.of("/var/run/slurm-gateway/ssh/hpc/passphrase"));
        assertThat(hpc.knownHosts()).isEqualTo(Path.of("/etc/slurm-gateway/ssh-secrets/hpc/known_hosts"));
        assertThat(hpc.poolSize()).isEqualTo(4);
        assertThat(hpc.defaultPartition()).isEqualTo("batch");
        ClusterProperties gpu =
                binder.bind("gateway.clusters.gpu-2", ClusterProperties.class).get();
        assertThat(gpu.port()).isEqualTo(2222);
        assertThat(gpu.hostKeyFingerprint()).isEqualTo("SHA256:2pvIyZkR1cYGiY0zx6kZfJ2Xo0cQdV8j8v0n8qX6n8E");
        assertThat(gpu.knownHosts()).isNull();

        SecurityProperties security =
                binder.bind("gateway.security", SecurityProperties.class).get();
        assertThat(security.tokens()).containsOnlyKeys("ci-bot");
        assertThat(security.tokens().get("ci-bot").sha256())
                .isEqualTo("f7d4fc65a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7");
        assertThat(security.tokens().get("ci-bot").roles()).isEqualTo(Set.of(Role.SUBMITTER, Role.READER));
        assertThat(security.oidc().issuerUri()).hasToString("https://login.example.org/realms/hpc");
    }

    /** A Secret's keys as Kubernetes mounts them: a timestamped directory, {@code ..data} to it, a link per key. */
    private static Path mountedLikeKubernetes(Map<String, Object> secret, Path mount) throws Exception {
        Path version = Files.createDirectories(mount.resolve("..2026_12_02_11_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
        Map<String, Object> data = (Map<String, Object>) secret.get("data");
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            Files.write(
                    version.resolve(entry.getKey()),
                    Base64.getDecoder().decode(entry.getValue().toString()));
            Files.createSymbolicLink(mount.resolve(entry.getKey()), Path.of("..data", entry.getKey()));
        }
        assertThat(List.of(mount.toFile().list())).contains("gateway.security.tokens.ci-bot.sha256");
        return mount;
    }
}
