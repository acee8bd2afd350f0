package io.slurmgateway.blobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.host.LocalCommandRunner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * One {@link HostCache} per cluster account, and one for local runs: each owns its directory, so that the in-flight
 * transfers and unpacks of a digest are shared by everything on this instance that needs it.
 */
@Component
public class HostCaches {

    private static final String LOCAL = "local";

    private final BlobStore store;
    private final BlobProperties properties;
    private final LocalCommandRunner localRunner;
    private final MeterRegistry meters;
    private final Map<String, HostCache> caches = new ConcurrentHashMap<>();

    HostCaches(BlobStore store, BlobProperties properties, LocalCommandRunner localRunner, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.localRunner = localRunner;
        this.meters = meters;
    }

    /** The cache of a cluster account, in its {@code cache.dir}. */
    public HostCache of(Cluster cluster, ClusterAccount account) {
        return caches.computeIfAbsent(
                name(cluster.name(), account.identity()),
                name -> new HostCache(
                        name,
                        account.runner(),
                        cluster.settings().cache().dir(),
                        cluster.settings().cache().budget().toBytes(),
                        List.copyOf(cluster.settings().cache().unpackCommand()),
                        store,
                        meters));
    }

    /** The cache of local runs, in {@code gateway.blobs.local-cache.dir}. */
    public HostCache local() {
        return caches.computeIfAbsent(
                LOCAL,
                name -> new HostCache(
                        name,
                        localRunner,
                        properties
                                .localCache()
                                .dir()
                                .toAbsolutePath()
                                .normalize()
                                .toString(),
                        properties.localCache().budget().toBytes(),
                        List.of(),
                        store,
                        meters));
    }

    /** A cache's name: its cluster, and the identity unless it is the cluster's default account. */
    public static String name(String cluster, String identity) {
        return ClusterIdentity.DEFAULT.equals(identity) ? cluster : cluster + "/" + identity;
    }
}
