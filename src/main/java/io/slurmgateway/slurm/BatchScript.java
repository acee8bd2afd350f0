package io.slurmgateway.slurm;

import io.slurmgateway.host.ShellQuoting;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.PreTimeoutSignal;
import io.slurmgateway.launch.RunSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The script sbatch receives for a run: {@code #SBATCH} lines for the job name, the output files and every resource,
 * then the run's environment and the launcher's job script with its arguments.
 *
 * <p>{@code #SBATCH} lines are read by sbatch, not by a shell, but each value is checked against a strict pattern here
 * again anyway, so no option can be smuggled into one. Environment values and arguments go through
 * {@link ShellQuoting#quote}, the only place a value becomes shell text.
 */
public final class BatchScript {

    /** The file name of the batch script inside the run's directory. */
    public static final String NAME = "batch.sh";

    /**
     * The exit code of a job whose staged files changed between staging and start: the batch script checks their
     * digests before anything of them runs, and stops with this code when one differs.
     */
    public static final int STAGED_FILES_CHANGED = 97;

    private static final String JOB_NAME_PREFIX = "sg-";
    private static final Pattern SLURM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.&|,:*()\\[\\]!-]{1,255}");
    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,9}[KMGT]?");
    private static final Pattern TIME = Pattern.compile("[0-9]{1,7}(-[0-9]{1,6})?(:[0-9]{1,6}){0,2}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DIRECTORY = Pattern.compile("/[A-Za-z0-9._/~+-]*");

    private BatchScript() {}

    /** Slurm's job name for a run, which is how a job is found again when its id was never recorded. */
    public static String jobName(UUID runId) {
        return JOB_NAME_PREFIX + runId;
    }

    /**
     * Renders the batch script.
     *
     * @param runDirectory the absolute directory of the run on the cluster, where the job starts and writes its output
     * @param resources the run's resources, with the cluster's defaults already applied
     */
    public static String render(UUID runId, String runDirectory, JobScript job, RunSpec.Resources resources) {
        require("the run directory", runDirectory, DIRECTORY);
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("#SBATCH --job-name=" + jobName(runId));
        lines.add("#SBATCH --chdir=" + runDirectory);
        lines.add("#SBATCH --output=" + runDirectory + "/" + JobScript.STDOUT_FILE);
        lines.add("#SBATCH --error=" + runDirectory + "/" + JobScript.STDERR_FILE);
        resourceLines(resources, lines);
        lines.add("# Written by Slurm Gateway for run " + runId + ". Values below are single-quoted data.");
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(job.environment()).entrySet()) {
            require("an environment variable name", variable.getKey(), ENV_NAME);
            lines.add("export " + variable.getKey() + "=" + ShellQuoting.quote(variable.getValue()));
        }
        stagedFilesCheck(runId, job, lines);
        List<String> command = new ArrayList<>(List.of("/bin/bash", "./" + JobScript.SCRIPT_NAME));
        command.addAll(job.arguments());
        PreTimeoutSignal signal = signalOf(resources);
        if (signal == null) {
            lines.add("exec " + ShellQuoting.commandLine(command));
        } else {
            forwarding(signal, ShellQuoting.commandLine(command), lines);
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * Runs the job in a process group of its own and forwards the pre-timeout signal, which Slurm sends to this shell
     * only ({@code --signal=B:}), to that whole group: the payload and whatever it started. Each delivery is noted in
     * {@link JobScript#SIGNALS_FILE} for the gateway. The job's own exit status is the script's: a wait cut short by
     * the signal is waited again while the job runs, and once it has ended it is asked once more, since the signal may
     * have cut short the wait that would have reported it.
     */
    private static void forwarding(PreTimeoutSignal signal, String command, List<String> lines) {
        String name = signal.signal();
        lines.add("# The job runs in a process group of its own; SIG" + name + ", sent to this shell "
                + signal.seconds() + " s before the time limit, goes on to that whole group.");
        lines.add("job=");
        lines.add("forward() {");
        lines.add("  [ -n \"$job\" ] && kill -s " + name + " -- \"-$job\" 2>/dev/null && printf '%s %(%s)T\\n' " + name
                + " -1 >> ./" + JobScript.SIGNALS_FILE);
        lines.add("}");
        lines.add("trap forward " + name + " # before the job starts, so that this shell never dies of the signal");
        lines.add("set -m");
        lines.add(command + " &");
        lines.add("job=$!");
        lines.add("set +m # the job keeps its group; no job notices on its standard error");
        lines.add("wait \"$job\"");
        lines.add("status=$?");
        lines.add("while :; do");
        lines.add(
                "  if kill -0 \"$job\" 2>/dev/null; then wait \"$job\"; status=$?; continue; fi # cut short by the signal");
        lines.add(
                "  wait \"$job\" # it has ended: asked again, bash answers with its status (or 127 once it was given)");
        lines.add("  again=$?");
        lines.add("  [ \"$again\" -ne 127 ] && status=$again");
        lines.add("  break");
        lines.add("done");
        lines.add("exit \"$status\"");
    }

    private static PreTimeoutSignal signalOf(RunSpec.Resources resources) {
        if (resources.signalBeforeTimeout() == null) {
            return null;
        }
        return PreTimeoutSignal.parse(resources.signalBeforeTimeout())
                .orElseThrow(() -> new IllegalArgumentException("--signal is not SIGNAL@SECONDS"));
    }

    /**
     * Checks, before anything of them runs, that the job script and every staged file are what the gateway wrote: any
     * process of the cluster account could rewrite them between staging and start, but Slurm runs its own copy of this
     * batch script, which holds their digests. A mismatch ends the job with {@link #STAGED_FILES_CHANGED}.
     */
    private static void stagedFilesCheck(UUID runId, JobScript job, List<String> lines) {
        List<String> sums = new ArrayList<>();
        sums.add(digest(job.scriptText()));
        sums.add("./" + JobScript.SCRIPT_NAME);
        for (JobScript.StagedFile file : job.files()) {
            sums.add(digest(file.content()));
            sums.add("./" + file.name());
        }
        lines.add("# The staged files, as the gateway wrote them; Slurm keeps its own copy of this script.");
        lines.add("printf '%s  %s\\n' " + ShellQuoting.commandLine(sums)
                + " | sha256sum --check --status --strict - || {");
        lines.add("  echo "
                + ShellQuoting.quote("slurm-gateway: a staged file of run " + runId
                        + " changed after it was staged; nothing of the run was executed")
                + " >&2");
        lines.add("  exit " + STAGED_FILES_CHANGED);
        lines.add("}");
    }

    private static String digest(String content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM provides SHA-256", impossible);
        }
    }

    private static void resourceLines(RunSpec.Resources resources, List<String> lines) {
        option(lines, "partition", resources.partition(), SLURM_NAME);
        option(lines, "time", resources.timeLimit(), TIME);
        option(lines, "nodes", count(resources.nodes()), null);
        option(lines, "ntasks", count(resources.ntasks()), null);
        option(lines, "cpus-per-task", count(resources.cpusPerTask()), null);
        option(lines, "mem", resources.memory(), MEMORY);
        option(lines, "gpus", count(resources.gpus()), null);
        option(lines, "qos", resources.qos(), SLURM_NAME);
        option(lines, "account", resources.account(), SLURM_NAME);
        option(lines, "reservation", resources.reservation(), SLURM_NAME);
        option(lines, "constraint", resources.constraint(), CONSTRAINT);
        if (Boolean.TRUE.equals(resources.exclusive())) {
            lines.add("#SBATCH --exclusive");
        }
        PreTimeoutSignal signal = signalOf(resources);
        if (signal != null) {
            lines.add("#SBATCH --signal=" + signal.slurmOption());
        }
    }

    private static String count(Integer value) {
        return value == null ? null : String.valueOf(value);
    }

    private static void option(List<String> lines, String name, String value, Pattern pattern) {
        if (value == null) {
            return;
        }
        if (pattern != null) {
            require("--" + name, value, pattern);
        }
        lines.add("#SBATCH --" + name + "=" + value);
    }

    private static void require(String what, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " does not match " + pattern.pattern());
        }
    }
}
