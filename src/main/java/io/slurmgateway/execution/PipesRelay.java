package io.slurmgateway.execution;

import io.slurmgateway.pipes.MalformedPipesMessageException;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.pipes.PipesMessageParser;
import io.slurmgateway.pipes.PipesProperties;
import io.slurmgateway.runs.RelayedPipesLine;
import io.slurmgateway.runs.RunWorkQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Turns what is read of a run's messages file into run events, complete lines only: each protocol message becomes a
 * PIPES event holding the line as written, any other line a LOG event that quotes its beginning. The events and the
 * new offset are stored in one transaction, so after a restart relaying resumes exactly where it stopped. Used the
 * same way for local processes and Slurm jobs; only how the bytes are read differs.
 */
@Component
public class PipesRelay {

    private final RunWorkQueue queue;
    private final PipesMessageParser parser;
    private final int maxMessageSize;
    private final int excerptSize;
    private final int batchSize;
    private final int batchLines;

    PipesRelay(RunWorkQueue queue, PipesMessageParser parser, PipesProperties properties) {
        this.queue = queue;
        this.parser = parser;
        this.maxMessageSize = (int) properties.maxMessageSize().toBytes();
        this.excerptSize = (int) properties.excerptSize().toBytes();
        this.batchSize = (int) properties.batchSize().toBytes();
        this.batchLines = properties.batchLines();
    }

    /** Sets the cursor to what the run records as relayed. */
    public void resume(PipesCursor cursor) {
        cursor.resumeAt(queue.relayedPipesOffset(cursor.runId()));
    }

    /**
     * Relays the complete lines among the bytes read at the cursor's read offset, in transactions of at most
     * {@code gateway.pipes.batch-size} bytes and {@code batch-lines} lines each.
     *
     * @param fresh the bytes read
     * @param fileComplete whether the job has ended and {@code fresh} reaches the end of the file: its last line is
     *     then relayed although it has no line end
     * @return false when the run had relayed these lines already (a relay whose commit was reported as failed): the
     *     cursor is then reset to what the run records, and the bytes must be read again from there
     */
    public boolean relay(PipesCursor cursor, byte[] fresh, boolean fileComplete) {
        int from = 0;
        do {
            int to = Math.min(fresh.length, from + batchSize);
            int consumed = relayBatch(cursor, fresh, from, to, fileComplete && to == fresh.length);
            if (consumed < 0) {
                return false;
            }
            from += consumed;
        } while (from < fresh.length);
        return true;
    }

    /**
     * Relays the lines among {@code fresh[from, to)} in one transaction, stopping after {@code batch-lines} lines.
     *
     * @return how many of those bytes were consumed: all, or fewer when the line count ended the batch; -1 when the
     *     run had relayed these lines already
     */
    private int relayBatch(PipesCursor cursor, byte[] fresh, int from, int to, boolean fileComplete) {
        byte[] partial = cursor.partialLine();
        byte[] data = concat(partial, fresh, from, to);
        long dataStart = cursor.readOffset() - partial.length;
        long relayedTo = cursor.relayed();
        List<RelayedPipesLine> lines = new ArrayList<>();
        int lineStart = 0;
        boolean full = false;
        for (int i = 0; i < data.length && !full; i++) {
            if (data[i] != '\n') {
                continue;
            }
            if (cursor.isSkippingLine()) {
                lines.add(overlong(cursor.skippedLineStart(), cursor.skippedLineHead()));
                cursor.lineSkipped();
            } else {
                line(data, lineStart, i, dataStart + lineStart).ifPresent(lines::add);
            }
            lineStart = i + 1;
            relayedTo = dataStart + lineStart;
            full = lines.size() >= batchLines;
        }
        int end = full ? lineStart : data.length; // after a full batch, the rest is scanned again by the next one
        if (full) {
            cursor.keepPartialLine(data, 0, 0);
        } else if (!cursor.isSkippingLine()) {
            if (data.length - lineStart > maxMessageSize) {
                cursor.skipLine(dataStart + lineStart, excerpt(data, lineStart, data.length));
            } else {
                cursor.keepPartialLine(data, lineStart, data.length);
            }
        }
        long readTo = dataStart + end;
        if (fileComplete && !full) {
            if (cursor.isSkippingLine()) {
                lines.add(overlong(cursor.skippedLineStart(), cursor.skippedLineHead()));
                cursor.lineSkipped();
            } else {
                line(data, lineStart, data.length, dataStart + lineStart).ifPresent(lines::add);
                cursor.keepPartialLine(data, 0, 0);
            }
            relayedTo = readTo;
        }
        cursor.readUpTo(readTo);
        int consumed = end - partial.length;
        if (relayedTo == cursor.relayed()) {
            return consumed;
        }
        boolean stored;
        try {
            stored = queue.relayPipes(cursor.runId(), cursor.relayed(), relayedTo, lines);
        } catch (RuntimeException failed) {
            cursor.resumeAt(cursor.relayed()); // read these lines again next time
            throw failed;
        }
        if (!stored) {
            resume(cursor);
            return -1;
        }
        cursor.relayedUpTo(relayedTo);
        return consumed;
    }

    /** The event for the line {@code data[from, to)}, which starts at byte {@code offset}; empty for a blank line. */
    private Optional<RelayedPipesLine> line(byte[] data, int from, int to, long offset) {
        if (isBlank(data, from, to)) {
            return Optional.empty();
        }
        if (to - from > maxMessageSize) {
            return Optional.of(overlong(offset, excerpt(data, from, to)));
        }
        try {
            return Optional.of(RelayedPipesLine.of(parser.parse(data, from, to)));
        } catch (MalformedPipesMessageException malformed) {
            return Optional.of(RelayedPipesLine.malformed(PipesBootstrap.MESSAGES_FILE + ": the line at byte " + offset
                    + " is not a Dagster Pipes message (" + malformed.getMessage() + "); it begins: "
                    + text(excerpt(data, from, to))));
        }
    }

    private RelayedPipesLine overlong(long offset, byte[] head) {
        return RelayedPipesLine.malformed(PipesBootstrap.MESSAGES_FILE + ": the line at byte " + offset
                + " is longer than gateway.pipes.max-message-size (" + maxMessageSize
                + " bytes) and was not relayed; it begins: " + text(head));
    }

    private byte[] excerpt(byte[] data, int from, int to) {
        return Arrays.copyOfRange(data, from, Math.min(to, from + excerptSize));
    }

    /** The excerpt as text; a character cut in two by the excerpt's end becomes U+FFFD. */
    private static String text(byte[] excerpt) {
        return new String(excerpt, StandardCharsets.UTF_8);
    }

    private static boolean isBlank(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** {@code first} followed by {@code second[from, to)}. */
    private static byte[] concat(byte[] first, byte[] second, int from, int to) {
        byte[] both = Arrays.copyOf(first, first.length + to - from);
        System.arraycopy(second, from, both, first.length, to - from);
        return both;
    }
}
