package io.slurmgateway.execution.local;

import io.slurmgateway.execution.ExecutionProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * A cgroup per local run (v1 {@code pids} and {@code memory} controllers), which holds every process the run starts
 * however it detaches itself (a new session with {@code setsid}, a double fork): the run's process limits apply to the
 * whole tree, and stopping the run kills every process in it. The cgroups are made below the gateway's own, in
 * {@code slurm-gateway-runs/<run id>}. Where the gateway may not create cgroups (not root, no delegated hierarchy), runs
 * get no cage; the run's processes are then found by the marker variable in their environment instead.
 */
@Component
class ProcessCages {

    private static final Logger log = LoggerFactory.getLogger(ProcessCages.class);
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final String RUNS = "slurm-gateway-runs";
    private static final int KILL_ROUNDS = 50;

    private final ExecutionProperties.LocalLimits limits;
    private final Path pidsParent;
    private final Path memoryParent;

    ProcessCages(ExecutionProperties properties) {
        this.limits = properties.localLimits();
        this.pidsParent = parentFor("pids").orElse(null);
        this.memoryParent = limits.memory().toBytes() > 0 ? parentFor("memory").orElse(null) : null;
        if (pidsParent == null) {
            log.warn(
                    "local runs get no cgroup (the pids controller under {} is not writable): their process limits"
                            + " are per process, and processes that leave a run's session are found by their environment",
                    CGROUPS);
        } else {
            log.info(
                    "local runs run in cgroups under {}{}",
                    pidsParent,
                    memoryParent == null ? "" : " and " + memoryParent);
        }
    }

    /** Whether runs get a cgroup, so that the processes limit binds the whole tree. */
    boolean available() {
        return pidsParent != null;
    }

    /** Makes the cage of a new run, with its limits set; {@link Cage#NONE} where cgroups cannot be made. */
    Cage create(UUID runId) throws IOException {
        if (pidsParent == null) {
            return Cage.NONE;
        }
        Path pids = Files.createDirectories(pidsParent.resolve(runId.toString()));
        if (limits.processes() > 0) {
            Files.writeString(pids.resolve("pids.max"), Integer.toString(limits.processes()));
        }
        Path memory = null;
        if (memoryParent != null) {
            memory = Files.createDirectories(memoryParent.resolve(runId.toString()));
            String bytes = Long.toString(limits.memory().toBytes());
            Files.writeString(memory.resolve("memory.limit_in_bytes"), bytes);
            Path withSwap = memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(withSwap)) { // so that the run cannot spill past its limit into swap
                Files.writeString(withSwap, bytes);
            }
        }
        return new Cage(pids, memory, limits.memory());
    }

    /** The cage a run got before this gateway restarted, if it is still there. */
    Cage existing(UUID runId) {
        if (pidsParent == null || !Files.isDirectory(pidsParent.resolve(runId.toString()))) {
            return Cage.NONE;
        }
        Path memory = memoryParent == null ? null : memoryParent.resolve(runId.toString());
        return new Cage(
                pidsParent.resolve(runId.toString()),
                memory != null && Files.isDirectory(memory) ? memory : null,
                limits.memory());
    }

    /** {@code <controller mount>/<the gateway's own cgroup>/slurm-gateway-runs}, if the gateway may make cgroups there. */
    private static Optional<Path> parentFor(String controller) {
        Path mount = CGROUPS.resolve(controller);
        if (!Files.isDirectory(mount)) {
            return Optional.empty();
        }
        for (Path base : List.of(mount.resolve(ownCgroup(controller)), mount)) {
            try {
                Path parent = Files.createDirectories(base.resolve(RUNS));
                Path probe = Files.createDirectories(parent.resolve("probe-" + UUID.randomUUID()));
                Files.delete(probe);
                return Optional.of(parent);
            } catch (IOException | RuntimeException notHere) {
                // read-only or not ours: try the next place
            }
        }
        return Optional.empty();
    }

    /** The gateway's own cgroup in a controller's hierarchy, relative; empty for the root. */
    private static String ownCgroup(String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && List.of(fields[1].split(",")).contains(controller)) {
                    return fields[2].replaceFirst("^/", "");
                }
            }
        } catch (IOException unreadable) {
            // no /proc: no cgroups either
        }
        return "";
    }

    /**
     * One run's cgroups: the pids one always (it tracks membership), the memory one when a memory limit is set.
     *
     * @param pids the run's directory in the pids hierarchy; null for {@link #NONE}
     * @param memory the run's directory in the memory hierarchy; null without a memory limit
     */
    record Cage(Path pids, Path memory, DataSize memoryLimit) {

        /** No cgroup: nothing to join, nothing to kill by membership. */
        static final Cage NONE = new Cage(null, null, DataSize.ofBytes(0));

        /** The files a new process writes its pid into to join the cage. */
        List<Path> joinFiles() {
            List<Path> files = new ArrayList<>();
            if (pids != null) {
                files.add(pids.resolve("cgroup.procs"));
            }
            if (memory != null) {
                files.add(memory.resolve("cgroup.procs"));
            }
            return files;
        }

        /** Every process in the cage now. */
        Set<Long> members() {
            Set<Long> members = new LinkedHashSet<>();
            for (Path file : joinFiles()) {
                try {
                    Files.readAllLines(file).stream()
                            .map(String::strip)
                            .filter(line -> !line.isEmpty())
                            .map(Long::valueOf)
                            .forEach(members::add);
                } catch (NoSuchFileException gone) {
                    // the cage was removed
                } catch (IOException unreadable) {
                    log.warn("could not read {}: {}", file, unreadable.getMessage());
                }
            }
            return members;
        }

        /** Kills every process in the cage, again and again while a forking process adds new ones. */
        void killAll() {
            for (int round = 0; round < KILL_ROUNDS; round++) {
                Set<Long> members = members();
                if (members.isEmpty()) {
                    return;
                }
                members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            log.warn("processes still in {} after {} rounds of SIGKILL", pids, KILL_ROUNDS);
        }

        /** Whether the kernel killed a process of the run for exceeding the memory limit. */
        boolean memoryLimitHit() {
            if (memory == null) {
                return false;
            }
            try {
                for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
                    if (line.startsWith("oom_kill ")
                            && Long.parseLong(line.substring(9).strip()) > 0) {
                        return true;
                    }
                }
                return Long.parseLong(Files.readString(memory.resolve("memory.failcnt"))
                                .strip())
                        > 0;
            } catch (IOException | NumberFormatException unreadable) {
                return false;
            }
        }

        /** Removes the cage once it is empty; a cage that still holds processes is left for the next try. */
        void remove() {
            for (Path directory : new Path[] {pids, memory}) {
                if (directory != null) {
                    try {
                        Files.deleteIfExists(directory);
                    } catch (IOException busy) {
                        log.warn("could not remove {}: {}", directory, busy.getMessage());
                    }
                }
            }
        }
    }
}
