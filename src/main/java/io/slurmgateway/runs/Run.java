package io.slurmgateway.runs;

import io.slurmgateway.launch.RunSpec;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A run: one execution of an asset's payload. Its state changes only through the intention-revealing methods below,
 * which all go through {@link #moveTo}; each change is published as a {@link RunStateChanged} that is stored as a run
 * event in the same transaction, and {@code @Version} makes concurrent writers lose instead of overwrite.
 */
@Entity
@Table(name = "run")
public class Run extends AbstractAggregateRoot<Run> {

    @Id
    private UUID id;

    private String asset;
    private String mode;
    private String cluster;

    @Embedded
    private RunRequest request;

    @Enumerated(EnumType.STRING)
    private RunState state;

    private String reason;

    @Embedded
    private SlurmJob slurmJob;

    private Integer exitCode;

    /** The gateway instance executing the run (running a local one, or submitting and following a Slurm one). */
    @Column(name = "owner_id")
    private String owner;

    @Embedded
    private LocalProcess process;

    private boolean cancelRequested;

    /** How many events the run has, which is the sequence number of its latest one (the first is 1). */
    private long eventCount;

    @Embedded
    private PipesProgress pipes; // null for a run that carries no Pipes context

    /** What the Slurm job used, from accounting; null for local runs and when accounting did not say. */
    @Embedded
    private ResourceUsage usage;

    /** What the running job uses now, when its cluster samples live usage; read-only here (see {@link LiveUsage}). */
    @Embedded
    private LiveUsage liveUsage;

    @Embedded
    private RunTimes times;

    @Embedded
    private RunEndpoints endpoints;

    /** Null until first stored, which is how Spring Data tells a new run from a known one without a SELECT. */
    @Version
    private Long version;

    protected Run() {}

    /** A new run of a validated spec, as {@code request} stores it, ACCEPTED; a Slurm one will run as {@code identity}. */
    static Run accept(UUID id, RunSpec spec, RunRequest request, String identity, Instant now) {
        boolean relaysPipes = spec.dagster() != null && spec.dagster().pipesContext() != null;
        Run run = new Run();
        run.id = id;
        run.asset = spec.asset();
        run.mode = spec.mode();
        run.cluster = spec.cluster();
        run.request = request;
        run.slurmJob = SlurmJob.under(identity);
        run.times = RunTimes.acceptedAt(now);
        run.pipes = relaysPipes ? PipesProgress.notOpened() : null;
        run.state = RunState.ACCEPTED;
        String reason = "accepted from " + request.createdBy();
        run.registerEvent(
                new RunStateChanged(id, ++run.eventCount, null, RunState.ACCEPTED, reason, now, run.mode, run.cluster));
        return run;
    }

    void startStaging(String owner, Instant now) {
        this.owner = owner;
        moveTo(RunState.STAGING, "staging", now);
    }

    /** Says why an accepted run waits, with a note; the reason it already shows changes nothing (no new note). */
    void waitFor(String why, Instant now) {
        if (state == RunState.ACCEPTED && !why.equals(reason)) {
            reason = why;
            note(why, now);
        }
    }

    void markQueued(String reason, Instant now) {
        moveTo(RunState.QUEUED, reason, now);
    }

    void markSubmitFailed(String reason, Instant now) {
        moveTo(RunState.SUBMIT_FAILED, reason, now);
    }

    void markStarting(String owner, Instant now) {
        this.owner = owner;
        moveTo(RunState.RUNNING, "process starting", now);
    }

    void recordSubmission(String cluster, String jobId, Instant now) {
        this.slurmJob = getSlurmJob().submitted(jobId);
        moveTo(RunState.QUEUED, "submitted to cluster '" + cluster + "' as Slurm job " + jobId, now);
    }

    /** Records what Slurm says of the job and follows it to {@code next} (null: none), when that is a legal move. */
    void observeSlurm(RunState next, String rawState, String rawReason, String description, Instant now) {
        this.slurmJob = getSlurmJob().seen(rawState, rawReason);
        if (next != null && next != state && !next.isTerminal() && state.canMoveTo(next)) {
            moveTo(next, description, now);
        }
    }

    void recordUsage(ResourceUsage usage) {
        if (!state.isTerminal()) {
            this.usage = usage;
        }
    }

    void recordProcess(long pid, Instant processStartedAt) {
        this.process = new LocalProcess(pid, processStartedAt);
    }

    /** Ends the run, keeping a first outcome; a Pipes exception fails it, an unclosed Pipes session is noted. */
    void finish(RunState outcome, Integer exitCode, String reason, Instant now) {
        if (!outcome.isTerminal()) {
            throw new IllegalArgumentException(outcome + " is not an outcome");
        }
        if (state.isTerminal()) {
            return;
        }
        this.exitCode = exitCode;
        if (pipes != null && pipes.session() == PipesSession.OPENED) {
            note("the payload opened Dagster Pipes but never sent 'closed'; the run keeps the job's own outcome", now);
        }
        if (pipes != null && pipes.exception() != null && outcome == RunState.COMPLETED) {
            moveTo(RunState.FAILED, "the payload reported an exception over Dagster Pipes: " + pipes.exception(), now);
        } else {
            moveTo(outcome, reason, now);
        }
    }

    /** Stores Pipes lines between two offsets as events; false, storing nothing, when the offset is not {@code from}. */
    boolean relayPipes(long from, long to, List<RelayedPipesLine> lines, Instant now) {
        List<PipesLinesRelayed.Event> events =
                pipes == null ? null : pipes.relay(from, to, lines, () -> ++eventCount, now);
        if (events != null) {
            registerEvent(new PipesLinesRelayed(id, events));
        }
        return events != null;
    }

    /** Cancels a run that executes nothing yet (true), or asks its executor to stop it; {@code by} asked. */
    boolean requestCancel(String by, Instant now) {
        if (state.isTerminal()) {
            throw new RunNotCancellableException(id, state);
        }
        boolean executing = state == RunState.RUNNING
                || getProcess().pid() != null
                || getSlurmJob().jobId() != null;
        if (!executing) {
            moveTo(RunState.CANCELLED, "cancelled by " + by + " before it started", now);
            return true;
        }
        if (!cancelRequested) {
            cancelRequested = true;
            note("cancel requested by " + by, now);
            registerEvent(new RunCancelRequested(id));
        }
        return false;
    }

    void note(String message, Instant now) {
        registerEvent(new RunNoted(id, ++eventCount, message, now));
    }

    /** Records an address the run published, with an event; a name already at that address changes nothing. */
    void publish(String name, String url, Instant now) {
        RunEndpoints next = getEndpoints().with(name, url);
        if (next != null) {
            endpoints = next;
            registerEvent(new RunEndpointPublished(id, ++eventCount, name, url, now));
        }
    }

    private void moveTo(RunState next, String reason, Instant now) {
        if (next == state) {
            return;
        }
        if (!state.canMoveTo(next)) {
            throw new IllegalRunTransitionException(id, state, next);
        }
        RunState previous = state;
        state = next;
        this.reason = reason;
        times = times.after(next, now);
        registerEvent(new RunStateChanged(id, ++eventCount, previous, next, reason, now, mode, cluster));
        if (next.isTerminal()) {
            registerEvent(new RunFinished(
                    mode, cluster, request.launcher(), next, times.queueWait(), times.runTimeUntil(now), usage));
        }
    }

    public UUID getId() {
        return id;
    }

    public String getAsset() {
        return asset;
    }

    public String getMode() {
        return mode;
    }

    public String getCluster() {
        return cluster;
    }

    public RunRequest getRequest() {
        return request;
    }

    public RunState getState() {
        return state;
    }

    public String getReason() {
        return reason;
    }

    /** The run's Slurm side (identity and job); {@link SlurmJob#NONE} for a local run. */
    public SlurmJob getSlurmJob() {
        return slurmJob == null ? SlurmJob.NONE : slurmJob;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    /** The run's process; {@link LocalProcess#NONE} for a Slurm run and before it started. */
    public LocalProcess getProcess() {
        return process == null ? LocalProcess.NONE : process;
    }

    long getEventCount() {
        return eventCount;
    }

    /** How far the run's Dagster Pipes messages are relayed; {@link PipesStatus#NONE} without a Pipes context. */
    public PipesStatus getPipes() {
        return pipes == null ? PipesStatus.NONE : pipes.status();
    }

    public ResourceUsage getUsage() {
        return usage;
    }

    /** The latest live sample of a running job; null when none was taken, and meaningless once the run ended. */
    public LiveUsage getLiveUsage() {
        return liveUsage;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public RunTimes getTimes() {
        return times;
    }

    public RunEndpoints getEndpoints() {
        return endpoints == null ? RunEndpoints.NONE : endpoints;
    }
}
