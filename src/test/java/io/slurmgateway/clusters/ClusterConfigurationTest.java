package io.slurmgateway.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slurmgateway.SlurmGatewayApplication;
import io.slurmgateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.NestedExceptionUtils;

/** Cluster settings are checked when the gateway starts, and each mistake names the property to fix. */
class ClusterConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void hostKeysMustBeVerifiedOneWayOrExplicitlyNot() throws Exception {
        Map<String, String> none = base();
        none.remove("c.known-hosts");
        assertThatThrownBy(() -> clusters(none))
                .hasMessageContaining("gateway.clusters.rig: set exactly one of gateway.clusters.rig.known-hosts")
                .hasMessageContaining("accept-any-host-key=true");

        Map<String, String> both = base();
        both.put("c.host-key-fingerprint", "SHA256:" + "A".repeat(43));
        assertThatThrownBy(() -> clusters(both)).hasMessageContaining("set exactly one of");

        Map<String, String> insecure = base();
        insecure.remove("c.known-hosts");
        insecure.put("c.accept-any-host-key", "true");
        assertThat(clusters(insecure).clusters()).containsKey("rig");
    }

    @Test
    void filesMustExist() throws Exception {
        Map<String, String> settings = base();
        settings.put("c.private-key", directory.resolve("absent").toString());
        assertThatThrownBy(() -> clusters(settings))
                .hasMessageContaining("gateway.clusters.rig.private-key: ")
                .hasMessageContaining("is not a readable file");
    }

    @Test
    void keyAndPassphraseFilesOthersCanReadAreRefusedNamingTheFile() throws Exception {
        Map<String, String> settings = base();
        Files.setPosixFilePermissions(
                Path.of(settings.get("c.private-key")), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> clusters(settings))
                .hasMessageContaining("gateway.clusters.rig.private-key: " + settings.get("c.private-key"))
                .hasMessageContaining("is accessible to its group or others (mode rw-r--r--)")
                .hasMessageContaining("chmod 600");

        Map<String, String> passphrase = base();
        Path loose = Files.writeString(directory.resolve("passphrase"), "secret\n");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw----"));
        passphrase.put("c.private-key-passphrase-file", loose.toString());
        assertThatThrownBy(() -> clusters(passphrase))
                .hasMessageContaining("gateway.clusters.rig.private-key-passphrase-file: " + loose)
                .hasMessageNotContaining("secret");
    }

    @Test
    void aClusterOnThisMachineNeedsNoSshSettingsButAnSshOneNeedsAll() throws Exception {
        Map<String, String> local = new HashMap<>();
        local.put("c.transport", "local");
        assertThat(clusters(local).clusters().get("rig").transport()).isEqualTo(ClusterProperties.Transport.LOCAL);

        Map<String, String> noKey = base();
        noKey.remove("c.private-key");
        assertThatThrownBy(() -> clusters(noKey))
                .hasMessageContaining("gateway.clusters.rig.private-key must be set")
                .hasMessageContaining("transport=local");
    }

    @Test
    void liveUsageIsOffUnlessAnIntervalIsSet() throws Exception {
        assertThat(bind(base()).liveUsageInterval()).isZero();

        Map<String, String> negative = base();
        negative.put("c.live-usage-interval", "-1s");
        assertThatThrownBy(() -> clusters(negative))
                .hasMessageContaining("gateway.clusters.rig.live-usage-interval must not be negative");
    }

    @Test
    void clusterNamesAreRestricted() throws Exception {
        ClusterProperties cluster = bind(base());
        assertThatThrownBy(() -> new ClustersProperties(Map.of("Bad Name", cluster), Duration.ofSeconds(30)))
                .hasMessageContaining("gateway.clusters.Bad Name: cluster names must match");
    }

    @Test
    void theGatewayDoesNotStartWithAnInvalidClusterAndSaysWhichProperty() throws Exception {
        Path key = TestFiles.ownerOnly(directory.resolve("key"), "x");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> new SpringApplicationBuilder(SlurmGatewayApplication.class)
                        .web(WebApplicationType.NONE)
                        .run(
                                "--spring.datasource.url=jdbc:h2:mem:clusters-" + System.nanoTime(),
                                "--gateway.execution.enabled=false",
                                "--gateway.clusters.rig.host=",
                                "--gateway.clusters.rig.user=u",
                                "--gateway.clusters.rig.private-key=" + key,
                                "--gateway.clusters.rig.known-hosts=" + key,
                                "--gateway.clusters.rig.channels-per-connection=0"));
        assertThat(failure).isNotNull();
        String message = NestedExceptionUtils.getMostSpecificCause(failure).getMessage() + failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            message += "\n" + cause.getMessage();
        }
        // Spring names them gateway.clusters[rig].host; its startup report prints "Property: gateway.clusters.rig.host"
        assertThat(message)
                .contains("gateway.clusters[rig].host")
                .contains("gateway.clusters[rig].channelsPerConnection");
    }

    private Map<String, String> base() throws Exception {
        return ClusterSettings.ssh(directory);
    }

    private static ClusterProperties bind(Map<String, String> settings) {
        return ClusterSettings.bind(settings);
    }

    private static ClustersProperties clusters(Map<String, String> settings) {
        return ClusterSettings.clusters(settings);
    }
}
