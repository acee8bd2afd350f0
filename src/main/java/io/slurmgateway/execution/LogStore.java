package io.slurmgateway.execution;

import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunWorkQueue;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Stores what executors read of a run's output, after what is already stored, never more than {@code max-log-size}
 * per stream; a LOG event says when a stream reaches it. Used the same way for local processes and Slurm jobs.
 */
@Component
public class LogStore {

    private final RunLogService logs;
    private final RunWorkQueue queue;
    private final long maxLogSize;
    private final LogQuota quota;

    LogStore(RunLogService logs, RunWorkQueue queue, ExecutionProperties properties, LogQuota quota) {
        this.logs = logs;
        this.queue = queue;
        this.maxLogSize = properties.maxLogSize().toBytes();
        this.quota = quota;
    }

    /** The run ends while its output is still being copied: its logs are not complete until {@link #drained}. */
    public void draining(UUID runId) {
        logs.draining(runId);
    }

    /** All of a draining run's output is stored (or at its limit). */
    /** Records a note in the run's history (a LOG event). */
    public void note(UUID runId, String message) {
        queue.note(runId, message);
    }

    /** Records an address the run's launcher published (read by an {@link EndpointsCursor}). */
    public void publishEndpoint(UUID runId, String name, String url) {
        queue.publishEndpoint(runId, name, url);
    }

    public void drained(UUID runId) {
        logs.drained(runId);
    }

    /** Sets the cursor to what the store already holds, so nothing is stored twice (after a restart, say). */
    public void resume(LogCursor cursor) {
        for (LogStream stream : LogStream.values()) {
            cursor.advance(stream, logs.storedLength(cursor.runId(), stream));
        }
    }

    /**
     * How many bytes of the stream the next read may ask for, at most {@code readSize}; 0 once the stream has reached
     * {@code max-log-size}, or the run's principal {@code max-log-bytes}, which is noted on the run the first time.
     */
    public int wanted(LogCursor cursor, LogStream stream, int readSize) {
        long principalRoom = quota.room(cursor.runId());
        if (principalRoom == 0) {
            if (cursor.markLimitReached(stream)) {
                queue.note(
                        cursor.runId(),
                        stream.name().toLowerCase(Locale.ROOT) + " stopped at " + cursor.offset(stream) + " bytes: '"
                                + quota.principalOf(cursor.runId()) + "' has stored"
                                + " gateway.security.limits.max-log-bytes (" + quota.limit() + " bytes) of run output;"
                                + " the rest stays in the run's directory only");
            }
            return 0;
        }
        readSize = (int) Math.min(readSize, principalRoom);
        long room = maxLogSize - cursor.offset(stream);
        if (room > 0) {
            return (int) Math.min(readSize, room);
        }
        if (cursor.markLimitReached(stream)) {
            queue.note(
                    cursor.runId(),
                    stream.name().toLowerCase(Locale.ROOT) + " reached gateway.execution.max-log-size (" + maxLogSize
                            + " bytes); the rest stays in the run's directory only");
        }
        return 0;
    }

    /**
     * Stores bytes read from the cursor's offset and advances it.
     *
     * @return false when the store already had them (an earlier append committed although it reported a failure):
     *     the cursor is then set to what the store holds, and the bytes must be read again from there
     */
    public boolean append(LogCursor cursor, LogStream stream, byte[] bytes) {
        if (bytes.length == 0) {
            return true;
        }
        long offset = cursor.offset(stream);
        try {
            logs.append(cursor.runId(), stream, offset, bytes);
        } catch (DataIntegrityViolationException alreadyStored) {
            resume(cursor);
            return false;
        }
        cursor.advance(stream, offset + bytes.length);
        quota.stored(cursor.runId(), bytes.length);
        return true;
    }
}
