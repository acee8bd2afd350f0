package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * One entry of a run's history, numbered without gaps by {@code seq}; {@code data} is JSON text. Read here, written only
 * by {@link RunEventRecorder}.
 */
@Entity
@Immutable
@Table(name = "run_event")
public class RunEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID runId;
    private long seq;

    @Enumerated(EnumType.STRING)
    @Column(name = "event_type")
    private RunEventType type;

    private Instant occurredAt;

    @Column(name = "data_json")
    private String data;

    /** For a PIPES event, the message's method when the protocol defines it. */
    private String pipesMethod;

    protected RunEvent() {}

    public long getSeq() {
        return seq;
    }

    public RunEventType getType() {
        return type;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getData() {
        return data;
    }

    public String getPipesMethod() {
        return pipesMethod;
    }
}
