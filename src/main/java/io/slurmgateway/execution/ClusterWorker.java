package io.slurmgateway.execution;

import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Everything the gateway does on one cluster, on two threads. One submits accepted runs (woken by each new run) and
 * retries uncertain submissions; the other, every poll interval, sends cancels, polls the active jobs (one squeue),
 * copies their output (one read), finishes the ended ones once their output is stored, and tells the
 * {@link LiveUsageSampler} (a third thread, when live usage is on) which jobs run. Submitting never waits for
 * a poll, so a new run reaches sbatch at once however busy polling is.
 */
final class ClusterWorker {

    private static final Logger log = LoggerFactory.getLogger(ClusterWorker.class);

    private final String cluster;
    private final ClusterProperties settings;
    private final String owner;
    private final int submitBatchSize;
    private final SlurmClient slurm;
    private final SlurmSubmitter submitter;
    private final SlurmJobTracker tracker;
    private final LiveUsageSampler liveUsage;
    private final RemoteLogTailer tailer;
    private final RunWorkQueue queue;
    private final ExecutionMetrics metrics;
    private final SlurmMetrics slurmMetrics;
    /** Written by the submitting thread, read by the polling thread. */
    private final Map<UUID, ActiveJob> active = new ConcurrentHashMap<>();

    /** Filled by recovery on the polling thread, worked off by the submitting thread. */
    private final Map<UUID, Retry> retries = new ConcurrentHashMap<>();

    private final TickLoop submitLoop;
    private final TickLoop pollLoop;
    private volatile boolean recovered;

    /** A submission to try again: the run, how many attempts it had, and when the next is due. */
    private record Retry(Run run, int attempts, long dueAtNanos) {}

    ClusterWorker(
            String cluster,
            ClusterProperties settings,
            String owner,
            int submitBatchSize,
            SlurmClient slurm,
            SlurmSubmitter submitter,
            SlurmJobTracker tracker,
            LiveUsageSampler liveUsage,
            RemoteLogTailer tailer,
            RunWorkQueue queue,
            ExecutionMetrics metrics,
            SlurmMetrics slurmMetrics) {
        this.cluster = cluster;
        this.settings = settings;
        this.owner = owner;
        this.submitBatchSize = submitBatchSize;
        this.slurm = slurm;
        this.submitter = submitter;
        this.tracker = tracker;
        this.liveUsage = liveUsage;
        this.tailer = tailer;
        this.queue = queue;
        this.metrics = metrics;
        this.slurmMetrics = slurmMetrics;
        this.submitLoop = new TickLoop("slurm-submit-" + cluster, settings.pollInterval(), this::submitTick);
        this.pollLoop = new TickLoop("slurm-poll-" + cluster, settings.pollInterval(), this::pollTick);
    }

    /** Starts the worker's threads: submitting, following the submitted jobs, and sampling them when that is on. */
    void start() {
        submitLoop.start();
        pollLoop.start();
        liveUsage.start();
    }

