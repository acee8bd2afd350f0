package io.slurmgateway.host;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded set of SSH connections to one cluster, each carrying several channels at once. A caller waits for a free
 * channel (up to {@code channel-wait-timeout}) rather than failing; connections open lazily, no faster than
 * {@code min-connect-interval} apart, and after a failed attempt the next one waits with exponential backoff, during
 * which callers fail at once instead of piling up.
 */
final class SshConnectionPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshConnectionPool.class);

    /** Work done with a connected client while holding one channel of it. */
    interface ClientWork<T> {
        T run(SSHClient client) throws IOException;
    }

    private final String cluster;
    private final SshSettings settings;
    private final SshConnector connector;
    private final Semaphore channels;
    private final PooledConnection[] connections;
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();

    private final Object connectGate = new Object();
    private long nextConnectAtNanos;
    private int consecutiveFailures;
    private long backoffUntilNanos;
    private IOException lastFailure;
    private volatile boolean closed;

    SshConnectionPool(String cluster, SshSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
        this.connector = new SshConnector(cluster, settings);
        this.nextConnectAtNanos = System.nanoTime();
        this.channels = new Semaphore(settings.poolSize() * settings.channelsPerConnection(), true);
        this.connections = new PooledConnection[settings.poolSize()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new PooledConnection();
        }
    }

    /** Runs {@code work} on one channel's worth of a connected client; waits for a free channel if all are busy. */
    <T> T withClient(ClientWork<T> work) throws IOException {
        acquireChannel();
        PooledConnection connection = reserve();
        try {
            SSHClient client = connection.connected();
            try {
                return work.run(client);
            } catch (TransportException | ConnectionException broken) {
                if (!client.isConnected()) {
                    connection.discard(client);
                }
                throw broken;
            }
        } finally {
            connection.release();
            channels.release();
        }
    }

    /** How many connections this pool has opened since it was created. */
    long connectionsOpened() {
        return connectionsOpened.get();
    }

    ConnectionStatus status() {
        int open = 0;
        int busy = 0;
        synchronized (this) {
            for (PooledConnection connection : connections) {
                open += connection.isConnected() ? 1 : 0;
                busy += connection.inUse;
            }
        }
        ConnectionStatus.Health health;
        String failure = null;
        synchronized (connectGate) {
            if (consecutiveFailures > 0) {
                health = ConnectionStatus.Health.DOWN;
                failure = lastFailure.getMessage();
            } else if (open > 0 || connectionsOpened.get() > 0) {
                health = ConnectionStatus.Health.UP;
            } else {
                health = ConnectionStatus.Health.UNKNOWN;
            }
        }
        return new ConnectionStatus(
                health,
                open,
                connections.length,
                busy,
                connections.length * settings.channelsPerConnection(),
                connectionsOpened.get(),
                connectFailures.get(),
                channels.getQueueLength(),
                failure);
    }

    @Override
    public void close() {
        closed = true;
        for (PooledConnection connection : connections) {
            connection.close();
        }
    }

    private void acquireChannel() throws IOException {
        try {
            if (!channels.tryAcquire(settings.channelWaitTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no free SSH channel to cluster '" + cluster + "' within "
                        + settings.channelWaitTimeout().toMillis() + " ms (all "
                        + settings.poolSize() * settings.channelsPerConnection() + " busy)");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an SSH channel", interrupted);
        }
    }

    /** Picks the connection for a new channel: a connected one with room, the least busy first; else an idle slot. */
    private synchronized PooledConnection reserve() {
        PooledConnection best = null;
        for (PooledConnection candidate : connections) {
            if (candidate.inUse < settings.channelsPerConnection()
                    && candidate.isConnected()
                    && (best == null || candidate.inUse < best.inUse)) {
                best = candidate;
            }
        }
        if (best == null) {
            for (PooledConnection candidate : connections) {
                if (candidate.inUse < settings.channelsPerConnection()) {
                    best = candidate;
                    break;
                }
            }
        }
        // the semaphore holds no more permits than the slots have channels, so one always has room
        best.inUse++;
        return best;
    }

    private synchronized void released(PooledConnection connection) {
        connection.inUse--;
    }

    private SshConnector.Connected open() throws IOException {
        if (closed) {
            throw new IOException("the SSH pool of cluster '" + cluster + "' is closed");
        }
        waitForConnectTurn();
        try {
            SshConnector.Connected connected = connector.connect();
            synchronized (connectGate) {
                consecutiveFailures = 0;
            }
            connectionsOpened.incrementAndGet();
            return connected;
        } catch (IOException failed) {
            connectFailures.incrementAndGet();
            synchronized (connectGate) {
                consecutiveFailures++;
                long backoff = backoff(consecutiveFailures).toNanos();
                backoffUntilNanos = System.nanoTime() + backoff;
                lastFailure = failed;
                log.warn(
                        "connecting to cluster '{}' failed ({} in a row); next attempt in {} ms: {}",
                        cluster,
                        consecutiveFailures,
                        TimeUnit.NANOSECONDS.toMillis(backoff),
                        failed.getMessage());
            }
            throw failed;
        }
    }

    /** Spaces connection attempts out; during a backoff after failures, fails at once with the last failure. */
    private void waitForConnectTurn() throws IOException {
        synchronized (connectGate) {
            long now = System.nanoTime();
            // nanoTime values may be negative: only their differences mean anything
            if (consecutiveFailures > 0 && backoffUntilNanos - now > 0) {
                throw new IOException(
                        "cluster '" + cluster + "' is unreachable; next connection attempt in "
                                + TimeUnit.NANOSECONDS.toMillis(backoffUntilNanos - now) + " ms (last failure: "
                                + lastFailure.getMessage() + ")",
                        lastFailure);
            }
            long waitNanos = nextConnectAtNanos - now;
            nextConnectAtNanos = (waitNanos > 0 ? nextConnectAtNanos : now)
                    + settings.minConnectInterval().toNanos();
            if (waitNanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to connect", interrupted);
                }
            }
        }
    }

    private Duration backoff(int failures) {
        Duration delay = settings.reconnectBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(settings.maxReconnectBackoff()) > 0 ? settings.maxReconnectBackoff() : delay;
    }

    /** One slot of the pool: a connection (or none yet) and how many channels use it. */
    private final class PooledConnection {

        /** Guarded by the pool's monitor. */
        private int inUse;

        /** Read without this slot's lock, so that choosing a slot never waits for one that is connecting. */
        private volatile SshConnector.Connected connection;

        boolean isConnected() {
            SshConnector.Connected current = connection;
            return current != null
                    && current.client().isConnected()
                    && current.client().isAuthenticated();
        }

        /** The connected client, connecting first when there is none or it broke. */
        synchronized SSHClient connected() throws IOException {
            if (!isConnected()) {
                close();
                connection = open();
            }
            return connection.client();
        }

        synchronized void discard(SSHClient broken) {
            if (connection != null && connection.client() == broken) {
                close();
            }
        }

        void release() {
            released(this);
        }

        synchronized void close() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }
}
