package io.slurmgateway.clusters.web;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.host.ConnectionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One health contributor per cluster under {@code /actuator/health} ("clusters"): UP while the SSH link is up and the
 * Slurm controller answers (the cached sinfo of {@link ClusterOverview}), DEGRADED when either fails, UNKNOWN before
 * the first connection; it never opens a connection to a cluster whose link is not up. DEGRADED sorts above UP but
 * maps to HTTP 200 ({@code management.endpoint.health.status.*} in application.yml), so a cluster that is down shows in
 * the health details without taking the gateway out of service; the liveness and readiness groups leave clusters out.
 */
@Configuration(proxyBeanMethods = false)
class ClusterHealth {

    static final Status DEGRADED = new Status("DEGRADED");

    @Bean
    CompositeHealthContributor clustersHealthContributor(ClusterRegistry clusters, ClusterOverview overview) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (String name : clusters.names()) {
            indicators.put(name, () -> health(overview.status(name), overview.controllerProblem(name)));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    private static Health health(ConnectionStatus status, Optional<String> controllerProblem) {
        Health.Builder builder =
                switch (status.health()) {
                    case UP -> controllerProblem.isPresent() ? Health.status(DEGRADED) : Health.up();
                    case DOWN -> Health.status(DEGRADED);
                    case UNKNOWN -> Health.status(Status.UNKNOWN);
                };
        builder.withDetail("ssh", status.health().name())
                .withDetail("openConnections", status.openConnections())
                .withDetail("busyChannels", status.busyChannels());
        if (status.lastFailure() != null) {
            builder.withDetail("lastFailure", status.lastFailure());
        }
        controllerProblem.ifPresent(problem -> builder.withDetail("slurmController", problem));
        return builder.build();
    }
}
