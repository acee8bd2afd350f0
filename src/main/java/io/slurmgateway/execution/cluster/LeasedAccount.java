package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.runs.ClusterLeases;
import io.slurmgateway.runs.RunCustody;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster account on this instance, and its lease: while this instance holds the lease it runs the account's
 * {@link ClusterWorker}, which acts only while {@link #isHeld()}; when it takes the lease it first adopts the
 * account's runs, and when it cannot renew the lease in time, or another instance has it, the worker stops.
 *
 * <p>The lease counts as held until a quarter of its duration before it expires (measured from when this instance
 * asked for it, on the monotonic clock), so that the holder has stopped acting before any other instance can take it
 * over, even when a renewal is slow. {@link #keep} is called every quarter duration, so one renewal may fail.
 */
final class LeasedAccount {

    private static final Logger log = LoggerFactory.getLogger(LeasedAccount.class);

    private final String cluster;
    private final String identity;
    private final String owner;
    private final Duration duration;
    private final ClusterLeases leases;
    private final RunCustody custody;
    private final ExecutionMetrics metrics;
    private final BiFunction<LeasedAccount, List<UUID>, ClusterWorker> workers;

    private volatile long heldUntilNanos = System.nanoTime();
    private volatile boolean everHeld;

    /** Changed only on the thread that keeps leases; read by those that wake workers. */
    private volatile ClusterWorker worker;

    /**
     * @param workers makes the worker of a newly taken lease, given the runs another instance was submitting
     */
    LeasedAccount(
            String cluster,
            String identity,
            String owner,
            Duration duration,
            ClusterLeases leases,
            RunCustody custody,
            ExecutionMetrics metrics,
            BiFunction<LeasedAccount, List<UUID>, ClusterWorker> workers) {
        this.cluster = cluster;
        this.identity = identity;
        this.owner = owner;
        this.duration = duration;
        this.leases = leases;
        this.custody = custody;
        this.metrics = metrics;
        this.workers = workers;
        metrics.leaseHeld(cluster, identity, this::isHeld);
    }

    String cluster() {
        return cluster;
    }

    String identity() {
        return identity;
    }

    /** Whether this instance may act on the account now: it holds the lease with a safe margin left. */
    boolean isHeld() {
        return heldUntilNanos - System.nanoTime() > 0;
    }

    /** Takes or renews the lease, and starts or stops the worker accordingly. */
    void keep() {
        long asked = System.nanoTime();
        boolean held;
        try {
            held = leases.acquire(cluster, identity, owner, duration);
        } catch (RuntimeException failed) {
            if (worker != null && !isHeld()) {
                stopWorker("its lease could not be renewed in time (" + failed.getMessage() + ")");
            }
            throw failed;
        }
        if (!held) {
            heldUntilNanos = asked;
            if (worker != null) {
                stopWorker("another instance holds its lease now");
            }
            return;
        }
        heldUntilNanos = asked + duration.toNanos() - duration.toNanos() / 4;
        if (worker == null) {
            startWorker();
        }
    }

    /** Stops the worker; with {@code release}, gives the lease up too, so another instance can take it at once. */
    void stop(boolean release) {
        if (worker != null) {
            heldUntilNanos = System.nanoTime();
            worker.stop();
            worker = null;
        }
        if (release && everHeld) {
            try {
                leases.release(cluster, identity, owner);
            } catch (RuntimeException failed) {
                log.warn(
                        "cluster '{}', identity '{}': the lease could not be released; another instance takes it"
                                + " over when it expires: {}",
                        cluster,
                        identity,
                        failed.getMessage());
            }
        }
    }

    /** The running worker, if this instance holds the lease. */
    ClusterWorker worker() {
        return worker;
    }

    private void startWorker() {
        RunCustody.Adoption adoption = custody.adopt(cluster, identity, owner);
        everHeld = true;
        metrics.leaseChanged(cluster, identity, "acquired");
        metrics.swept(cluster, "adopted", adoption.runs());
        log.info(
                "cluster '{}', identity '{}': instance '{}' holds the lease now{}",
                cluster,
                identity,
                owner,
                adoption.runs() == 0 ? "" : " and adopted " + adoption.runs() + " run(s) of other instances");
        worker = workers.apply(this, adoption.stagingElsewhere());
        worker.start();
    }

    private void stopWorker(String why) {
        log.warn("cluster '{}', identity '{}': this instance stops acting on it: {}", cluster, identity, why);
        metrics.leaseChanged(cluster, identity, "lost");
        worker.stop();
        worker = null;
    }
}
