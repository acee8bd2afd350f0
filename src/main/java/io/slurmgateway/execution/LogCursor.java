package io.slurmgateway.execution;

import io.slurmgateway.runs.LogStream;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How far a run's stdout and stderr are copied into the log store, and which stream has reached
 * {@code max-log-size}; local and Slurm runs keep one each.
 */
public final class LogCursor {

    private final UUID runId;
    private final Map<LogStream, Long> copied = new EnumMap<>(LogStream.class);
    private final Set<LogStream> limitReached = EnumSet.noneOf(LogStream.class);

    public LogCursor(UUID runId) {
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }

    /** Where the next read of the stream starts: the number of its bytes already stored. */
    public long offset(LogStream stream) {
        return copied.getOrDefault(stream, 0L);
    }

    public void advance(LogStream stream, long upTo) {
        copied.put(stream, upTo);
    }

    /** @return true the first time only */
    public boolean markLimitReached(LogStream stream) {
        return limitReached.add(stream);
    }
}
