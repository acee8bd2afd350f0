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

/** One entry of a run's history, numbered without gaps by {@code seq}; {@code data} is JSON text. */
@Entity
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

    RunEvent(UUID runId, long seq, RunEventType type, Instant occurredAt, String data) {
        this(runId, seq, type, occurredAt, data, null);
    }

    RunEvent(UUID runId, long seq, RunEventType type, Instant occurredAt, String data, String pipesMethod) {
        this.runId = runId;
        this.seq = seq;
        this.type = type;
        this.occurredAt = occurredAt;
        this.data = data;
        this.pipesMethod = pipesMethod;
    }

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
