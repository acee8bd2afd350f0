package io.slurmgateway.clusters;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Slurm clusters this gateway submits to, by name ({@code gateway.clusters.<name>}). Checked when the gateway
 * starts: a mistake stops it with a message naming the property.
 */
@Validated
@ConfigurationProperties("gateway")
public record ClustersProperties(@DefaultValue @NotNull Map<String, @Valid @NotNull ClusterProperties> clusters) {

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
