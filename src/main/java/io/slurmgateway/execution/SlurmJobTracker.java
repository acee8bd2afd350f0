package io.slurmgateway.execution;

import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.AccountingRecord;
import io.slurmgateway.slurm.QueueEntry;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmExitCode;
import io.slurmgateway.slurm.SlurmStates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a cluster's active jobs with one squeue per tick for all of them, plus one sacct for those that squeue shows
 * finished (for the batch step's exit code) or no longer shows. A job squeue does not show is never assumed finished:
 * it stays active until accounting has its final state.
 */
final class SlurmJobTracker {

    private static final Logger log = LoggerFactory.getLogger(SlurmJobTracker.class);

    private final RunWorkQueue queue;

    SlurmJobTracker(RunWorkQueue queue) {
        this.queue = queue;
    }

    /** What one poll found: the moves between QUEUED and RUNNING, and the jobs that ended. */
    record Findings(List<Move> moves, List<ActiveJob> ended) {}

    record Move(ActiveJob job, RunState next, String slurmState, String slurmReason) {}

    /** Polls Slurm about {@code jobs} (none of which has ended yet) and decides; records nothing. */
    Findings poll(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        Map<String, QueueEntry> queued =
                slurm.queue(jobs.stream().map(ActiveJob::jobId).toList());
        List<Move> moves = new ArrayList<>();
        List<ActiveJob> needAccounting = new ArrayList<>();
        for (ActiveJob job : jobs) {
            QueueEntry entry = queued.get(job.jobId());
            if (entry == null) {
                needAccounting.add(job);
                continue;
            }
            Optional<RunState> next = SlurmStates.runStateOf(entry.state(), null);
            if (next.isPresent() && next.get().isTerminal()) {
                needAccounting.add(job);
            } else if (job.hasChanged(next.orElse(job.runState()), entry.state(), entry.reason())) {
                moves.add(new Move(job, next.orElse(job.runState()), entry.state(), entry.reason()));
            }
        }
        List<ActiveJob> ended = new ArrayList<>();
        if (!needAccounting.isEmpty()) {
            Map<String, AccountingRecord> accounted;
            try {
                accounted = slurm.accounting(
                        needAccounting.stream().map(ActiveJob::jobId).toList());
            } catch (IOException failed) {
                // the moves squeue showed are still recorded; the endings are found at a later tick
                log.warn("sacct failed; finished jobs are looked up again next tick: {}", failed.getMessage());
                return new Findings(moves, List.of());
            }
            for (ActiveJob job : needAccounting) {
                AccountingRecord record = accounted.get(job.jobId());
                if (record == null) {
                    log.debug("job {} is in neither squeue nor accounting yet; asking again next tick", job.jobId());
                    continue;
                }
                SlurmExitCode exit = record.workloadExit();
                Optional<RunState> next = SlurmStates.runStateOf(record.state(), exit == null ? null : exit.status());
                if (next.isPresent() && next.get().isTerminal()) {
                    job.end(ending(job, record, next.get(), exit));
                    ended.add(job);
                } else if (next.isPresent() && job.hasChanged(next.get(), record.state(), record.reason())) {
                    // accounting lags the controller by a few seconds; it may still say RUNNING
                    moves.add(new Move(job, next.get(), record.state(), record.reason()));
                }
            }
        }
        return new Findings(moves, ended);
    }

    /** Records the moves; each record is its own short transaction. */
    void record(List<Move> moves) {
        for (Move move : moves) {
            queue.observeSlurm(
                    move.job().runId(),
                    move.next(),
                    move.slurmState(),
                    move.slurmReason(),
                    "Slurm job " + move.job().jobId() + " is " + move.slurmState()
                            + ("None".equals(move.slurmReason()) ? "" : " (" + move.slurmReason() + ")"));
            move.job().seen(move.next(), move.slurmState(), move.slurmReason());
        }
    }

    private static ActiveJob.Ending ending(
            ActiveJob job, AccountingRecord record, RunState outcome, SlurmExitCode exit) {
        String state = SlurmStates.baseState(record.state());
        String description = "Slurm job " + job.jobId() + " ended " + record.state()
                + (exit == null ? "" : " with exit code " + exit)
                + (record.reason() == null || record.reason().isEmpty() || "None".equals(record.reason())
                        ? ""
                        : " (" + record.reason() + ")");
        return new ActiveJob.Ending(
                outcome, exit == null ? null : exit.asShellExitCode(), state, record.reason(), description);
    }
}
