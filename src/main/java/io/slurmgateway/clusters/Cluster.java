package io.slurmgateway.clusters;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.ConnectionStatus;
import io.slurmgateway.slurm.SlurmClient;

/**
 * The one handle of a configured cluster: its settings, the runner its commands go through (over SSH, or on this
 * machine) and its Slurm client. The scheduler, the overview and health all share it, so a cluster has one connection
 * pool and one set of command metrics.
 *
 * @param name the configured name, {@code gateway.clusters.<name>}
 */
public record Cluster(String name, ClusterProperties settings, CommandRunner runner, SlurmClient slurm) {

    /** How the link to the login node is doing; read from the pool's state, never connecting. */
    public ConnectionStatus status() {
        return runner.status();
    }

    /** The prefix of this cluster's properties, for messages that name one. */
    public String propertyPrefix() {
        return "gateway.clusters." + name;
    }
}
