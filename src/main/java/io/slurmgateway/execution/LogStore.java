package io.slurmgateway.execution;

import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunWorkQueue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /** The line stored in a stream where a requeued job's output starts again. */
    public static final String REQUEUE_MARKER =
            "--- slurm-gateway: the job was requeued; its output restarts here ---\n";

    /** How much of a stored log is read at once while looking back for the last requeue marker. */
    private static final int SCAN_WINDOW = 64 * 1024;

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
            long stored = logs.storedLength(cursor.runId(), stream);
            cursor.advance(stream, stored);
            if (stored > 0) {
                cursor.assumeFileStart(stream);
            }
        }
    }

    /**
     * The stream's file is shorter than what was copied of it: Slurm requeued the job and its output restarts from the
     * beginning. Stores a marker line ({@link #REQUEUE_MARKER}) and notes it on the run, and points the cursor at the
     * file's start, so the new attempt is copied in full after the old one. Right after a restart the store may already
     * end in the new attempt behind a marker: then the cursor only learns where that began.
     */
    public void restartedFile(LogCursor cursor, LogStream stream, long fileSize) {
        UUID runId = cursor.runId();
        long offset = cursor.offset(stream);
        if (cursor.takeAssumedFileStart(stream)) {
            long start = lastRestart(runId, stream, offset);
            if (start >= 0 && offset - start <= fileSize) {
                cursor.fileStartsAt(stream, start);
                return;
            }
        }
        byte[] last = offset == 0
                ? new byte[0]
                : logs.read(runId, stream, offset - 1, 1).bytes();
        boolean atLineStart = last.length == 0 || last[0] == '\n';
        byte[] marker = ((atLineStart ? "" : "\n") + REQUEUE_MARKER).getBytes(StandardCharsets.UTF_8);
        if (!append(cursor, stream, marker)) {
            return; // stored already by an attempt that seemed to fail: found as above in the next round
        }
        cursor.fileStartsAt(stream, cursor.offset(stream));
        queue.note(
                runId,
                "the job was requeued: its " + stream.name().toLowerCase(Locale.ROOT) + " restarts after byte "
                        + cursor.offset(stream) + " of the stored log");
    }

    /** Where the output after the last requeue marker starts in the stored stream; -1 when there is none. */
    private long lastRestart(UUID runId, LogStream stream, long storedLength) {
        byte[] marker = REQUEUE_MARKER.getBytes(StandardCharsets.UTF_8);
        long end = storedLength;
        while (end >= marker.length) {
            long from = Math.max(0, end - SCAN_WINDOW);
            byte[] window = logs.read(runId, stream, from, (int) (end - from)).bytes();
            for (int at = window.length - marker.length; at >= 0; at--) {
                if (Arrays.equals(window, at, at + marker.length, marker, 0, marker.length)) {
                    return from + at + marker.length;
                }
            }
            if (from == 0) {
                break;
            }
            end = from + marker.length - 1; // windows overlap, so a marker across their border is found
        }
        return -1;
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
