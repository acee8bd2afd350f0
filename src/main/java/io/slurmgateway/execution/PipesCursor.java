package io.slurmgateway.execution;

import java.util.Arrays;
import java.util.UUID;

/**
 * How far a run's messages file is read and relayed. Bytes past the last complete line wait here until their line is
 * complete, never more than {@code max-message-size}; a line that grows longer is skipped up to its end, keeping only
 * its beginning for the note that says so.
 */
public final class PipesCursor {

    private static final byte[] NOTHING = new byte[0];

    private final UUID runId;
    private long relayed;
    private long readOffset;
    private byte[] partialLine = NOTHING;
    private long skippedLineStart = -1;
    private byte[] skippedLineHead = NOTHING;

    public PipesCursor(UUID runId) {
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }

    /** The bytes of the file stored as events, as the run records it. */
    long relayed() {
        return relayed;
    }

    /** Where the next read starts. */
    public long readOffset() {
        return readOffset;
    }

    /** Starts over from what the run records as relayed, forgetting any line in progress. */
    void resumeAt(long offset) {
        relayed = offset;
        readOffset = offset;
        partialLine = NOTHING;
        skippedLineStart = -1;
        skippedLineHead = NOTHING;
    }

    void relayedUpTo(long offset) {
        relayed = offset;
    }

    void readUpTo(long offset) {
        readOffset = offset;
    }

    /** The start of a line read so far without its end. */
    byte[] partialLine() {
        return partialLine;
    }

    void keepPartialLine(byte[] bytes, int from, int to) {
        partialLine = from == to ? NOTHING : Arrays.copyOfRange(bytes, from, to);
    }

    boolean isSkippingLine() {
        return skippedLineStart >= 0;
    }

    long skippedLineStart() {
        return skippedLineStart;
    }

    byte[] skippedLineHead() {
        return skippedLineHead;
    }

    void skipLine(long start, byte[] head) {
        skippedLineStart = start;
        skippedLineHead = head;
        partialLine = NOTHING;
    }

    void lineSkipped() {
        skippedLineStart = -1;
        skippedLineHead = NOTHING;
    }
}
