package io.slurmgateway.execution.local;

import io.slurmgateway.execution.EndpointsCursor;
import io.slurmgateway.execution.LogCursor;
import io.slurmgateway.execution.PipesCursor;
import io.slurmgateway.launch.PreTimeoutSignal;
import io.slurmgateway.runs.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A local run whose process this gateway instance watches: one it started (and can ask for the exit code) or one it
 * adopted after a restart (whose exit code comes from the file the process wrote). {@code leader} is null for a run
 * whose process ended while the gateway was down.
 */
final class LocalRun {

    /** How long to wait for the JVM to collect the exit status of a child that is known to have ended. */
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(5);

    private final UUID id;
    private final Path directory;
    private final ProcessHandle leader;
    private final Process child;
    private final Instant deadline;
    private final ProcessCages.Cage cage;
    private final LogCursor logCursor;
    private final PipesCursor pipesCursor;
    private boolean leftoversKilled;
    private RunState stopOutcome;
    private Instant stopStartedAt;
    private long maxRssBytes = -1;
    private PreTimeoutSignal preTimeoutSignal; // null: none asked for, or sent already
    private EndpointsCursor endpoints; // null: the launcher publishes none

    LocalRun(
            UUID id,
            Path directory,
            ProcessHandle leader,
            Process child,
            Instant deadline,
            boolean relaysPipes,
            ProcessCages.Cage cage) {
        this.id = id;
        this.cage = cage;
        this.directory = directory;
        this.leader = leader;
        this.child = child;
        this.deadline = deadline;
        this.logCursor = new LogCursor(id);
        this.pipesCursor = relaysPipes ? new PipesCursor(id) : null;
    }

    UUID id() {
        return id;
    }

    Path directory() {
        return directory;
    }

    ProcessHandle leader() {
        return leader;
    }

    Instant deadline() {
        return deadline;
    }

    /** The run's cgroup, which holds every process it started; {@link ProcessCages.Cage#NONE} without cgroups. */
    ProcessCages.Cage cage() {
        return cage;
    }

    LogCursor logCursor() {
        return logCursor;
    }

    /** How far the run's Dagster Pipes messages are relayed; empty for a run that carries no Pipes context. */
    Optional<PipesCursor> pipesCursor() {
        return Optional.ofNullable(pipesCursor);
    }

    /** Reads the addresses a run of {@code launcher} publishes, when it publishes any. */
    void readEndpointsOf(String launcher) {
        endpoints = EndpointsCursor.forLauncher(launcher);
    }

    Optional<EndpointsCursor> endpoints() {
        return Optional.ofNullable(endpoints);
    }

    /** Whether the run's leading process still runs; an adopted run whose process was already gone never does. */
    boolean isAlive() {
        return leader != null && LocalProcesses.isRunning(leader);
    }

    /** Samples the resident memory of the run's process tree; called at every watch while it runs. */
    void sampleMemory() {
        ProcessTreeMemory.peakCandidate(leader).ifPresent(bytes -> maxRssBytes = Math.max(maxRssBytes, bytes));
    }

    /**
     * The most resident memory the process tree was seen holding, at any sample since this instance watched it; empty
     * when it was never sampled (it ended within one poll interval, or before this instance adopted it).
     */
    OptionalLong maxRssBytes() {
        return maxRssBytes < 0 ? OptionalLong.empty() : OptionalLong.of(maxRssBytes);
    }

    /** The exit code the operating system reported, when this instance started the process. */
    OptionalInt childExitCode() throws InterruptedException {
        return child != null && child.waitFor(EXIT_STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(child.exitValue())
                : OptionalInt.empty();
    }

    /** @return true the first time it is called, when what the leading process left running is to be killed */
    boolean markLeftoversKilled() {
        boolean first = !leftoversKilled;
        leftoversKilled = true;
        return first;
    }

    /** The signal the run's process group gets before its deadline, as its {@code signalBeforeTimeout} asks. */
    void signalBeforeDeadline(PreTimeoutSignal signal) {
        this.preTimeoutSignal = signal;
    }

    /** The pre-timeout signal once it is due, once; empty before, after, and for a run that asked for none. */
    Optional<PreTimeoutSignal> takeDueSignal(Instant now) {
        if (preTimeoutSignal == null || now.isBefore(deadline.minusSeconds(preTimeoutSignal.seconds()))) {
            return Optional.empty();
        }
        PreTimeoutSignal due = preTimeoutSignal;
        preTimeoutSignal = null;
        return Optional.of(due);
    }

    boolean isStopping() {
        return stopOutcome != null;
    }

    /** Remembers that the gateway is stopping the run, and what it will be recorded as once it has stopped. */
    void stopping(RunState outcome, Instant now) {
        this.stopOutcome = outcome;
        this.stopStartedAt = now;
    }

    Optional<RunState> stopOutcome() {
        return Optional.ofNullable(stopOutcome);
    }

    Instant stopStartedAt() {
        return stopStartedAt;
    }
}
