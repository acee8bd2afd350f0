package io.slurmgateway.runs;

import io.slurmgateway.pipes.PipesMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private String launcher;

    /** The {@link io.slurmgateway.launch.RunSpec} as JSON. */
    private String spec;

    @Enumerated(EnumType.STRING)
    private RunState state;

    private String reason;
    private String slurmJobId;

    /** Slurm's own state and reason for the job, as last polled, e.g. OUT_OF_MEMORY or PENDING (Resources). */
    private String slurmState;

    private String slurmReason;
    private Integer exitCode;
    private String idempotencyKey;

    /** SHA-256 of the canonical request, to tell a repeat from a different request under the same key. */
    private String requestFingerprint;

    /** The gateway instance executing the run, for local runs. */
    @Column(name = "owner_id")
    private String owner;

    private Long pid;
    private Instant processStartedAt;
    private boolean cancelRequested;

    /** How many events the run has, which is the sequence number of its latest one (the first is 1). */
    private long eventCount;

    /** How many bytes of the messages file are relayed as events; null for a run that carries no Pipes context. */
    private Long pipesOffset;

    @Enumerated(EnumType.STRING)
    private PipesSession pipesSession;

    /** The exception a {@code closed} message reported: its name and message. */
    private String pipesException;

    /** What the Slurm job used, from accounting; null for local runs and when accounting did not say. */
    @Embedded
    private ResourceUsage usage;

    /** What the running job uses now, when its cluster samples live usage; read-only here (see {@link LiveUsage}). */
    @Embedded
    private LiveUsage liveUsage;

    private Instant createdAt;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant finishedAt;

    /** Null until first stored, which is how Spring Data tells a new run from a known one without a SELECT. */
    @Version
    private Long version;

    protected Run() {}

    static Run accept(
            UUID id,
            String asset,
            String mode,
            String cluster,
            String launcher,
            String specJson,
            String idempotencyKey,
            String requestFingerprint,
            boolean relaysPipes,
            Instant now) {
        Run run = new Run();
        run.id = id;
        run.asset = asset;
        run.mode = mode;
        run.cluster = cluster;
        run.launcher = launcher;
        run.spec = specJson;
        run.idempotencyKey = idempotencyKey;
        run.requestFingerprint = requestFingerprint;
        run.createdAt = now;
        run.pipesOffset = relaysPipes ? 0L : null;
        run.pipesSession = relaysPipes ? PipesSession.NOT_OPENED : null;
        run.state = RunState.ACCEPTED;
        run.registerEvent(new RunStateChanged(
                id, ++run.eventCount, null, RunState.ACCEPTED, "accepted", now, run.mode, run.cluster));
        return run;
    }

    void startStaging(String owner, Instant now) {
        this.owner = owner;
        moveTo(RunState.STAGING, "staging", now);
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
        this.slurmJobId = jobId;
        moveTo(RunState.QUEUED, "submitted to cluster '" + cluster + "' as Slurm job " + jobId, now);
    }

    /**
     * Records what Slurm says about the job and follows it to the run state it maps to, when that is a legal move.
     *
     * @param next the run state the Slurm state maps to; null when it maps to none
     */
    void observeSlurm(RunState next, String rawState, String rawReason, String description, Instant now) {
        this.slurmState = truncate(rawState, 32);
        this.slurmReason = truncate(rawReason, 255);
        if (next != null && next != state && !next.isTerminal() && state.canMoveTo(next)) {
            moveTo(next, description, now);
        }
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }

    void recordUsage(ResourceUsage usage) {
        if (!state.isTerminal()) {
            this.usage = usage;
        }
    }

    void recordProcess(long pid, Instant processStartedAt) {
        this.pid = pid;
        this.processStartedAt = processStartedAt;
    }

    /**
     * Ends the run; a run that has already ended keeps its first outcome. What the payload said over Dagster Pipes
     * counts too: an exception reported with {@code closed} fails a run that would have completed, and a session that
     * was opened but never closed is noted.
     */
    void finish(RunState outcome, Integer exitCode, String reason, Instant now) {
        if (!outcome.isTerminal()) {
            throw new IllegalArgumentException(outcome + " is not an outcome");
        }
        if (state.isTerminal()) {
            return;
        }
        this.exitCode = exitCode;
        if (pipesSession == PipesSession.OPENED) {
            note("the payload opened Dagster Pipes but never sent 'closed'; the run keeps the job's own outcome", now);
        }
        if (pipesException != null && outcome == RunState.COMPLETED) {
            moveTo(RunState.FAILED, "the payload reported an exception over Dagster Pipes: " + pipesException, now);
        } else {
            moveTo(outcome, reason, now);
        }
    }

    /**
     * Stores the messages-file lines between two offsets as events, and what they say of the Pipes session.
     *
     * @return false, storing nothing, when the run's relayed offset is not {@code from}: the lines were stored already
     *     (a relay whose commit was reported as failed) or the run carries no Pipes context
     */
    boolean relayPipes(long from, long to, List<RelayedPipesLine> lines, Instant now) {
        if (pipesOffset == null || pipesOffset != from) {
            return false;
        }
        List<PipesLinesRelayed.Event> events = new ArrayList<>(lines.size());
        for (RelayedPipesLine line : lines) {
            PipesMessage message = line.message();
            if (message == null) {
                events.add(new PipesLinesRelayed.Event(++eventCount, RunEventType.LOG, line.problem(), null, now));
                continue;
            }
            events.add(new PipesLinesRelayed.Event(
                    ++eventCount, RunEventType.PIPES, message.json(), message.knownMethod(), now));
            if (PipesMessage.OPENED.equals(message.method()) && pipesSession == PipesSession.NOT_OPENED) {
                pipesSession = PipesSession.OPENED;
            } else if (PipesMessage.CLOSED.equals(message.method()) && pipesSession != PipesSession.CLOSED) {
                pipesSession = PipesSession.CLOSED;
                pipesException = message.exception();
            }
        }
        registerEvent(new PipesLinesRelayed(id, events));
        pipesOffset = to;
        return true;
    }

    /**
     * Cancels a run that has nothing executing yet, or asks the executor of one that has to stop it.
     *
     * @return whether the run is now cancelled (as opposed to waiting for its executor)
     */
    boolean requestCancel(Instant now) {
        if (state.isTerminal()) {
            throw new RunNotCancellableException(id, state);
        }
        if (!hasStartedExecuting()) {
            moveTo(RunState.CANCELLED, "cancelled before it started", now);
            return true;
        }
        if (!cancelRequested) {
            cancelRequested = true;
            note("cancel requested", now);
            registerEvent(new RunCancelRequested(id));
        }
        return false;
    }

    void note(String message, Instant now) {
        registerEvent(new RunNoted(id, ++eventCount, message, now));
    }

    private boolean hasStartedExecuting() {
        return state == RunState.RUNNING || pid != null || slurmJobId != null;
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
        switch (next) {
            case QUEUED -> submittedAt = submittedAt == null ? now : submittedAt;
            case RUNNING -> startedAt = now;
            case COMPLETED, FAILED, TIMED_OUT, CANCELLED, SUBMIT_FAILED -> finishedAt = now;
            case ACCEPTED, STAGING -> {}
        }
        registerEvent(new RunStateChanged(id, ++eventCount, previous, next, reason, now, mode, cluster));
        if (next.isTerminal()) {
            registerEvent(new RunFinished(
                    mode,
                    cluster,
                    launcher,
                    next,
                    submittedAt != null && startedAt != null ? Duration.between(submittedAt, startedAt) : null,
                    startedAt != null ? Duration.between(startedAt, now) : null,
                    usage));
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

    public String getLauncher() {
        return launcher;
    }

    public String getSpec() {
        return spec;
    }

    public RunState getState() {
        return state;
    }

    public String getReason() {
        return reason;
    }

    public String getSlurmJobId() {
        return slurmJobId;
    }

    public String getSlurmState() {
        return slurmState;
    }

    public String getSlurmReason() {
        return slurmReason;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    String getRequestFingerprint() {
        return requestFingerprint;
    }

    public Long getPid() {
        return pid;
    }

    public Instant getProcessStartedAt() {
        return processStartedAt;
    }

    long getEventCount() {
        return eventCount;
    }

    /** How many bytes of the messages file are relayed; null for a run that carries no Pipes context. */
    public Long getPipesOffset() {
        return pipesOffset;
    }

    public ResourceUsage getUsage() {
        return usage;
    }

    /** The latest live sample of a running job; null when none was taken, and meaningless once the run ended. */
    public LiveUsage getLiveUsage() {
        return liveUsage;
    }

    public PipesSession getPipesSession() {
        return pipesSession;
    }

    public String getPipesException() {
        return pipesException;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getSubmittedAt() {
        return submittedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
