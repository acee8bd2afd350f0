package io.slurmgateway.execution.cluster;

import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Everything the gateway does on one cluster account (the cluster's own, or a tenant's identity), on threads that
 * never wait for each other: one submits accepted runs (woken by each new run) and retries uncertain submissions
 * ({@link Submissions}); one, every poll interval, sends cancels, polls the active jobs (one squeue) and records the
 * outcomes of the ended ones; one copies output and Pipes messages ({@link #copyTick}); one sweeps the account
 * ({@link ClusterSweep}); and the {@link LiveUsageSampler}, when live usage is on, samples the running jobs.
 *
 * <p>A worker runs only on the instance that holds the account's lease ({@link LeasedAccount}), and each of its ticks
 * acts only while the lease is held, so that no two instances ever act on one account's jobs at once.
 */
final class ClusterWorker {

    private static final Logger log = LoggerFactory.getLogger(ClusterWorker.class);

    private final String cluster;
    private final String identity;
    private final String owner;
    private final SlurmClient slurm;
    private final SlurmSubmitter submitter;
    private final Submissions submissions;
    private final SlurmJobTracker tracker;
    private final LiveUsageSampler liveUsage;
    private final RemoteLogTailer tailer;
    private final RunWorkQueue queue;
    private final SlurmMetrics slurmMetrics;
    private final StepGuard steps;

    /** Written by the submitting thread, read by the polling thread. */
    private final Map<UUID, ActiveJob> active = new ConcurrentHashMap<>();

    private final TickLoop submitLoop;
    private final TickLoop pollLoop;
    private final TickLoop copyLoop;
    private final long copyBudgetNanos;
    private final ClusterSweep sweep;
    private final BooleanSupplier leaseHeld;
    private final AccountRecovery recovery;
    private final JobOutcomes outcomes;
    private volatile boolean recovered;

    /**
     * @param leaseHeld whether this instance holds the account's lease now: nothing is done while it does not
     * @param stagingElsewhere runs another instance was submitting when this one took the lease over: that submission
     *     may still be under way, so each is checked by name only once it has certainly ended
     */
    ClusterWorker(
            Cluster cluster,
            ClusterAccount account,
            String owner,
            BooleanSupplier leaseHeld,
            List<UUID> stagingElsewhere,
            int submitBatchSize,
            SlurmSubmitter submitter,
            SlurmJobTracker tracker,
            LiveUsageSampler liveUsage,
            WorkerServices services) {
        this.cluster = cluster.name();
        this.leaseHeld = leaseHeld;
        this.identity = account.identity();
        this.owner = owner;
        this.slurm = account.slurm();
        this.submitter = submitter;
        this.tracker = tracker;
        this.liveUsage = liveUsage;
        this.tailer = services.tailer();
        this.outcomes = new JobOutcomes(services.store(), services.queue());
        this.queue = services.queue();
        this.slurmMetrics = services.slurmMetrics();
        ExecutionMetrics metrics = services.metrics();
        String scheduler = "slurm:" + this.cluster;
        this.steps = new StepGuard(scheduler, metrics);
        this.submissions = new Submissions(
                this.cluster,
                identity,
                cluster.settings(),
                owner,
                submitBatchSize,
                submitter,
                queue,
                metrics,
                job -> active.putIfAbsent(job.runId(), job),
                leaseHeld);
        this.recovery = new AccountRecovery(
                this.cluster,
                identity,
                owner,
                stagingElsewhere,
                Submissions.longestSubmission(cluster.settings()),
                queue,
                submitter,
                tailer,
                submissions);
        String threads = ClusterIdentity.DEFAULT.equals(identity) ? this.cluster : this.cluster + "/" + identity;
        this.submitLoop = new TickLoop(
                "slurm-submit-" + threads, scheduler, cluster.settings().pollInterval(), this::submitTick, metrics);
        this.pollLoop = new TickLoop(
                "slurm-poll-" + threads, scheduler, cluster.settings().pollInterval(), this::pollTick, metrics);
        this.copyLoop = new TickLoop(
                "slurm-output-" + threads, scheduler, cluster.settings().pollInterval(), this::copyTick, metrics);
        this.copyBudgetNanos = cluster.settings().pollInterval().toNanos();
        this.sweep = new ClusterSweep(
                this.cluster,
                account,
                owner,
                cluster.settings(),
                submitter,
                services.custody(),
                queue,
                metrics,
                leaseHeld,
                this::adopted,
                services.blobs());
    }

    /** Starts the worker's threads: submitting, following the submitted jobs, and sampling them when that is on. */
    void start() {
        submitLoop.start();
        pollLoop.start();
        copyLoop.start();
        sweep.start();
        liveUsage.start();
    }

    void stop() {
        submitLoop.stop();
        pollLoop.stop();
        copyLoop.stop();
        sweep.stop();
        liveUsage.stop();
    }

    /** Something to submit: a new run was accepted. */
    void wakeSubmitter() {
        submitLoop.wake();
    }

    /** Something to act on now: a cancel was requested. */
    void wakePoller() {
        pollLoop.wake();
    }

    /** One pass of submissions: new runs, then retries that are due. */
    void submitTick() {
        if (!recovered || !leaseHeld.getAsBoolean()) {
            return; // recovery may hand over runs this instance was submitting: they must be known first
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster);
                MDC.MDCCloseable identityInMdc = MDC.putCloseable("clusterIdentity", identity)) {
            steps.run("submit", submissions::submitAccepted);
            steps.run("submit", submissions::retryDue);
        }
    }

    /** One pass over the submitted jobs: cancels, one poll, and recording the outcomes of the ended ones. */
    void pollTick() {
        if (!leaseHeld.getAsBoolean()) {
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster);
                MDC.MDCCloseable identityInMdc = MDC.putCloseable("clusterIdentity", identity)) {
            if (!recovered) {
                recovered = steps.run("recover", this::recover);
                if (recovered) {
                    submitLoop.wake();
                }
                return;
            }
            if (!active.isEmpty()) {
                steps.run("cancel", this::sendCancels);
                steps.run("poll", this::poll);
                steps.run("finish", this::finishSettled);
            }
            liveUsage.follow(active.values());
        }
    }

    /**
     * Copies the jobs' output and messages, round after round while a read comes back full, for at most a poll
     * interval per tick (and at once again after it, while more is there), on a thread of its own: a job that prints
     * a lot never delays polling, cancels or any job's outcome.
     */
    void copyTick() {
        if (!leaseHeld.getAsBoolean()) {
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster);
                MDC.MDCCloseable identityInMdc = MDC.putCloseable("clusterIdentity", identity)) {
            steps.run("logs", () -> {
                long deadline = System.nanoTime() + copyBudgetNanos;
                RemoteLogTailer.Round round;
                do {
                    List<ActiveJob> copying = active.values().stream()
                            .filter(ActiveJob::hasOutputToCopy)
                            .toList();
                    if (copying.isEmpty()) {
                        return;
                    }
                    slurmMetrics.outputRound(cluster);
                    round = tailer.copyRound(slurm, copying);
                    if (round.settled()) {
                        finishSettled(); // an ended job's messages (or output) are all in: record it now
                    }
                } while (round.more() && System.nanoTime() - deadline < 0);
                if (round.more()) {
                    copyLoop.wake();
                }
            });
        }
    }

    private void recover() throws IOException {
        recovery.recover(active);
    }

    /** The sweep adopted runs: the next poll tick recovers again, to follow them too. */
    private void adopted(List<UUID> stagingElsewhere) {
        recovery.adopted(stagingElsewhere);
        recovered = false;
    }

    private void sendCancels() throws IOException {
        Set<UUID> requested = queue.cancelRequestedOnCluster(owner, cluster, identity);
        List<ActiveJob> toCancel = new ArrayList<>();
        for (UUID runId : requested) {
            ActiveJob job = active.get(runId);
            if (job != null && job.ending() == null && !job.isCancelSent()) {
                toCancel.add(job);
            }
        }
        if (!toCancel.isEmpty()) {
            slurm.cancel(toCancel.stream().map(ActiveJob::jobId).toList());
            for (ActiveJob job : toCancel) { // only once scancel went through, or the next tick sends it again
                job.markCancelSent();
                queue.note(job.runId(), "scancel sent for Slurm job " + job.jobId());
            }
        }
    }

    private void poll() throws IOException {
        slurmMetrics.pollTicked(cluster);
        long start = System.nanoTime();
        try {
            pollActive();
        } finally {
            slurmMetrics.pollTook(cluster, System.nanoTime() - start);
        }
    }

    private void pollActive() throws IOException {
        List<ActiveJob> following = active.values().stream()
                .filter(job -> job.ending() == null && !job.isOutcomeRecorded())
                .toList();
        if (!following.isEmpty()) {
            tracker.record(tracker.poll(slurm, following).moves());
        }
        if (following.stream().anyMatch(job -> job.ending() != null)) {
            copyLoop.wake(); // the last read of an ended job decides when its outcome can be recorded
        }
    }

    private void finishSettled() {
        outcomes.finishSettled(active);
    }
}
