package io.slurmgateway.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant identities: which one a run's creator gets, the checks made when the gateway starts, and the accounts the
 * registry builds (each with its own pool). That a run really executes as its identity's Unix user is shown on the
 * rig ({@code SlurmRigTenantsTest}).
 */
class ClusterIdentitiesTest {

    @TempDir
    Path directory;

    @Test
    void aPrincipalGetsTheIdentityNamingItElseTheFirstNamingOneOfItsRolesElseNone() throws Exception {
        Map<String, String> settings = base();
        identity(settings, "team-b", "bob", "principals", "carol");
        identity(settings, "team-a", "alice", "principals", "ann");
        settings.put("c.identities.team-a.roles", "admin");
        identity(settings, "ops", "operator", "roles", "admin,submitter");
        ClusterProperties cluster = clusters(settings).clusters().get("rig");

        assertThat(cluster.identityFor("carol", Set.of("admin"))).contains("team-b");
        assertThat(cluster.identityFor("ann", Set.of("submitter"))).contains("team-a");
        assertThat(cluster.identityFor("dave", Set.of("admin")))
                .as("two identities list the role; the first by name wins, whatever the configuration's order")
                .contains("ops");
        assertThat(cluster.identityFor("erin", Set.of("reader"))).isEmpty();
        assertThat(cluster.accountNames()).containsExactly("default", "ops", "team-a", "team-b");
    }

    @Test
    void withoutIdentitiesEveryRunUsesTheClustersOwnAccount() throws Exception {
        ClusterProperties cluster = clusters(base()).clusters().get("rig");

        assertThat(cluster.identityFor("anyone", Set.of())).contains(ClusterIdentity.DEFAULT);
        assertThat(cluster.accountNames()).containsExactly(ClusterIdentity.DEFAULT);
    }

    @Test
    void withIdentitiesTheClustersOwnAccountIsOptionalAndTheRegistryBuildsOnePoolPerAccount() throws Exception {
        Map<String, String> settings = base();
        settings.remove("c.user");
        settings.remove("c.private-key");
        identity(settings, "team-a", "alice", "principals", "ann");
        identity(settings, "team-b", "bob", "principals", "bob");
        settings.put("c.identities.team-b.work-dir", "/scratch/team-b");

        try (ClusterRegistry registry =
                new ClusterRegistry(clusters(settings), new SlurmMetrics(new SimpleMeterRegistry()))) {
            Cluster cluster = registry.find("rig").orElseThrow();

            assertThat(cluster.accounts()).containsOnlyKeys("team-a", "team-b");
            assertThat(cluster.service().identity())
                    .as("sinfo runs as the first identity")
                    .isEqualTo("team-a");
            ClusterAccount a = cluster.account("team-a").orElseThrow();
            ClusterAccount b = cluster.account("team-b").orElseThrow();
            assertThat(a.user()).isEqualTo("alice");
            assertThat(a.workDir()).isEqualTo("slurm-gateway");
            assertThat(b.user()).isEqualTo("bob");
            assertThat(b.workDir()).isEqualTo("/scratch/team-b");
            assertThat(a.runner()).isNotSameAs(b.runner());
            assertThat(cluster.account(null))
                    .as("runs from before identities used the default account")
                    .isEmpty();
        }
    }

    @Test
    void mistakesStopTheGatewayNamingTheProperty() throws Exception {
        Map<String, String> twice = base();
        identity(twice, "team-a", "alice", "principals", "ann");
        identity(twice, "team-b", "bob", "principals", "ann,bob");
        assertThatThrownBy(() -> clusters(twice))
                .hasMessageContaining("gateway.clusters.rig.identities: principal 'ann' is listed by both 'team-a'"
                        + " and 'team-b'");

        Map<String, String> unmapped = base();
        identity(unmapped, "team-a", "alice", "principals", "");
        assertThatThrownBy(() -> clusters(unmapped))
                .hasMessageContaining("gateway.clusters.rig.identities.team-a lists no principals and no roles");

        Map<String, String> reserved = base();
        identity(reserved, "default", "alice", "principals", "ann");
        assertThatThrownBy(() -> clusters(reserved))
                .hasMessageContaining("gateway.clusters.rig.identities.default: identity names must match");

        Map<String, String> unknownRole = base();
        identity(unknownRole, "team-a", "alice", "roles", "superuser");
        assertThatThrownBy(() -> clusters(unknownRole)).hasMessageContaining("unknown role 'superuser'");

        Map<String, String> local = new HashMap<>();
        local.put("c.transport", "local");
        identity(local, "team-a", "alice", "principals", "ann");
        assertThatThrownBy(() -> clusters(local))
                .hasMessageContaining("gateway.clusters.rig.identities need transport ssh");
    }

    @Test
    void anIdentitysKeyOthersCanReadIsRefusedNamingTheFile() throws Exception {
        Map<String, String> settings = base();
        identity(settings, "team-a", "alice", "principals", "ann");
        Path key = Path.of(settings.get("c.identities.team-a.private-key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> clusters(settings))
                .hasMessageContaining("gateway.clusters.rig.identities.team-a.private-key: " + key)
                .hasMessageContaining("is accessible to its group or others");
    }

    private void identity(Map<String, String> settings, String name, String user, String mapping, String values)
            throws Exception {
        Path key = TestFiles.ownerOnly(directory.resolve(name + "-key"), "x");
        settings.put("c.identities." + name + ".user", user);
        settings.put("c.identities." + name + ".private-key", key.toString());
        settings.put("c.identities." + name + "." + mapping, values);
    }

    private Map<String, String> base() throws Exception {
        return ClusterSettings.ssh(directory);
    }

    private static ClustersProperties clusters(Map<String, String> settings) {
        return ClusterSettings.clusters(settings);
    }
}
