package io.slurmgateway.execution.cluster;

import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import java.io.IOException;
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

/**
 * Everything the gateway does on one cluster account (the cluster's own, or one tenant's identity), on two threads. One submits accepted runs (woken by each new run) and
 * retries uncertain submissions ({@link Submissions}); the other, every poll interval, sends cancels, polls the active
 * jobs (one squeue), copies their output (one read), finishes the ended ones once their output is stored, and tells
 * the {@link LiveUsageSampler} (a third thread, when live usage is on) which jobs run. Submitting never waits for a
 * poll, so a new run reaches sbatch at once however busy polling is.
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
    private volatile boolean recovered;

    ClusterWorker(
            Cluster cluster,
            ClusterAccount account,
            String owner,
            int submitBatchSize,
            SlurmSubmitter submitter,
            SlurmJobTracker tracker,
            LiveUsageSampler liveUsage,
            RemoteLogTailer tailer,
            RunWorkQueue queue,
            ExecutionMetrics metrics,
            SlurmMetrics slurmMetrics) {
        this.cluster = cluster.name();
        this.identity = account.identity();
        this.owner = owner;
        this.slurm = account.slurm();
        this.submitter = submitter;
        this.tracker = tracker;
        this.liveUsage = liveUsage;
        this.tailer = tailer;
        this.queue = queue;
        this.slurmMetrics = slurmMetrics;
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
                job -> active.putIfAbsent(job.runId(), job));
        String threads = ClusterIdentity.DEFAULT.equals(identity) ? this.cluster : this.cluster + "/" + identity;
        this.submitLoop = new TickLoop(
                "slurm-submit-" + threads, scheduler, cluster.settings().pollInterval(), this::submitTick, metrics);
        this.pollLoop = new TickLoop(
                "slurm-poll-" + threads, scheduler, cluster.settings().pollInterval(), this::pollTick, metrics);
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
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster);
                MDC.MDCCloseable identityInMdc = MDC.putCloseable("clusterIdentity", identity)) {
            steps.run("submit", submissions::submitAccepted);
            steps.run("submit", submissions::retryDue);
        }
    }

    /** One pass over the submitted jobs: cancels, one poll, one log read, and finishing the ended ones. */
    void pollTick() {
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
            }
            liveUsage.follow(active.values());
        }
    }

    /** Takes over the runs this instance was submitting or following on this cluster account before it stopped. */
    private void recover() throws IOException {
        for (ClaimedRun run : queue.ownedOnCluster(
                owner, cluster, identity, List.of(RunState.STAGING, RunState.QUEUED, RunState.RUNNING))) {
            if (run.state() == RunState.STAGING) {
                submissions.checkAgain(run);
            } else {
                ActiveJob job = new ActiveJob(
                        run.id(), run.slurmJobId(), submitter.directoryOf(run), run.state(), run.relaysPipes());
                tailer.resume(job);
                active.put(run.id(), job);
            }
        }
        if (!active.isEmpty() || submissions.pendingChecks() > 0) {
            log.info(
                    "cluster '{}', identity '{}': following {} job(s) again, {} submission(s) to check",
                    cluster,
                    identity,
                    active.size(),
                    submissions.pendingChecks());
        }
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
}
