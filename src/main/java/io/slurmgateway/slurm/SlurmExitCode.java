package io.slurmgateway.slurm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Slurm's {@code status:signal} exit code, as in {@code 3:0} or {@code 0:15}. */
public record SlurmExitCode(int status, int signal) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,3}):(\\d{1,3})");
    private static final int SIGNAL_EXIT_CODES = 128;
    private static final int HIGHEST_SIGNAL = 64;

    /** Parses {@code status:signal}; null for anything else (sacct prints an empty field while it does not know). */
    public static SlurmExitCode parse(String text) {
        Matcher matcher = FORMAT.matcher(text.strip());
        return matcher.matches()
                ? new SlurmExitCode(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)))
                : null;
    }

    /** As a shell reports it: the exit status, or 128 + N for a process ended by signal N; null when neither fits. */
    public Integer asShellExitCode() {
        if (signal == 0) {
            return status;
        }
        return signal <= HIGHEST_SIGNAL ? SIGNAL_EXIT_CODES + signal : null;
    }

    @Override
    public String toString() {
        return status + ":" + signal;
    }
}
