package io.slurmgateway.clusters.web;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.host.ConnectionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One health contributor per cluster under {@code /actuator/health} ("clusters"), from the SSH link's state; it never
 * opens a connection itself. The liveness and readiness groups leave it out, so a cluster that is down never gets the
 * gateway restarted or taken out of service: it keeps accepting runs and serving the other clusters.
 */
@Configuration(proxyBeanMethods = false)
class ClusterHealth {

    @Bean
    CompositeHealthContributor clustersHealthContributor(ClusterRegistry clusters, ClusterOverview overview) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (String name : clusters.names()) {
            indicators.put(name, () -> health(overview.status(name)));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    private static Health health(ConnectionStatus status) {
        Health.Builder builder =
                switch (status.health()) {
                    case UP -> Health.up();
                    case DOWN -> Health.down();
                    case UNKNOWN -> Health.status(Status.UNKNOWN);
                };
        builder.withDetail("openConnections", status.openConnections())
                .withDetail("busyChannels", status.busyChannels());
        if (status.lastFailure() != null) {
            builder.withDetail("lastFailure", status.lastFailure());
        }
        return builder.build();
    }
}
