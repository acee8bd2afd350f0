package io.slurmgateway.launch;

import java.util.List;
import java.util.Map;

/**
 * What a launcher makes of a run: the job script, the arguments it is started with, the environment it needs and the
 * files to stage beside it in the run's directory.
 *
 * <p>User values travel only in {@code arguments}, {@code environment} and {@code files}, never inside
 * {@code scriptText}, so no user value is ever read by a shell as code.
 */
public record JobScript(
        String scriptText, List<String> arguments, Map<String, String> environment, List<StagedFile> files) {

    /** The file name of the job script inside the run's directory. */
    public static final String SCRIPT_NAME = "job.sh";

    /** The file the job's standard output goes to, inside the run's directory. */
    public static final String STDOUT_FILE = "stdout.log";

    /** The file the job's standard error goes to, inside the run's directory. */
    public static final String STDERR_FILE = "stderr.log";

    /**
     * Where a job notes each pre-timeout signal it passed on to its payload, one line each: the signal's name and the
     * epoch second. The gateway reads it when the job ends.
     */
    public static final String SIGNALS_FILE = "signals.log";

    public JobScript {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        files = List.copyOf(files);
    }

    /** The same job with more environment variables; they replace any of the same name. */
    public JobScript withEnvironment(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new java.util.TreeMap<>(environment);
        merged.putAll(more);
        return new JobScript(scriptText, arguments, merged, files);
    }

    /** A text file written into the run's directory before the job starts. */
    public record StagedFile(String name, String content, boolean executable) {}
}