    void stop() {
        submitLoop.stop();
        pollLoop.stop();
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
        if (!recovered) {
            return; // recovery may hand over runs this instance was submitting: they must be known first
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster)) {
            step("submit", this::submitAccepted);
            step("submit", this::retryDue);
        }
    }

    /** One pass over the submitted jobs: cancels, one poll, one log read, and finishing the ended ones. */
    void pollTick() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster)) {
            if (!recovered) {
                recovered = step("recover", this::recover);
                if (recovered) {
                    submitLoop.wake();
                }
                return;
            }
            if (!active.isEmpty()) {
                step("cancel", this::sendCancels);
                step("poll", this::poll);
            }
            liveUsage.follow(active.values());
        }
    }

    /** Takes over the runs this instance was submitting or following on this cluster before it stopped. */
    private void recover() throws IOException {
        for (Run run :
                queue.ownedOnCluster(owner, cluster, List.of(RunState.STAGING, RunState.QUEUED, RunState.RUNNING))) {
            if (run.getState() == RunState.STAGING) {
                retries.put(run.getId(), new Retry(run, 0, System.nanoTime()));
            } else {
                ActiveJob job = new ActiveJob(
                        run.getId(),
                        run.getSlurmJobId(),
                        submitter.directoryOf(run),
                        run.getState(),
                        run.getPipesOffset() != null);
                tailer.resume(job);
                active.put(run.getId(), job);
            }
        }
        if (!active.isEmpty() || !retries.isEmpty()) {
            log.info(
                    "cluster '{}': following {} job(s) again, {} submission(s) to check",
                    cluster,
                    active.size(),
                    retries.size());
        }
    }

    private void submitAccepted() {
        for (Run run : queue.claimForSubmission(cluster, owner, submitBatchSize)) {
            attempt(run, 1, false);
        }
    }

    private void retryDue() {
        long now = System.nanoTime();
        for (Retry retry : List.copyOf(retries.values())) {
            if (retry.dueAtNanos() - now <= 0) {
                retries.remove(retry.run().getId());
                attempt(retry.run(), retry.attempts() + 1, true);
            }
        }
    }

    private void attempt(Run run, int attempt, boolean mayExist) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", run.getId().toString())) {
            try {
                follow(run, attempt, submitter.submit(run, mayExist, attempt >= settings.submitAttempts()));
            } catch (RuntimeException failed) {
                // e.g. a database failure after an uncertain step: the next attempt checks before submitting anything
                metrics.stepFailed("slurm:" + cluster, "submit");
                log.warn("submitting run {} failed (attempt {}): {}", run.getId(), attempt, failed.getMessage());
                if (attempt < settings.submitAttempts()) {
                    retryLater(run, attempt);
                } else {
                    giveUp(run, attempt, failed.getMessage());
                }
            }
        }
    }

    private void giveUp(Run run, int attempt, String message) {
        try {
            follow(run, attempt, submitter.giveUp(run, message));
        } catch (RuntimeException failed) {
            log.warn("ending run {} failed too; it is checked again: {}", run.getId(), failed.getMessage());
            retryLater(run, attempt);
        }
    }

    private void follow(Run run, int attempt, SlurmSubmitter.Attempt outcome) {
        if (outcome instanceof SlurmSubmitter.Attempt.Active started) {
            active.putIfAbsent(run.getId(), started.job());
        } else if (outcome instanceof SlurmSubmitter.Attempt.RetryLater) {
            retryLater(run, attempt);
        }
    }

    private void retryLater(Run run, int attempt) {
        Duration backoff = settings.submitRetryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
        retries.put(run.getId(), new Retry(run, attempt, System.nanoTime() + backoff.toNanos()));
    }

    private void sendCancels() throws IOException {
        Set<UUID> requested = queue.cancelRequestedOnCluster(owner, cluster);
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
        List<ActiveJob> following =
                active.values().stream().filter(job -> job.ending() == null).toList();
        if (!following.isEmpty()) {
            SlurmJobTracker.Findings findings = tracker.poll(slurm, following);
            tracker.record(findings.moves());
        }
        List<ActiveJob> producing =
                active.values().stream().filter(ActiveJob::producesOutput).toList();
        if (producing.isEmpty()) {
            return;
        }
        Set<UUID> caughtUp = tailer.copyNew(slurm, producing);
        for (Iterator<ActiveJob> jobs = active.values().iterator(); jobs.hasNext(); ) {
            ActiveJob job = jobs.next();
            ActiveJob.Ending ending = job.ending();
            if (ending != null && caughtUp.contains(job.runId())) { // the outcome is recorded once all output is stored
                try (MDC.MDCCloseable ignored =
                        MDC.putCloseable("runId", job.runId().toString())) {
                    queue.finishSlurm(
                            job.runId(),
                            ending.outcome(),
                            ending.exitCode(),
                            ending.slurmState(),
                            ending.slurmReason(),
                            ending.description(),
                            ending.usage());
                }
                jobs.remove();
            }
        }
    }

    /** Work that may throw; a failure is logged and counted, and the step runs again next tick. */
    private interface Step {
        void run() throws IOException;
    }

    private boolean step(String name, Step work) {
        try {
            work.run();
            return true;
        } catch (ConcurrencyFailureException busy) {
            log.warn(
                    "cluster '{}': {} lost a database race and runs again next tick: {}",
                    cluster,
                    name,
                    busy.getMessage());
        } catch (IOException | RuntimeException failed) {
            log.warn("cluster '{}': {} failed and runs again next tick: {}", cluster, name, failed.getMessage());
        }
        metrics.stepFailed("slurm:" + cluster, name);
        return false;
    }
}
