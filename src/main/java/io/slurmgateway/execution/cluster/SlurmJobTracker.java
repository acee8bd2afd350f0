package io.slurmgateway.execution.cluster;

import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.AccountingDisabledException;
import io.slurmgateway.slurm.AccountingRecord;
import io.slurmgateway.slurm.BatchScript;
import io.slurmgateway.slurm.QueueEntry;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmExitCode;
import io.slurmgateway.slurm.SlurmStates;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Follows a cluster's active jobs with one squeue per tick for all of them, plus one sacct for those that squeue shows
 * finished (for the batch step's exit code) or no longer shows. A job squeue does not show is never assumed finished:
 * it stays active until accounting has its final state. Two bounds keep a run from waiting forever: a job squeue shows
 * finished whose accounting record stays incomplete past {@code accounting-wait} ends with squeue's state; a job that
 * neither squeue nor accounting knows for {@code lost-job-timeout} ends FAILED.
 */
final class SlurmJobTracker {

    private static final Logger log = LoggerFactory.getLogger(SlurmJobTracker.class);

    private final RunWorkQueue queue;
    private final Clock clock;
    private final Duration accountingWait;
    private final Duration lostJobTimeout;

    SlurmJobTracker(RunWorkQueue queue, Clock clock, Duration accountingWait, Duration lostJobTimeout) {
        this.queue = queue;
        this.clock = clock;
        this.accountingWait = accountingWait;
        this.lostJobTimeout = lostJobTimeout;
    }

    /** What one poll found: the moves between QUEUED and RUNNING, and the jobs that ended. */
    record Findings(List<Move> moves, List<ActiveJob> ended) {}

    record Move(ActiveJob job, RunState next, String slurmState, String slurmReason) {}

    /** Polls Slurm about {@code jobs} (none of which has ended yet) and decides; records nothing. */
    Findings poll(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        Map<String, QueueEntry> queued =
                slurm.queue(jobs.stream().map(ActiveJob::jobId).toList());
        Instant now = clock.instant();
        List<Move> moves = new ArrayList<>();
        List<ActiveJob> needAccounting = new ArrayList<>();
        for (ActiveJob job : jobs) {
            QueueEntry entry = queued.get(job.jobId());
            if (entry == null) {
                needAccounting.add(job);
                continue;
            }
            job.seenInQueue();
            Optional<RunState> next = SlurmMapping.runStateOf(entry.state(), null);
            if (next.isPresent() && next.get().isTerminal()) {
                job.endedInQueue(entry, now);
                needAccounting.add(job);
            } else {
                job.activeInQueue(); // e.g. requeued after squeue had shown it ended
                if (job.hasChanged(next.orElse(job.runState()), entry.state(), entry.reason())) {
                    moves.add(new Move(job, next.orElse(job.runState()), entry.state(), entry.reason()));
                }
            }
        }
        List<ActiveJob> ended = new ArrayList<>();
        if (needAccounting.isEmpty()) {
            return new Findings(moves, ended);
        }
        Map<String, AccountingRecord> accounted;
        boolean accountingAnswered = true;
        boolean accountingDisabled = false;
        try {
            accounted = slurm.accounting(
                    needAccounting.stream().map(ActiveJob::jobId).toList());
        } catch (AccountingDisabledException disabled) {
            // no record will ever come: squeue's final state is all there is, and a job it no longer shows is lost
            accounted = Map.of();
            accountingDisabled = true;
        } catch (IOException failed) {
            log.warn("sacct failed; finished jobs are looked up again next tick: {}", failed.getMessage());
            accounted = Map.of();
            accountingAnswered = false;
        }
        for (ActiveJob job : needAccounting) {
            AccountingRecord record = accounted.get(job.jobId());
            if (record != null) {
                SlurmExitCode exit = record.workloadExit();
                Optional<RunState> next = SlurmMapping.runStateOf(record.state(), exit == null ? null : exit.status());
                if (next.isPresent() && next.get().isTerminal()) {
                    job.end(ending(job, record, next.get(), exit));
                    ended.add(job);
                    continue;
                }
                // accounting lags the controller: a job squeue shows ended may still be RUNNING here, and must not
                // move back; one squeue no longer shows may be followed through accounting
                if (job.queueEnding() == null) {
                    // gone from squeue but not ended in accounting: followed there, yet bounded like a lost job, since
                    // accounting can keep a record RUNNING that no controller runs any more
                    job.missingFrom(now);
                    if (next.isPresent() && job.hasChanged(next.get(), record.state(), record.reason())) {
                        moves.add(new Move(job, next.get(), record.state(), record.reason()));
                    }
                }
            } else if (job.queueEnding() == null && accountingAnswered) {
                job.missingFrom(now);
            }
            if (accountingDisabled) {
                endWithoutAccounting(job, now);
                if (job.ending() != null) {
                    ended.add(job);
                    continue;
                }
            }
            endWithoutAccountingIfOverdue(job, now).ifPresent(ended::add);
        }
        return new Findings(moves, ended);
    }

    /** Records the moves; each record is its own short transaction. */
    void record(List<Move> moves) {
        for (Move move : moves) {
            try (MDC.MDCCloseable ignored =
                    MDC.putCloseable("runId", move.job().runId().toString())) {
                queue.observeSlurm(
                        move.job().runId(),
                        move.next(),
                        move.slurmState(),
                        move.slurmReason(),
                        "Slurm job " + move.job().jobId() + " is " + move.slurmState()
                                + ("None".equals(move.slurmReason()) ? "" : " (" + move.slurmReason() + ")"));
            }
            move.job().seen(move.next(), move.slurmState(), move.slurmReason());
        }
    }

    /** On a cluster without accounting: a job squeue shows ended ends now; one squeue no longer shows is missing. */
    private void endWithoutAccounting(ActiveJob job, Instant now) {
        QueueEntry ended = job.queueEnding();
        if (ended == null) {
            job.missingFrom(now);
            return;
        }
        job.end(new ActiveJob.Ending(
                SlurmMapping.runStateOf(ended.state(), null).orElseThrow(),
                null,
                SlurmStates.baseState(ended.state()),
                ended.reason(),
                "Slurm job " + job.jobId() + " ended " + ended.state() + "; the cluster keeps no accounting, so its"
                        + " exit code and resource usage are unknown",
                null));
    }

    private Optional<ActiveJob> endWithoutAccountingIfOverdue(ActiveJob job, Instant now) {
        if (job.ending() != null) {
            return Optional.empty();
        }
        QueueEntry ended = job.queueEnding();
        if (ended != null && job.endedInQueueSince().plus(accountingWait).isBefore(now)) {
            RunState outcome = SlurmMapping.runStateOf(ended.state(), null).orElseThrow();
            job.end(new ActiveJob.Ending(
                    outcome,
                    null,
                    SlurmStates.baseState(ended.state()),
                    ended.reason(),
                    "Slurm job " + job.jobId() + " ended " + ended.state() + "; accounting gave no final record within "
                            + accountingWait.toSeconds() + " s, so its exit code is unknown",
                    null));
            return Optional.of(job);
        }
        if (job.missingSince() != null
                && job.missingSince().plus(lostJobTimeout).isBefore(now)) {
            job.end(new ActiveJob.Ending(
                    RunState.FAILED,
                    null,
                    null,
                    null,
                    "Slurm job " + job.jobId() + " has been unknown to squeue, and not ended in sacct, for "
                            + lostJobTimeout.toSeconds() + " s; its outcome cannot be known",
                    null));
            return Optional.of(job);
        }
        return Optional.empty();
    }

    private static ActiveJob.Ending ending(
            ActiveJob job, AccountingRecord record, RunState outcome, SlurmExitCode exit) {
        String state = SlurmStates.baseState(record.state());
        String description = "Slurm job " + job.jobId() + " ended " + record.state()
                + (exit == null ? "" : " with exit code " + exit)
                + (exit != null
                                && Integer.valueOf(BatchScript.STAGED_FILES_CHANGED)
                                        .equals(exit.status())
                        ? ": a staged file of the run changed between staging and start (the gateway's digest"
                                + " check), so nothing of it was executed"
                        : "")
                + (record.reason() == null || record.reason().isEmpty() || "None".equals(record.reason())
                        ? ""
                        : " (" + record.reason() + ")");
        return new ActiveJob.Ending(
                outcome,
                exit == null ? null : exit.asShellExitCode(),
                state,
                record.reason(),
                description,
                SlurmMapping.usage(record.usage()));
    }
}
