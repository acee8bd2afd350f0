package io.slurmgateway.runs;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Bytes {@code [startOffset, endOffset)} of one output stream of a run, copied off the run's host. */
@Entity
@Table(name = "run_log_chunk")
class RunLogChunk {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID runId;

    @Enumerated(EnumType.STRING)
    private LogStream stream;

    private long startOffset;
    private long endOffset;
    private byte[] data;

    protected RunLogChunk() {}

    RunLogChunk(UUID runId, LogStream stream, long startOffset, byte[] data) {
        this.runId = runId;
        this.stream = stream;
        this.startOffset = startOffset;
        this.endOffset = startOffset + data.length;
        this.data = data;
    }

    long getStartOffset() {
        return startOffset;
    }

    long getEndOffset() {
        return endOffset;
    }

    byte[] getData() {
        return data;
    }
}
