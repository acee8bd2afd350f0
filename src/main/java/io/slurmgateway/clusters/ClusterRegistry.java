package io.slurmgateway.clusters;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The configured clusters, by name. */
@Component
public class ClusterRegistry {

    private final ClustersProperties properties;

    public ClusterRegistry(ClustersProperties properties) {
        this.properties = properties;
    }

    public List<String> names() {
        return properties.clusters().keySet().stream().sorted().toList();
    }

    public Optional<ClusterProperties> find(String name) {
        return Optional.ofNullable(name).map(properties.clusters()::get);
    }

    /** The cluster a Slurm run goes to when it names none: the only one, when exactly one is configured. */
    public Optional<String> defaultCluster() {
        return properties.clusters().size() == 1 ? Optional.of(names().get(0)) : Optional.empty();
    }
}
