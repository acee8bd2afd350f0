package io.slurmgateway.execution.local;

import io.slurmgateway.runs.ResourceUsage;
import io.slurmgateway.runs.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How a local run ended, read from what its process left: the gateway's own stop (cancel, deadline), else its exit
 * code, which names a memory-limit kill; and what its process tree used.
 *
 * @param exitCode null when the process left none
 * @param usage null when nothing was measured
 */
record LocalOutcome(RunState state, Integer exitCode, String reason, ResourceUsage usage) {

    /** Shells report a process ended by signal N as exit code 128 + N. */
    static final int SIGNAL_EXIT_CODES = 128;

    /** The exit code of a process the kernel killed with SIGKILL, as its out-of-memory killer does. */
    private static final int MEMORY_KILLED = SIGNAL_EXIT_CODES + 9;

    static LocalOutcome of(LocalRun run) throws IOException, InterruptedException {
        OptionalInt exitCode = exitCode(run);
        Integer code = exitCode.isPresent() ? exitCode.getAsInt() : null;
        RunState state;
        String reason;
        if (run.stopOutcome().isPresent()) {
            state = run.stopOutcome().get();
            reason = state == RunState.CANCELLED ? "cancelled on request" : "exceeded its time limit";
        } else if (code == null) {
            state = RunState.FAILED;
            reason = "the process ended while the gateway was not running and left no exit code";
        } else {
            state = code == 0 ? RunState.COMPLETED : RunState.FAILED;
            reason = "exit code " + code;
            if (code == MEMORY_KILLED && run.cage().memoryLimitHit()) {
                reason += ": the run's processes were killed for using more than"
                        + " gateway.execution.local-limits.memory ("
                        + run.cage().memoryLimit().toMegabytes() + " MB)";
            }
        }
        return new LocalOutcome(state, code, reason, usage(run));
    }

    /** The exit code the operating system reported, else the one the run's wrapper recorded; empty when neither. */
    static OptionalInt exitCode(LocalRun run) throws IOException, InterruptedException {
        OptionalInt reported = run.childExitCode();
        if (reported.isPresent()) {
            return reported;
        }
        try {
            String recorded = Files.readString(
                            run.directory().resolve(LocalProcesses.EXIT_CODE_FILE), StandardCharsets.UTF_8)
                    .trim();
            return OptionalInt.of(Integer.parseInt(recorded));
        } catch (NoSuchFileException | NumberFormatException unrecorded) {
            return OptionalInt.empty();
        }
    }

    private static ResourceUsage usage(LocalRun run) throws IOException {
        OptionalDouble cpu = LocalProcesses.cpuSeconds(run.directory());
        OptionalLong memory = run.maxRssBytes();
        if (cpu.isEmpty() && memory.isEmpty()) {
            return null;
        }
        return new ResourceUsage(
                null,
                cpu.isPresent() ? cpu.getAsDouble() : null,
                memory.isPresent() ? memory.getAsLong() : null,
                null,
                null,
                null,
                null);
    }
}
