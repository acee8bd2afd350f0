package io.slurmgateway.execution;

import io.slurmgateway.launch.JobScript;
import io.slurmgateway.runs.LogStream;

/** Where a run's stored streams come from in its directory, locally and on a cluster alike. */
public final class RunFiles {

    private RunFiles() {}

    /** The file in the run's directory that a stream is copied from. */
    public static String logFile(LogStream stream) {
        return switch (stream) {
            case STDOUT -> JobScript.STDOUT_FILE;
            case STDERR -> JobScript.STDERR_FILE;
        };
    }
}
