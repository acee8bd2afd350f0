package io.slurmgateway.execution.cluster;

import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunWorkQueue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The submitting side of a cluster worker: claims accepted runs and submits them, and tries uncertain submissions
 * again after a doubling backoff, up to {@code submit-attempts}. A job that an attempt started is handed to the poller
 * through {@code onActive}.
 */
final class Submissions {

    private static final Logger log = LoggerFactory.getLogger(Submissions.class);

    private final String cluster;
    private final String identity;
    private final ClusterProperties settings;
    private final String owner;
    private final int batchSize;
    private final SlurmSubmitter submitter;
    private final RunWorkQueue queue;
    private final ExecutionMetrics metrics;
    private final Consumer<ActiveJob> onActive;
    private final java.util.function.BooleanSupplier leaseHeld;

    /** Filled by recovery on the polling thread, worked off by the submitting thread. */
    private final Map<UUID, Retry> retries = new ConcurrentHashMap<>();

    /** A submission to try again: the run, how many attempts it had, and when the next is due. */
    private record Retry(ClaimedRun run, int attempts, long dueAtNanos) {}

    Submissions(
            String cluster,
            String identity,
            ClusterProperties settings,
            String owner,
            int batchSize,
            SlurmSubmitter submitter,
            RunWorkQueue queue,
            ExecutionMetrics metrics,
            Consumer<ActiveJob> onActive,
            java.util.function.BooleanSupplier leaseHeld) {
        this.cluster = cluster;
        this.identity = identity;
        this.settings = settings;
        this.owner = owner;
        this.batchSize = batchSize;
        this.submitter = submitter;
        this.queue = queue;
        this.metrics = metrics;
        this.onActive = onActive;
        this.leaseHeld = leaseHeld;
    }

    /**
     * A run this instance, or the instance it took over from, was staging: checked by name before anything is
     * submitted, once {@code after} has passed.
     */
    void checkAgain(ClaimedRun run, Duration after) {
        retries.put(run.id(), new Retry(run, 0, System.nanoTime() + after.toNanos()));
    }

    /**
     * The longest one submission can take from the moment it is decided: waiting for a connection and a channel, then
     * sbatch, which is killed on the cluster past its limit.
     */
    static Duration longestSubmission(ClusterProperties settings) {
        return settings.connectTimeout().plus(settings.channelWaitTimeout()).plus(settings.killOnClusterAfter());
    }

    /** Whether a run waits here to be checked or submitted again. */
    boolean isPending(UUID runId) {
        return retries.containsKey(runId);
    }

    int pendingChecks() {
        return retries.size();
    }

    void submitAccepted() {
        for (ClaimedRun run : queue.claimForSubmission(cluster, identity, owner, batchSize)) {
            attempt(run, 1, false);
        }
    }

    void retryDue() {
        long now = System.nanoTime();
        for (Retry retry : List.copyOf(retries.values())) {
            if (retry.dueAtNanos() - now <= 0) {
                retries.remove(retry.run().id());
                attempt(retry.run(), retry.attempts() + 1, true);
            }
        }
    }

    private void attempt(ClaimedRun run, int attempt, boolean mayExist) {
        if (!leaseHeld.getAsBoolean()) { // the lease lapsed mid-batch: the run stays STAGING, and whoever holds the
            retries.put(run.id(), new Retry(run, attempt - 1, System.nanoTime())); // lease next checks it by name
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", run.id().toString())) {
            try {
                follow(run, attempt, submitter.submit(run, mayExist, attempt >= settings.submitAttempts()));
            } catch (RuntimeException failed) {
                // e.g. a database failure after an uncertain step: the next attempt checks before submitting anything
                metrics.stepFailed("slurm:" + cluster, "submit");
                log.warn("submitting run {} failed (attempt {}): {}", run.id(), attempt, failed.getMessage());
                if (attempt < settings.submitAttempts()) {
                    retryLater(run, attempt);
                } else {
                    giveUp(run, attempt, failed.getMessage());
                }
            }
        }
    }

    private void giveUp(ClaimedRun run, int attempt, String message) {
        try {
            follow(run, attempt, submitter.giveUp(run, message));
        } catch (RuntimeException failed) {
            log.warn("ending run {} failed too; it is checked again: {}", run.id(), failed.getMessage());
            retryLater(run, attempt);
        }
    }

    private void follow(ClaimedRun run, int attempt, SlurmSubmitter.Attempt outcome) {
        if (outcome instanceof SlurmSubmitter.Attempt.Active started) {
            onActive.accept(started.job());
        } else if (outcome instanceof SlurmSubmitter.Attempt.RetryLater) {
            retryLater(run, attempt);
        }
    }

    private void retryLater(ClaimedRun run, int attempt) {
        Duration backoff = settings.submitRetryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
        retries.put(run.id(), new Retry(run, attempt, System.nanoTime() + backoff.toNanos()));
    }
}
