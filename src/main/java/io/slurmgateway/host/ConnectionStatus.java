package io.slurmgateway.host;

/**
 * How the gateway's SSH link to a cluster is doing.
 *
 * @param health UP when it is connected or its last attempt succeeded, DOWN while a failed attempt's backoff runs,
 *     UNKNOWN before the first attempt
 * @param connectFailures connection attempts that failed since the gateway started
 * @param waitingForChannel callers waiting for a free channel (an estimate)
 * @param lastFailure why the last connection attempt failed, while the cluster is DOWN
 */
public record ConnectionStatus(
        Health health,
        int openConnections,
        int maxConnections,
        int busyChannels,
        int channelCapacity,
        long connectionsOpened,
        long connectFailures,
        int waitingForChannel,
        String lastFailure) {

    /** The status of a host that is this machine: always up, with no connections to count. */
    public static final ConnectionStatus THIS_MACHINE = new ConnectionStatus(Health.UP, 0, 0, 0, 0, 0, 0, 0, null);

    public enum Health {
        UP,
        DOWN,
        UNKNOWN
    }
}
