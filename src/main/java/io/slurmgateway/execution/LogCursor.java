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
    private final Map<LogStream, Long> fileStart = new EnumMap<>(LogStream.class);
    private final Set<LogStream> fileStartAssumed = EnumSet.noneOf(LogStream.class);

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

    /**
     * Where the next read of the stream's file starts: the stored bytes since the file's current content began, which
     * is all of them unless the job was requeued and its output restarted.
     */
    public long fileOffset(LogStream stream) {
        return offset(stream) - fileStart.getOrDefault(stream, 0L);
    }

    /** The stream's file (a requeued job's new attempt) starts at stored offset {@code storedOffset}. */
    public void fileStartsAt(LogStream stream, long storedOffset) {
        fileStart.put(stream, storedOffset);
        fileStartAssumed.remove(stream);
    }

    /**
     * Says that where the file starts in the store is not known, only assumed to be the store's start: so after a
     * restart, when the store may already hold an earlier attempt.
     */
    void assumeFileStart(LogStream stream) {
        if (!fileStart.containsKey(stream)) {
            fileStartAssumed.add(stream);
        }
    }

    /** @return whether where the file starts was only assumed; it counts as known from now on */
    boolean takeAssumedFileStart(LogStream stream) {
        return fileStartAssumed.remove(stream);
    }

    /** @return true the first time only */
    public boolean markLimitReached(LogStream stream) {
        return limitReached.add(stream);
    }
}
