package io.slurmgateway.runs;

import java.util.Optional;

/** The two output streams of a run, as stored in the gateway's log store. */
public enum LogStream {
    STDOUT,
    STDERR;

    /** The stream named in a URL ({@code stdout} or {@code stderr}). */
    public static Optional<LogStream> fromPathSegment(String segment) {
        return switch (segment) {
            case "stdout" -> Optional.of(STDOUT);
            case "stderr" -> Optional.of(STDERR);
            default -> Optional.empty();
        };
    }
}
