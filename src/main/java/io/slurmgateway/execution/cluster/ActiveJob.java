package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.EndpointsCursor;
import io.slurmgateway.execution.LogCursor;
import io.slurmgateway.execution.PipesCursor;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.ResourceUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.QueueEntry;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A submitted Slurm run that a cluster worker follows: its job, what was last seen of it, and its log offsets. */
final class ActiveJob {

    private volatile boolean signalsToNote;
    private EndpointsCursor endpoints; // read by the output thread only

    private final UUID runId;
    private final String jobId;
    private final String directory;
    private volatile RunState runState;
    private String slurmState;
    private String slurmReason;
    private boolean cancelSent;
    private volatile Ending ending;

    /** Set by the output thread: everything the job wrote to stdout and stderr is stored (or at its limit). */
    private volatile boolean outputFinal;

    /** Set by the output thread: every Pipes message is relayed (trivially, for a run without Pipes). */
    private volatile boolean messagesFinal;

    /** Set by the polling thread once the run's outcome is recorded; only its output may still be copied then. */
    private volatile boolean outcomeRecorded;

    private QueueEntry queueEnding;
    private Instant endedInQueueSince;
    private Instant missingSince;
    private final LogCursor logCursor;
    private final PipesCursor pipesCursor;

    /**
     * The final state Slurm reported, and what the job used when accounting recorded it (else null); the run is
     * finished once its output is copied.
     */
    record Ending(
            RunState outcome,
            Integer exitCode,
            String slurmState,
            String slurmReason,
            String description,
            ResourceUsage usage) {}

    /** The job of a claimed run, with what the run asked for: Pipes relaying, a pre-timeout signal. */
    static ActiveJob of(ClaimedRun run, String jobId, String directory, RunState runState) {
        ActiveJob job = new ActiveJob(run.id(), jobId, directory, runState, run.relaysPipes());
        job.signalsToNote = run.spec().resources().signalBeforeTimeout() != null;
        job.endpoints = EndpointsCursor.forLauncher(run.launcher());
        return job;
    }

    /** Whether the job's notes of pre-timeout signals it passed on are still to be read, once it has ended. */
    boolean hasSignalsToNote() {
        return signalsToNote;
    }

    void signalsNoted() {
        signalsToNote = false;
    }

    /** Where the addresses the job publishes are read; empty for a launcher that publishes none. */
    Optional<EndpointsCursor> endpoints() {
        return Optional.ofNullable(endpoints);
    }

    ActiveJob(UUID runId, String jobId, String directory, RunState runState, boolean relaysPipes) {
        this.runId = runId;
        this.jobId = jobId;
        this.directory = directory;
        this.runState = runState;
        this.logCursor = new LogCursor(runId);
        this.pipesCursor = relaysPipes ? new PipesCursor(runId) : null;
    }

    UUID runId() {
        return runId;
    }

    String jobId() {
        return jobId;
    }

    String directory() {
        return directory;
    }

    RunState runState() {
        return runState;
    }

    boolean hasChanged(RunState next, String state, String reason) {
        return next != runState || !state.equals(slurmState) || !reason.equals(slurmReason);
    }

    void seen(RunState next, String state, String reason) {
        this.runState = next;
        this.slurmState = state;
        this.slurmReason = reason;
    }

    boolean producesOutput() {
        return runState == RunState.RUNNING || ending != null || outcomeRecorded;
    }

    /** Whether there is still output or a message of the job to copy. */
    boolean hasOutputToCopy() {
        return producesOutput() && !(outputFinal && messagesFinal);
    }

    boolean isOutputFinal() {
        return outputFinal;
    }

    void markOutputFinal() {
        outputFinal = true;
    }

    boolean isMessagesFinal() {
        return messagesFinal;
    }

    void markMessagesFinal() {
        messagesFinal = true;
    }

    /**
     * A job of a run whose outcome was recorded before a restart while its output was still being copied: only the
     * output is left (its messages were all relayed before the outcome).
     */
    static ActiveJob draining(UUID runId, String jobId, String directory, RunState outcome) {
        ActiveJob job = new ActiveJob(runId, jobId, directory, outcome, false);
        job.messagesFinal = true;
        job.outcomeRecorded = true;
        return job;
    }

    boolean isOutcomeRecorded() {
        return outcomeRecorded;
    }

    void markOutcomeRecorded() {
        outcomeRecorded = true;
    }

    boolean isCancelSent() {
        return cancelSent;
    }

    void markCancelSent() {
        cancelSent = true;
    }

    /** squeue showed the job in a final state at {@code now} (the first time counts). */
    void endedInQueue(QueueEntry entry, Instant now) {
        if (queueEnding == null) {
            endedInQueueSince = now;
        }
        queueEnding = entry;
    }

    /** The final state squeue showed, while accounting has not confirmed it; null before. */
    QueueEntry queueEnding() {
        return queueEnding;
    }

    Instant endedInQueueSince() {
        return endedInQueueSince;
    }

    void seenInQueue() {
        missingSince = null;
    }

    /** squeue shows the job in a state that is not final (again): any final state seen before no longer counts. */
    void activeInQueue() {
        queueEnding = null;
        endedInQueueSince = null;
    }

    /** Neither squeue nor accounting knows the job at {@code now} (the first time counts). */
    void missingFrom(Instant now) {
        if (missingSince == null) {
            missingSince = now;
        }
    }

    Instant missingSince() {
        return missingSince;
    }

    Ending ending() {
        return ending;
    }

    void end(Ending ending) {
        this.ending = ending;
    }

    LogCursor logCursor() {
        return logCursor;
    }

    /** How far the job's Dagster Pipes messages are relayed; empty for a run that carries no Pipes context. */
    Optional<PipesCursor> pipesCursor() {
        return Optional.ofNullable(pipesCursor);
    }
}
