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
class PipesRelay {

    private final RunWorkQueue queue;
    private final PipesMessageParser parser;
    private final int maxMessageSize;
    private final int excerptSize;
    private final int batchSize;

    PipesRelay(RunWorkQueue queue, PipesMessageParser parser, PipesProperties properties) {
        this.queue = queue;
        this.parser = parser;
        this.maxMessageSize = (int) properties.maxMessageSize().toBytes();
        this.excerptSize = (int) properties.excerptSize().toBytes();
        this.batchSize = (int) properties.batchSize().toBytes();
    }

    /** Sets the cursor to what the run records as relayed. */
    void resume(PipesCursor cursor) {
        cursor.resumeAt(queue.relayedPipesOffset(cursor.runId()));
    }

    /**
     * Relays the complete lines among the bytes read at the cursor's read offset, in transactions of at most
     * {@code gateway.pipes.batch-size} bytes each.
     *
     * @param fresh the bytes read
     * @param fileComplete whether the job has ended and {@code fresh} reaches the end of the file: its last line is
     *     then relayed although it has no line end
     * @return false when the run had relayed these lines already (a relay whose commit was reported as failed): the
     *     cursor is then reset to what the run records, and the bytes must be read again from there
     */
    boolean relay(PipesCursor cursor, byte[] fresh, boolean fileComplete) {
        if (fresh.length <= batchSize) {
            return relayBatch(cursor, fresh, fileComplete);
        }
        for (int from = 0; from < fresh.length; from += batchSize) {
            int to = Math.min(fresh.length, from + batchSize);
            if (!relayBatch(cursor, Arrays.copyOfRange(fresh, from, to), fileComplete && to == fresh.length)) {
                return false;
            }
        }
        return true;
    }

    private boolean relayBatch(PipesCursor cursor, byte[] fresh, boolean fileComplete) {
        byte[] partial = cursor.partialLine();
        byte[] data = partial.length == 0 ? fresh : concat(partial, fresh);
        long dataStart = cursor.readOffset() - partial.length;
        long relayedTo = cursor.relayed();
        List<RelayedPipesLine> lines = new ArrayList<>();
        int lineStart = 0;
        for (int i = 0; i < data.length; i++) {
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
        }
        if (!cursor.isSkippingLine()) {
            if (data.length - lineStart > maxMessageSize) {
                cursor.skipLine(dataStart + lineStart, excerpt(data, lineStart, data.length));
            } else {
                cursor.keepPartialLine(data, lineStart, data.length);
            }
        }
        long readTo = dataStart + data.length;
        if (fileComplete) {
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
        if (relayedTo == cursor.relayed()) {
            return true;
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
            return false;
        }
        cursor.relayedUpTo(relayedTo);
        return true;
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

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
