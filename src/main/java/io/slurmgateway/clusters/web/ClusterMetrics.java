package io.slurmgateway.clusters.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.host.ConnectionStatus;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Each configured cluster's SSH link in Prometheus, read from the pool's state when scraped (never connecting):
 * {@code gateway.cluster.up} (1 up, 0 down, NaN before the first connection), open connections, busy channels,
 * callers waiting for a channel, and failed connection attempts. The only tag is the cluster's configured name.
 */
@Component
class ClusterMetrics {

    ClusterMetrics(MeterRegistry registry, ClusterRegistry clusters, ClusterOverview overview) {
        for (String name : clusters.names()) {
            gauge(
                    registry,
                    "gateway.cluster.up",
                    "Whether the gateway's SSH link to the cluster is up",
                    name,
                    overview,
                    status -> switch (status.health()) {
                        case UP -> 1;
                        case DOWN -> 0;
                        case UNKNOWN -> Double.NaN;
                    });
            gauge(
                    registry,
                    "gateway.ssh.connections.open",
                    "Open SSH connections to the cluster",
                    name,
                    overview,
                    ConnectionStatus::openConnections);
            gauge(
                    registry,
                    "gateway.ssh.channels.busy",
                    "SSH channels in use on the cluster's connections",
                    name,
                    overview,
                    ConnectionStatus::busyChannels);
            gauge(
                    registry,
                    "gateway.ssh.channels.waiting",
                    "Callers waiting for a free SSH channel",
                    name,
                    overview,
                    ConnectionStatus::waitingForChannel);
            FunctionCounter.builder("gateway.ssh.connect.failures", overview, source -> source.status(name)
                            .connectFailures())
                    .description("Failed SSH connection attempts to the cluster")
                    .tag("cluster", name)
                    .register(registry);
        }
    }

    private static void gauge(
            MeterRegistry registry,
            String metric,
            String description,
            String cluster,
            ClusterOverview overview,
            ToDoubleFunction<ConnectionStatus> value) {
        Gauge.builder(metric, overview, source -> value.applyAsDouble(source.status(cluster)))
                .description(description)
                .tag("cluster", cluster)
                .register(registry);
    }
}
