package io.slurmgateway.clusters.web;

import io.slurmgateway.host.ConnectionStatus;
import java.util.List;

/**
 * A configured cluster as operators see it.
 *
 * @param health UP, DOWN or UNKNOWN (never connected yet)
 * @param partitions as sinfo lists them, the default first; null while the cluster cannot be asked
 * @param lastError why the cluster is DOWN, or why its partitions could not be read
 */
record ClusterResponse(
        String name,
        String host,
        int port,
        String user,
        ConnectionStatus.Health health,
        Pool pool,
        List<String> partitions,
        String lastError) {

    /** The SSH pool: connections open of the most allowed, channels busy of the capacity, connections ever opened. */
    record Pool(
            int openConnections, int maxConnections, int busyChannels, int channelCapacity, long connectionsOpened) {}
}
