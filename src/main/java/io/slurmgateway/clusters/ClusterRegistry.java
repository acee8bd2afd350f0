package io.slurmgateway.clusters;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.LocalCommandRunner;
import io.slurmgateway.host.SshCommandRunner;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The configured clusters, by name, each as its one {@link Cluster} handle. Handles are made when the gateway starts;
 * an SSH cluster connects on its first command, not then. Closing the registry (Spring does when the gateway stops)
 * closes every connection.
 */
@Component
public class ClusterRegistry implements AutoCloseable {

    private final Map<String, Cluster> clusters = new TreeMap<>();
    private final ExecutorService readers = Executors.newCachedThreadPool(daemonThreads("ssh-output-reader"));
    private final Duration clusterInfoMaxAge;

    public ClusterRegistry(ClustersProperties properties, SlurmMetrics metrics) {
        properties.clusters().forEach((name, settings) -> {
            CommandRunner runner = settings.transport() == ClusterProperties.Transport.LOCAL
                    ? new LocalCommandRunner(settings.commandTimeout())
                    : new SshCommandRunner(name, settings.ssh("gateway.clusters." + name), readers);
            clusters.put(name, new Cluster(name, settings, runner, new SlurmClient(name, runner, metrics)));
        });
        this.clusterInfoMaxAge = properties.clusterInfoMaxAge();
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
            if (cluster.runner() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing connections that are already broken
                }
            }
        }
        readers.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
