package io.slurmgateway.clusters.web;

import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.host.ConnectionStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the gateway knows about each cluster: its link's health and pool, and its partitions. Partitions come from
 * one sinfo, remembered for {@code gateway.cluster-info-max-age}, and are not asked for while the cluster is DOWN,
 * so reading this never hammers a cluster.
 */
@Component
class ClusterOverview {

    private final ClusterRegistry clusters;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Partitions> partitions = new ConcurrentHashMap<>();

    private record Partitions(List<String> names, String error, Instant readAt) {}

    ClusterOverview(ClusterRegistry clusters, Clock clock) {
        this.clusters = clusters;
        this.clock = clock;
        this.maxAge = clusters.clusterInfoMaxAge();
    }

    List<ClusterResponse> all() {
        return clusters.all().stream().map(this::of).toList();
    }

    ConnectionStatus status(String name) {
        return cluster(name).status();
    }

    private Cluster cluster(String name) {
        return clusters.find(name).orElseThrow();
    }

    private ClusterResponse of(Cluster cluster) {
        ClusterProperties settings = cluster.settings();
        Partitions known = cluster.status().health() == ConnectionStatus.Health.DOWN ? null : partitions(cluster);
        ConnectionStatus status = cluster.status(); // after sinfo, which may have connected or failed to
        String error = status.lastFailure() != null ? status.lastFailure() : known == null ? null : known.error();
        boolean local = settings.transport() == ClusterProperties.Transport.LOCAL;
        return new ClusterResponse(
                cluster.name(),
                local ? null : settings.host(),
                local ? 0 : settings.port(),
                local ? System.getProperty("user.name") : settings.user(),
                status.health(),
                new ClusterResponse.Pool(
                        status.openConnections(),
                        status.maxConnections(),
                        status.busyChannels(),
                        status.channelCapacity(),
                        status.connectionsOpened()),
                known == null ? null : known.names(),
                error,
                cluster.accounts().values().stream()
                        .map(account -> {
                            ConnectionStatus link = account.runner().status();
                            return new ClusterResponse.IdentityStatus(
                                    account.identity(), account.user(), link.health(), link.lastFailure());
                        })
                        .sorted(java.util.Comparator.comparing(ClusterResponse.IdentityStatus::name))
                        .toList());
    }

    /**
     * Why the cluster's Slurm controller did not answer the last (cached) sinfo, while its link is up; empty when it
     * answered, or when the link is not up (then the link's state says enough, and no connection is opened for this).
     */
    Optional<String> controllerProblem(String name) {
        Cluster cluster = cluster(name);
        if (cluster.status().health() != ConnectionStatus.Health.UP) {
            return Optional.empty();
        }
        return Optional.ofNullable(partitions(cluster).error());
    }

    /** Reads outside any lock: a slow cluster delays only the requests that need its fresh partitions. */
    private Partitions partitions(Cluster cluster) {
        Instant now = clock.instant();
        Partitions cached = partitions.get(cluster.name());
        if (cached != null && cached.readAt().plus(maxAge).isAfter(now)) {
            return cached;
        }
        Partitions fresh;
        try {
            fresh = new Partitions(cluster.slurm().partitions(), null, now);
        } catch (IOException | RuntimeException failed) {
            fresh = new Partitions(null, failed.getMessage(), now);
        }
        partitions.put(cluster.name(), fresh);
        return fresh;
    }
}
