package io.slurmgateway.execution.local;

import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.PreTimeoutSignal;
import io.slurmgateway.launch.SlurmDuration;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunMode;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.runs.RunsProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a local run: stage, start, watch (logs, cancel, deadline) and complete; and, after a restart, adopting
 * the runs this instance was executing. Talks to processes and files with no transaction open; records each step
 * through {@link RunWorkQueue}.
 */
@Component
class LocalRunExecutor {

    private static final Logger log = LoggerFactory.getLogger(LocalRunExecutor.class);

    private final RunWorkQueue queue;
    private final LocalStaging staging;
    private final LocalProcesses processes;
    private final LocalLogCopier logCopier;
    private final ProcessCages cages;
    private final RunsProperties runsProperties;
    private final ExecutionProperties properties;
    private final Clock clock;

    LocalRunExecutor(
            RunWorkQueue queue,
            LocalStaging staging,
            LocalProcesses processes,
            LocalLogCopier logCopier,
            ProcessCages cages,
            RunsProperties runsProperties,
            ExecutionProperties properties,
            Clock clock) {
        this.queue = queue;
        this.staging = staging;
        this.processes = processes;
        this.logCopier = logCopier;
        this.cages = cages;
        this.runsProperties = runsProperties;
        this.properties = properties;
        this.clock = clock;
    }

    /** Writes a run's directory and queues it, or records why that failed. */
    void stage(ClaimedRun run) {
        try {
            Path directory = staging.stage(run, staging.jobScript(run));
            if (queue.markQueued(run.id(), "staged in " + directory)) {
                log.info("run {} staged in {}", run.id(), directory);
            }
        } catch (IOException | RuntimeException failed) {
            log.info("run {} could not be staged: {}", run.id(), failed.getMessage());
            queue.markSubmitFailed(run.id(), "staging failed: " + failed.getMessage());
        }
    }

    /**
     * Starts the process of a run that was claimed for start; empty when it could not start (the run then FAILED). The
     * directory is written again first, so what runs is what the gateway staged, whatever happened to it while the run
     * waited for a slot.
     */
    Optional<LocalRun> start(ClaimedRun run) {
        Path directory;
        Process process;
        ProcessCages.Cage cage = ProcessCages.Cage.NONE;
        try {
            JobScript script = staging.jobScript(run);
            List<String> program = new ArrayList<>(List.of("/bin/bash", JobScript.SCRIPT_NAME));
            program.addAll(script.arguments());
            directory = staging.stage(run, script);
            cage = cages.create(run.id());
            process = processes.start(
                    directory,
                    program,
                    environment(run, script),
                    cage,
                    properties.localLimits().openFiles(),
                    cage.memory() == null ? properties.localLimits().memory().toKilobytes() : 0);
        } catch (IOException | RuntimeException failed) {
            cage.remove();
            queue.finish(run.id(), RunState.FAILED, null, "the process could not start: " + failed.getMessage());
            return Optional.empty();
        }
        LocalRun local = new LocalRun(
                run.id(),
                directory,
                process.toHandle(),
                process,
                clock.instant().plus(timeLimit(run)),
                run.relaysPipes(),
                cage);
        signalOf(run).ifPresent(local::signalBeforeDeadline);
        local.readEndpointsOf(run.launcher());
        log.info("run {} started as process {}", run.id(), process.pid());
        try {
            Instant processStartedAt =
                    LocalProcesses.startInstant(process.toHandle()).orElse(null);
            queue.recordProcess(run.id(), process.pid(), processStartedAt);
        } catch (RuntimeException unrecorded) {
            // still watched, so its output, deadline and outcome are handled; only adoption after a restart is lost
            log.warn("run {}: recording process {} failed: {}", run.id(), process.pid(), unrecorded.getMessage());
        }
        return Optional.of(local);
    }

    /**
     * One look at a running run: copy its new output, then act on its exit, a cancel request or its deadline.
     *
     * @return whether the run has ended and is no longer watched
     */
    boolean watch(LocalRun run, boolean cancelRequested) throws IOException, InterruptedException {
        boolean alive = run.isAlive();
        if (alive) {
            enforceStop(run, cancelRequested); // before copying, so a copy failure never delays a cancel or deadline
            run.sampleMemory();
            logCopier.copyNew(run, false);
            return false;
        }
        if (run.markLeftoversKilled()) {
            killEverything(run); // children that outlived the leader end with the run, as under Slurm
        }
        if (logCopier.copyNew(run, true)) { // the outcome is recorded only once all output is stored
            complete(run);
            return true;
        }
        return false;
    }

    private void enforceStop(LocalRun run, boolean cancelRequested) {
        Instant now = clock.instant();
        if (!run.isStopping()) {
            if (cancelRequested) {
                beginStop(run, RunState.CANCELLED, now);
            } else if (now.isAfter(run.deadline())) {
                beginStop(run, RunState.TIMED_OUT, now);
            } else {
                run.takeDueSignal(now).ifPresent(signal -> {
                    processes.send(run.leader(), signal.signal());
                    queue.note(
                            run.id(),
                            "SIG" + signal.signal() + " sent to the payload's process group, " + signal.seconds()
                                    + " s before its time limit (signalBeforeTimeout)");
                });
            }
        } else if (now.isAfter(run.stopStartedAt().plus(properties.killGracePeriod()))) {
            killEverything(run);
        }
    }

