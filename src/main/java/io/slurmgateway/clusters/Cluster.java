package io.slurmgateway.clusters;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.ConnectionStatus;
import io.slurmgateway.slurm.SlurmClient;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The one handle of a configured cluster: its settings and its accounts, each with the runner its commands go through
 * (over SSH, or on this machine) and its Slurm client. The scheduler, the overview and health all share it, so an
 * account has one connection pool and a cluster one set of command metrics.
 *
 * @param name the configured name, {@code gateway.clusters.<name>}
 * @param service the account of the gateway's own queries (sinfo): the cluster's {@code user}, else its first
 *     identity
 * @param accounts every account runs may use, by identity name
 */
public record Cluster(
        String name, ClusterProperties settings, ClusterAccount service, Map<String, ClusterAccount> accounts) {

    public Cluster {
        accounts = Map.copyOf(accounts);
    }

    /** The runner of the service account. */
    public CommandRunner runner() {
        return service.runner();
    }

    /** The Slurm client of the service account. */
    public SlurmClient slurm() {
        return service.slurm();
    }

    /** The account of {@code identity}; runs stored before identities existed have none and use {@code default}. */
    public Optional<ClusterAccount> account(String identity) {
        return Optional.ofNullable(accounts.get(identity == null ? ClusterIdentity.DEFAULT : identity));
    }

    /** Every account, each once. */
    public Collection<ClusterAccount> allAccounts() {
        return accounts.values();
    }

    /**
     * How the link to the login node is doing, read from the pools' state, never connecting: the service account's
     * health and last failure, with the connections and channels of all the cluster's accounts.
     */
    public ConnectionStatus status() {
        ConnectionStatus own = service.runner().status();
        if (accounts.size() <= 1) {
            return own;
        }
        int open = 0, max = 0, busy = 0, capacity = 0, waiting = 0;
        long opened = 0, failures = 0;
        for (ClusterAccount account : accounts.values()) {
            ConnectionStatus pool = account.runner().status();
            open += pool.openConnections();
            max += pool.maxConnections();
            busy += pool.busyChannels();
            capacity += pool.channelCapacity();
            opened += pool.connectionsOpened();
            failures += pool.connectFailures();
            waiting += pool.waitingForChannel();
        }
        return new ConnectionStatus(
                own.health(), open, max, busy, capacity, opened, failures, waiting, own.lastFailure());
    }

    /** The prefix of this cluster's properties, for messages that name one. */
    public String propertyPrefix() {
        return "gateway.clusters." + name;
    }
}
