package io.slurmgateway.execution.local;

import io.slurmgateway.launch.PreTimeoutSignal;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starting and stopping process trees on the gateway host. Each run starts as the leader of a new session (setsid), so
 * its whole process group can be signalled, including children that outlived their parent.
 */
@Component
class LocalProcesses {

    private static final Logger log = LoggerFactory.getLogger(LocalProcesses.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path PROC = Path.of("/proc");
    static final String EXIT_CODE_FILE = ".exit_code";

    /** Where the recorder leaves the CPU time of the run's process tree: the {@code times} builtin's output. */
    static final String CPU_TIMES_FILE = ".cpu_times";

    /** A line of {@code times}: user and system time, e.g. {@code 0m1.234s 0m0.056s}. */
    private static final Pattern TIMES_LINE = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /**
     * Puts the run in its place before anything of it runs, from the arguments before {@code --}: each
     * {@code nofile=N} (at most the hard limit the gateway has) or {@code vmem=KB} becomes a resource limit, and any
     * other is a cgroup's {@code cgroup.procs},
     * which the wrapper joins; every process the run starts later is born inside. A step that fails ends the run with
     * exit code 125 before the job starts. Builtins only.
     */
    private static final String SETUP = "while [ \"$1\" != -- ]; do case $1 in"
            + " nofile=*) n=${1#nofile=}; h=$(ulimit -Hn); { [ \"$h\" = unlimited ] || [ \"$n\" -le \"$h\" ]; }"
            + " || n=$h; ulimit -n \"$n\" || exit 125 ;;"
            + " vmem=*) ulimit -v \"${1#vmem=}\" || exit 125 ;;"
            + " *) printf '%s\\n' \"$$\" > \"$1\" || exit 125 ;;"
            + " esac; shift; done; shift; ";

    /** The variable that marks every process of a local run, so that one that left the run's session is found. */
    static final String RUN_MARKER = "SLURM_GATEWAY_RUN_ID";

    /**
     * Runs its arguments and records their exit code in a file, so that a gateway that restarted while the run was
     * executing still learns how it ended. Fixed text: every user value arrives as a positional argument. It uses only
     * builtins and absolute paths, because the run's own {@code PATH} is in effect. It outlives SIGTERM and the
     * pre-timeout signals sent to its process group (a no-op handler, which the job does not inherit: a caught signal
     * is back to its default in a program that starts), so a stopped or signalled job still has its exit code recorded.
     * Before the exit code it records the CPU time of everything the job ran (the {@code times} builtin's second line:
     * its children's, which counts every descendant that was waited for).
     */
    private static final String EXIT_CODE_RECORDER = SETUP + "trap : TERM "
            + String.join(" ", new TreeSet<>(PreTimeoutSignal.SIGNALS))
            + "; \"$@\"; code=$?; times > " + CPU_TIMES_FILE
            + "; printf '%s\\n' \"$code\" > "
            + EXIT_CODE_FILE
            + ".tmp && /bin/mv -f " + EXIT_CODE_FILE + ".tmp " + EXIT_CODE_FILE + "; exit \"$code\"";

    private final boolean sessionLeaders;

    LocalProcesses() {
        this.sessionLeaders = Files.isExecutable(SETSID);
        if (!sessionLeaders) {
            log.warn("{} not found: a cancelled run's processes that left its process tree may survive it", SETSID);
        }
    }

    /** The CPU seconds, user and system, of the run's process tree, as its recorder left them; empty when it did not. */
    static OptionalDouble cpuSeconds(Path directory) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve(CPU_TIMES_FILE));
        } catch (NoSuchFileException notRecorded) {
            return OptionalDouble.empty();
        }
        Matcher children =
                lines.size() < 2 ? null : TIMES_LINE.matcher(lines.get(1).strip());
        if (children == null || !children.matches()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(60 * Double.parseDouble(children.group(1))
                + Double.parseDouble(children.group(2))
                + 60 * Double.parseDouble(children.group(3))
                + Double.parseDouble(children.group(4)));
    }

    /**
     * Starts {@code program arguments…} in {@code directory} with exactly {@code environment}, inside {@code cage}
     * and under the given per-process limits.
     *
     * @param openFiles the open files each process may hold; 0 leaves the gateway's own limit
     * @param addressSpaceKilobytes the address space each process may map; 0 for none (the cage limits memory then)
     */
    Process start(
            Path directory,
            List<String> program,
            Map<String, String> environment,
            ProcessCages.Cage cage,
            int openFiles,
            long addressSpaceKilobytes)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (sessionLeaders) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of("/bin/bash", "-c", EXIT_CODE_RECORDER, "slurm-gateway-run"));
        if (openFiles > 0) {
            command.add("nofile=" + openFiles);
        }
        if (addressSpaceKilobytes > 0) {
            command.add("vmem=" + addressSpaceKilobytes);
        }
        cage.joinFiles().forEach(file -> command.add(file.toString()));
        command.add("--");
        command.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .redirectError(directory.resolve("stderr.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * When the process started, as the operating system reports it, truncated so it survives a database round trip;
     * empty when a short process has already ended and been reaped.
     */
    static Optional<Instant> startInstant(ProcessHandle process) {
        return process.info().startInstant().map(start -> start.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The live process with this pid, if it is the one that started at {@code startedAt} (pids are reused). */
    static Optional<ProcessHandle> find(long pid, Instant startedAt) {
        if (startedAt == null) {
            return Optional.empty(); // it ended before its start time could be read
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info()
                .startInstant()
                .map(start -> start.truncatedTo(ChronoUnit.MILLIS).equals(startedAt))
                .orElse(false));
    }

    /**
     * Whether a process still executes. {@link ProcessHandle#isAlive} also says yes for a zombie, and an adopted run's
     * process becomes one for good where nothing reaps orphans (a container whose first process is not an init), so
     * on Linux the state in {@code /proc} decides.
     */
    static boolean isRunning(ProcessHandle process) {
        Path stat = PROC.resolve(Long.toString(process.pid())).resolve("stat");
        if (!Files.isDirectory(PROC)) {
            return process.isAlive();
        }
        try {
            String line = Files.readString(stat);
            char state = line.charAt(line.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | IndexOutOfBoundsException gone) {
            return false;
        }
    }

    /** Asks the run's whole process tree to stop. */
    void terminate(ProcessHandle leader) {
        signal(leader, "TERM");
    }

    /**
     * Sends {@code signal} (a name such as {@code USR1}) to the run's whole process group, or without one to each
     * process of its tree, for the payload to act on.
     */
    void send(ProcessHandle leader, String signal) {
        if (sessionLeaders) {
            signalGroup(leader.pid(), signal);
        } else {
            treeOf(leader).forEach(process -> signalTarget(String.valueOf(process.pid()), signal));
        }
    }

    /** Stops the run's whole process tree at once; also used after a normal exit to end left-behind children. */
    void kill(ProcessHandle leader) {
        signal(leader, "KILL");
    }

    /**
     * Kills what is left of the process group of a run whose leading process ended while no gateway watched it. Safe
     * only when no process has the leader's pid: the kernel does not hand out a pid that is still some group's id, so
     * a group with that id is the run's own.
     */
    void killOrphanedGroup(long leaderPid) {
        if (sessionLeaders && ProcessHandle.of(leaderPid).isEmpty()) {
            signalGroup(leaderPid, "KILL");
        }
    }

    /**
     * Kills every process that carries the run's marker in its environment, however it left the run's process tree
     * and session (readable for the gateway's own processes, which runs are). Rounds repeat while a forking process
     * makes new ones.
     */
    void killMarked(UUID runId) {
        byte[] marker = (RUN_MARKER + "=" + runId + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        for (int round = 0; round < 20; round++) {
            List<ProcessHandle> marked = new ArrayList<>();
            try (java.util.stream.Stream<Path> entries = Files.list(PROC)) {
                entries.filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
                        .filter(entry -> Long.parseLong(entry.getFileName().toString()) != self)
                        .filter(entry -> carries(entry.resolve("environ"), marker))
                        .forEach(entry -> ProcessHandle.of(
                                        Long.parseLong(entry.getFileName().toString()))
                                .ifPresent(marked::add));
            } catch (IOException | java.io.UncheckedIOException unreadable) {
                log.warn("could not look for the processes of run {}: {}", runId, unreadable.getMessage());
                return;
            }
            if (marked.isEmpty()) {
                return;
            }
            marked.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean carries(Path environ, byte[] marker) {
        try {
            byte[] content = Files.readAllBytes(environ);
            outer:
            for (int at = 0; at + marker.length <= content.length; at++) {
                if (at > 0 && content[at - 1] != 0) {
                    continue; // a variable starts at the beginning or after a NUL
                }
                for (int i = 0; i < marker.length; i++) {
                    if (content[at + i] != marker[i]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException | SecurityException unreadable) {
            return false; // gone, or another user's
        }
    }

    /** The run's leading process and every process below it, as far as they are still linked to it. */
    static List<ProcessHandle> treeOf(ProcessHandle leader) {
        List<ProcessHandle> tree = new ArrayList<>(leader.descendants().toList());
        tree.add(leader);
        return tree;
    }

    private void signal(ProcessHandle leader, String signal) {
        for (ProcessHandle process : treeOf(leader)) {
            if (signal.equals("KILL")) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        }
        if (sessionLeaders) {
            signalGroup(leader.pid(), signal);
        }
    }

    private static void signalGroup(long groupId, String signal) {
        signalTarget("-" + groupId, signal);
    }

    private static void signalTarget(String target, String signal) {
        try {
            new ProcessBuilder("/bin/kill", "-s", signal, "--", target)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException failed) {
            log.warn("could not signal {}: {}", target, failed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
