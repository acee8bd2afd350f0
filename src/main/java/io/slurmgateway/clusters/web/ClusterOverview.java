package io.slurmgateway.clusters.web;

import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.host.ConnectionStatus;
import io.slurmgateway.host.SshCommandRunner;
import io.slurmgateway.host.SshHosts;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.system.ApiProperties;
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
 * What the gateway knows about each cluster: its SSH link's health and pool, and its partitions. Partitions come from
 * one sinfo, remembered for {@code gateway.api.cluster-info-max-age}, and are not asked for while the cluster is DOWN,
 * so reading this never hammers a cluster.
 */
@Component
class ClusterOverview {

    private final ClusterRegistry clusters;
    private final SshHosts hosts;
    private final SlurmMetrics metrics;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Partitions> partitions = new ConcurrentHashMap<>();

    private record Partitions(List<String> names, String error, Instant readAt) {}

    ClusterOverview(ClusterRegistry clusters, SshHosts hosts, SlurmMetrics metrics, Clock clock, ApiProperties api) {
        this.clusters = clusters;
        this.hosts = hosts;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAge = api.clusterInfoMaxAge();
    }

    List<ClusterResponse> all() {
        return clusters.names().stream().map(this::of).toList();
    }

    ConnectionStatus status(String name) {
        return hosts.of(name).status();
    }

    private ClusterResponse of(String name) {
        ClusterProperties settings = clusters.find(name).orElseThrow();
        SshCommandRunner host = hosts.of(name);
        Partitions known = host.status().health() == ConnectionStatus.Health.DOWN ? null : partitions(name, host);
        ConnectionStatus status = host.status(); // after sinfo, which may have connected or failed to
        String error = status.lastFailure() != null ? status.lastFailure() : known == null ? null : known.error();
        return new ClusterResponse(
                name,
                settings.host(),
                settings.port(),
                settings.user(),
                status.health(),
                new ClusterResponse.Pool(
                        status.openConnections(),
                        status.maxConnections(),
                        status.busyChannels(),
                        status.channelCapacity(),
                        status.connectionsOpened()),
                known == null ? null : known.names(),
                error);
    }

    /**
     * Why the cluster's Slurm controller did not answer the last (cached) sinfo, while its SSH link is up; empty when it
     * answered, or when the link is not up (then the link's state says enough, and no connection is opened for this).
     */
    Optional<String> controllerProblem(String name) {
        SshCommandRunner host = hosts.of(name);
        if (host.status().health() != ConnectionStatus.Health.UP) {
            return Optional.empty();
        }
        return Optional.ofNullable(partitions(name, host).error());
    }

    /** Reads outside any lock: a slow cluster delays only the requests that need its fresh partitions. */
    private Partitions partitions(String name, SshCommandRunner host) {
        Instant now = clock.instant();
        Partitions cached = partitions.get(name);
        if (cached != null && cached.readAt().plus(maxAge).isAfter(now)) {
            return cached;
        }
        Partitions fresh;
        try {
            fresh = new Partitions(new SlurmClient(name, host, metrics).partitions(), null, now);
        } catch (IOException | RuntimeException failed) {
            fresh = new Partitions(null, failed.getMessage(), now);
        }
        partitions.put(name, fresh);
        return fresh;
    }
}
