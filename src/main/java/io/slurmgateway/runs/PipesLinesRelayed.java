package io.slurmgateway.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Published when lines of a run's messages file are relayed: their events, stored together in one batch.
 *
 * @param events in order; {@code pipesMethod} is set for PIPES events whose method the protocol defines
 */
public record PipesLinesRelayed(UUID runId, List<Event> events) {

    /**
     * One event: a PIPES message ({@code text} is the message exactly as written), or a LOG note on a line that is no
     * message ({@code text} is the note).
     */
    public record Event(long seq, RunEventType type, String text, String pipesMethod, Instant at) {}
}
