package io.slurmgateway.host;

import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** One {@link SshCommandRunner} per configured cluster; each connects on its first use, not at startup. */
@Component
public class SshHosts implements AutoCloseable {

    private final ClusterRegistry clusters;
    private final Map<String, SshCommandRunner> runners = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newCachedThreadPool(daemonThreads("ssh-output-reader"));

    public SshHosts(ClusterRegistry clusters) {
        this.clusters = clusters;
    }

    /** The runner of a configured cluster. */
    public SshCommandRunner of(String cluster) {
        return runners.computeIfAbsent(cluster, name -> {
            ClusterProperties settings = clusters.find(name)
                    .orElseThrow(() -> new IllegalArgumentException("no cluster '" + name + "' is configured"));
            return new SshCommandRunner(name, settings, readers);
        });
    }

    /** Closes every connection; Spring calls it when the gateway stops. */
    @Override
    public void close() {
        runners.values().forEach(SshCommandRunner::close);
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