    /**
     * Kills every process of the run: its tree and process group, everything in its cgroup, and everything that carries
     * its marker, so that neither a child that outlived its parent nor one that left the session with {@code setsid}
     * survives the run.
     */
    private void killEverything(LocalRun run) {
        if (run.leader() != null) {
            processes.kill(run.leader());
        }
        run.cage().killAll();
        processes.killMarked(run.id());
    }

    /**
     * Finds the runs this instance was executing before it stopped: staged runs are staged again, live processes are
     * adopted, and runs whose process ended meanwhile are completed from what it left behind.
     *
     * @return the runs to watch: adopted ones, and ended ones whose output is still to be copied
     */
    List<LocalRun> recover() throws IOException, InterruptedException {
        String owner = properties.instanceId();
        for (ClaimedRun run : queue.ownedBy(owner, RunMode.LOCAL, List.of(RunState.STAGING))) {
            stage(run);
        }
        List<LocalRun> adopted = new ArrayList<>();
        for (ClaimedRun run : queue.ownedBy(owner, RunMode.LOCAL, List.of(RunState.RUNNING))) {
            try {
                recoverRunning(run).ifPresent(adopted::add);
            } catch (RuntimeException failed) {
                log.error("run {} could not be recovered; it is tried again at the next start", run.id(), failed);
            }
        }
        return adopted;
    }

    private Optional<LocalRun> recoverRunning(ClaimedRun run) throws IOException, InterruptedException {
        if (run.pid() == null) {
            queue.finish(run.id(), RunState.FAILED, null, "the gateway stopped while starting this run's process");
            return Optional.empty();
        }
        Optional<ProcessHandle> alive = LocalProcesses.find(run.pid(), run.processStartedAt());
        Instant deadline = run.startedAt().plus(timeLimit(run));
        LocalRun local = new LocalRun(
                run.id(),
                staging.directoryOf(run),
                alive.orElse(null),
                null,
                deadline,
                run.relaysPipes(),
                cages.existing(run.id()));
        // a signal that fell due while no gateway watched the run is not sent late: it may have been sent before
        signalOf(run)
                .filter(signal -> clock.instant().isBefore(deadline.minusSeconds(signal.seconds())))
                .ifPresent(local::signalBeforeDeadline);
        local.readEndpointsOf(run.launcher());
        logCopier.resume(local);
        if (alive.isPresent()) {
            queue.note(run.id(), "adopted by the restarted gateway; process " + run.pid() + " still runs");
            log.info("run {} adopted: process {} still runs", run.id(), run.pid());
        } else {
            processes.killOrphanedGroup(run.pid()); // what the job left running ends with it, as when watched
            decideStopWhileDown(run, local);
        }
        return Optional.of(local); // an ended one completes at its first watch, once its output is copied
    }

    /**
     * A process that ended while no gateway watched it: a cancel request decides the outcome, and so does a deadline
     * that has passed when the process left no exit code or was ended by a signal (the gateway's own SIGTERM or SIGKILL,
     * sent just before it stopped); otherwise the exit code does, as it would have had the gateway been watching.
     */
    private void decideStopWhileDown(ClaimedRun run, LocalRun local) throws IOException, InterruptedException {
        Instant now = clock.instant();
        OptionalInt exitCode = LocalOutcome.exitCode(local);
        boolean endedBySignal = exitCode.isEmpty() || exitCode.getAsInt() >= LocalOutcome.SIGNAL_EXIT_CODES;
        if (run.cancelRequested()) {
            local.stopping(RunState.CANCELLED, now);
        } else if (now.isAfter(local.deadline()) && endedBySignal) {
            local.stopping(RunState.TIMED_OUT, now);
        }
    }

    private void beginStop(LocalRun run, RunState outcome, Instant now) {
        log.info("run {} stopping ({}): SIGTERM to its process group", run.id(), outcome);
        run.stopping(outcome, now);
        processes.terminate(run.leader());
    }

    private void complete(LocalRun run) throws IOException, InterruptedException {
        LocalOutcome outcome = LocalOutcome.of(run);
        run.cage().remove();
        queue.finish(run.id(), outcome.state(), outcome.exitCode(), outcome.reason(), outcome.usage());
        log.info("run {} ended {} ({})", run.id(), outcome.state(), outcome.reason());
    }

    /** The run's time limit: what it asked for, else the default, and never more than the local maximum. */
    private static Optional<PreTimeoutSignal> signalOf(ClaimedRun run) {
        return Optional.ofNullable(run.spec().resources().signalBeforeTimeout()).flatMap(PreTimeoutSignal::parse);
    }

    private Duration timeLimit(ClaimedRun run) {
        String requested = run.spec().resources().timeLimit();
        Duration limit = requested == null
                ? properties.defaultTimeLimit()
                : SlurmDuration.parse(requested).orElse(properties.defaultTimeLimit());
        Duration most = runsProperties.localMaxTimeLimit();
        return limit.compareTo(most) > 0 ? most : limit;
    }

    private Map<String, String> environment(ClaimedRun run, JobScript script) {
        Map<String, String> environment = new TreeMap<>();
        Map<String, String> own = System.getenv();
        for (String name : properties.inheritedEnvironment()) {
            if (own.containsKey(name)) {
                environment.put(name, own.get(name));
            }
        }
        environment.putAll(script.environment());
        environment.put(LocalProcesses.RUN_MARKER, run.id().toString()); // reserved: no client can set or clear it
        return environment;
    }
}
