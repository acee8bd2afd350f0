package io.slurmgateway.clusters;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Slurm clusters this gateway submits to, by name ({@code gateway.clusters.<name>}). Checked when the gateway
 * starts: a mistake stops it with a message naming the property.
 *
 * @param clusters the clusters, by name
 * @param clusterInfoMaxAge how long {@code GET /api/v1/clusters} and the health endpoint reuse a cluster's partition
 *     list ({@code gateway.cluster-info-max-age}) before asking sinfo again
 */
@Validated
@ConfigurationProperties("gateway")
public record ClustersProperties(
        @DefaultValue @NotNull Map<String, @Valid @NotNull ClusterProperties> clusters,
        @DefaultValue("30s") @NotNull Duration clusterInfoMaxAge) {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public ClustersProperties {
        clusters = new TreeMap<>(clusters);
        clusters.forEach((name, cluster) -> {
            if (!CLUSTER_NAME.matcher(name).matches()) {
                throw new IllegalStateException(
                        "gateway.clusters." + name + ": cluster names must match " + CLUSTER_NAME.pattern());
            }
            cluster.checkConsistency("gateway.clusters." + name);
        });
        clusters = Map.copyOf(clusters);
    }
}
