package io.slurmgateway.clusters;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.HostProperties;
import io.slurmgateway.host.LocalCommandRunner;
import io.slurmgateway.host.SshCommandRunner;
import io.slurmgateway.host.SshSettings;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The configured clusters, by name, each as its one {@link Cluster} handle. Handles are made when the gateway starts;
 * an SSH cluster connects on its first command, not then. Closing the registry (Spring does when the gateway stops)
 * closes every connection.
 */
@Component
public class ClusterRegistry implements AutoCloseable {

    private final Map<String, Cluster> clusters = new TreeMap<>();
    private final ExecutorService readers;
    private final Duration clusterInfoMaxAge;

    /** A registry with the default cap of SSH output readers. */
    public ClusterRegistry(ClustersProperties properties, SlurmMetrics metrics) {
        this(properties, metrics, new HostProperties(Duration.ofSeconds(60), 256));
    }

    @Autowired
    public ClusterRegistry(ClustersProperties properties, SlurmMetrics metrics, HostProperties host) {
        this.readers = SshCommandRunner.outputReaders(host.sshOutputReaders());
        properties.clusters().forEach((name, settings) -> {
            Map<String, ClusterAccount> accounts = new TreeMap<>();
            for (String identity : settings.accountNames()) {
                accounts.put(identity, account(name, identity, settings, metrics));
            }
            ClusterAccount service = accounts.getOrDefault(
                    ClusterIdentity.DEFAULT, accounts.values().iterator().next());
            clusters.put(name, new Cluster(name, settings, service, accounts));
        });
        this.clusterInfoMaxAge = properties.clusterInfoMaxAge();
    }

    private ClusterAccount account(String name, String identity, ClusterProperties settings, SlurmMetrics metrics) {
        String workDir = settings.workDirOf(identity);
        if (settings.transport() == ClusterProperties.Transport.LOCAL) {
            CommandRunner runner = new LocalCommandRunner(settings.commandTimeout());
            return new ClusterAccount(
                    identity,
                    System.getProperty("user.name"),
                    workDir,
                    runner,
                    new SlurmClient(name, identity, runner, metrics));
        }
        SshSettings ssh = settings.ssh("gateway.clusters." + name, identity);
        // messages about a tenant's link name its identity: "cluster 'hpc/team-a' is unreachable"
        String label = identity.equals(ClusterIdentity.DEFAULT) ? name : name + "/" + identity;
        CommandRunner runner = new SshCommandRunner(label, ssh, readers);
        return new ClusterAccount(
                identity, ssh.user(), workDir, runner, new SlurmClient(name, identity, runner, metrics));
    }

    /** The configured names, sorted. */
    public List<String> names() {
        return List.copyOf(clusters.keySet());
    }

    /** Every cluster, by name. */
    public Collection<Cluster> all() {
        return clusters.values();
    }

    public Optional<Cluster> find(String name) {
        return Optional.ofNullable(name).map(clusters::get);
    }

    /** The cluster a Slurm run goes to when it names none: the only one, when exactly one is configured. */
    public Optional<String> defaultCluster() {
        return clusters.size() == 1 ? Optional.of(names().get(0)) : Optional.empty();
    }

    /** How long what sinfo said of a cluster may be shown before it is asked again. */
    public Duration clusterInfoMaxAge() {
        return clusterInfoMaxAge;
    }

    @Override
    public void close() {
        for (Cluster cluster : clusters.values()) {
            for (ClusterAccount account : cluster.allAccounts()) {
                if (account.runner() instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // closing connections that are already broken
                    }
                }
            }
        }
        readers.shutdownNow();
    }
}
