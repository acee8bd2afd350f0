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

    public JobScript {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        files = List.copyOf(files);
    }

    /** A text file written into the run's directory before the job starts. */
    public record StagedFile(String name, String content, boolean executable) {}
}
