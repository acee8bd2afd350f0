package io.slurmgateway.runs;

import io.slurmgateway.pipes.PipesMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How far a run's Dagster Pipes messages are relayed, and what they said of the session. Part of the {@link Run}
 * aggregate; null on a run that carries no Pipes context.
 */
@Embeddable
class PipesProgress {

    /** How many bytes of the messages file are relayed as events. */
    @Column(name = "pipes_offset")
    private Long offset;

    @Enumerated(EnumType.STRING)
    @Column(name = "pipes_session")
    private PipesSession session;

    /** The exception a {@code closed} message reported: its name and message. */
    @Column(name = "pipes_exception")
    private String exception;

    protected PipesProgress() {}

    /** A relay that has read nothing yet. */
    static PipesProgress notOpened() {
        PipesProgress progress = new PipesProgress();
        progress.offset = 0L;
        progress.session = PipesSession.NOT_OPENED;
        return progress;
    }

    /**
     * The events for the messages-file lines between two offsets, with what they say of the session taken in.
     *
     * @param nextSeq hands out the run's next event sequence numbers
     * @return null, taking in nothing, when the relayed offset is not {@code from}: the lines were stored already (a
     *     relay whose commit was reported as failed)
     */
    List<PipesLinesRelayed.Event> relay(
            long from, long to, List<RelayedPipesLine> lines, LongSupplier nextSeq, Instant now) {
        if (offset == null || offset != from) {
            return null;
        }
        List<PipesLinesRelayed.Event> events = new ArrayList<>(lines.size());
        for (RelayedPipesLine line : lines) {
            PipesMessage message = line.message();
            if (message == null) {
                events.add(
                        new PipesLinesRelayed.Event(nextSeq.getAsLong(), RunEventType.LOG, line.problem(), null, now));
                continue;
            }
            events.add(new PipesLinesRelayed.Event(
                    nextSeq.getAsLong(), RunEventType.PIPES, message.json(), message.knownMethod(), now));
            if (PipesMessage.OPENED.equals(message.method()) && session == PipesSession.NOT_OPENED) {
                session = PipesSession.OPENED;
            } else if (PipesMessage.CLOSED.equals(message.method()) && session != PipesSession.CLOSED) {
                session = PipesSession.CLOSED;
                exception = message.exception();
            }
        }
        offset = to;
        return events;
    }

    PipesStatus status() {
        return new PipesStatus(offset, session, exception);
    }

    PipesSession session() {
        return session;
    }

    String exception() {
        return exception;
    }
}
