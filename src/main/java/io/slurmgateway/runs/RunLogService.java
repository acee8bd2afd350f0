package io.slurmgateway.runs;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The gateway's own copy of each run's stdout and stderr. Executors append what they read off the run's host; readers
 * never touch the host, so logs outlive the run's directory and cost no round trip to the cluster.
 */
@Service
public class RunLogService {

    /** Chunks fetched per query while filling one read; small, so a read loads little more than it returns. */
    private static final Limit CHUNKS_PER_QUERY = Limit.of(8);

    /** The most bytes one stored chunk holds. */
    static final int CHUNK_SIZE = 256 * 1024;

    private final RunLogRepository chunks;
    private final RunLogDrainRepository drains;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    RunLogService(
            RunLogRepository chunks, RunLogDrainRepository drains, Clock clock, ApplicationEventPublisher events) {
        this.chunks = chunks;
        this.drains = drains;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Notes that a run's output is still being copied, before its outcome is recorded: until {@link #drained}, its
     * logs are not complete even once the run has ended.
     */
    @Transactional
    public void draining(UUID runId) {
        if (!drains.existsById(runId)) {
            drains.save(new RunLogDrain(runId, clock.instant()));
        }
    }

    /** All of a draining run's output is stored. */
    @Transactional
    public void drained(UUID runId) {
        drains.deleteById(runId);
        events.publishEvent(new RunOutputStored(runId));
    }

    /**
     * Whether all of the run's output is stored, given whether the run has ended: an ended run's logs are complete
     * unless its output is still being copied.
     */
    @Transactional(readOnly = true)
    public boolean complete(UUID runId, boolean ended) {
        return ended && !drains.existsById(runId);
    }

    /** Bytes read from a run's stream and where the next read starts. */
    public record LogSlice(byte[] bytes, long nextOffset) {}

    /** The output stored for all runs that {@code createdBy} created. */
    @Transactional(readOnly = true)
    public long storedBytesOf(String createdBy) {
        return chunks.storedBytesOf(createdBy);
    }

    /** How many bytes of the stream are stored, which is where the executor's next read of the host starts. */
    @Transactional(readOnly = true)
    public long storedLength(UUID runId, LogStream stream) {
        return chunks.storedLength(runId, stream);
    }

    /**
     * Stores bytes that start at {@code startOffset}; it must equal {@link #storedLength} (no gaps, no overlaps). Large
     * appends are stored as chunks of at most {@link #CHUNK_SIZE}, so that a read loads little more than it returns.
     */
    @Transactional
    public void append(UUID runId, LogStream stream, long startOffset, byte[] bytes) {
        for (int from = 0; from < bytes.length; from += CHUNK_SIZE) {
            int to = Math.min(bytes.length, from + CHUNK_SIZE);
            byte[] chunk = from == 0 && to == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, from, to);
            chunks.save(new RunLogChunk(runId, stream, startOffset + from, chunk));
        }
        events.publishEvent(new RunOutputStored(runId));
    }

    /** At most {@code maxBytes} stored bytes from {@code offset}; fewer when less is stored yet. */
    @Transactional(readOnly = true)
    public LogSlice read(UUID runId, LogStream stream, long offset, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long position = offset;
        while (out.size() < maxBytes) {
            List<RunLogChunk> found = chunks.findByRunIdAndStreamAndEndOffsetGreaterThanOrderByEndOffset(
                    runId, stream, position, CHUNKS_PER_QUERY);
            if (found.isEmpty() || found.get(0).getStartOffset() > position) {
                break; // nothing stored from here on yet
            }
            for (RunLogChunk chunk : found) {
                if (chunk.getStartOffset() > position || out.size() >= maxBytes) {
                    break;
                }
                int from = (int) (position - chunk.getStartOffset());
                int length = Math.min(chunk.getData().length - from, maxBytes - out.size());
                out.write(chunk.getData(), from, length);
                position += length;
            }
        }
        return new LogSlice(out.toByteArray(), position);
    }
}
