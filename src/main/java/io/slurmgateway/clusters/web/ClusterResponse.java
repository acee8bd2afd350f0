package io.slurmgateway.clusters.web;

import io.slurmgateway.host.ConnectionStatus;
import java.util.List;

/**
 * A configured cluster as operators see it.
 *
 * @param health UP, DOWN or UNKNOWN (never connected yet)
 * @param partitions as sinfo lists them, the default first; null while the cluster cannot be asked
 * @param host the login node; null for a local-transport cluster, and for callers who are not admins
 * @param user the cluster account; null for callers who are not admins
 * @param lastError why the cluster is DOWN, or why its partitions could not be read; null for callers who are not
 *     admins
 * @param identities the accounts runs execute as, each with its Unix user and link; null for callers who are not
 *     admins
 */
record ClusterResponse(
        String name,
        String host,
        int port,
        String user,
        ConnectionStatus.Health health,
        Pool pool,
        List<String> partitions,
        String lastError,
        List<IdentityStatus> identities) {

    /** The cluster as a non-admin sees it: no login host, port, user or raw error, which tell an attacker where to go. */
    ClusterResponse withoutDetails() {
        return new ClusterResponse(name, null, 0, null, health, pool, partitions, null, null);
    }

    /**
     * One account of the cluster: {@code default} is the cluster's own {@code user}, the others are tenant
     * identities.
     *
     * @param lastFailure why its last connection attempt failed, while its link is DOWN
     */
    record IdentityStatus(String name, String user, ConnectionStatus.Health health, String lastFailure) {}

    /** The SSH pool: connections open of the most allowed, channels busy of the capacity, connections ever opened. */
    record Pool(
            int openConnections, int maxConnections, int busyChannels, int channelCapacity, long connectionsOpened) {}
}
