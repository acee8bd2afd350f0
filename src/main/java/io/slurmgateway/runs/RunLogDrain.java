package io.slurmgateway.runs;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A run whose outcome is recorded while its output is still being copied; gone once all of it is stored. */
@Entity
@Table(name = "run_log_drain")
class RunLogDrain {

    @Id
    private UUID runId;

    private Instant since;

    protected RunLogDrain() {}

    RunLogDrain(UUID runId, Instant since) {
        this.runId = runId;
        this.since = since;
    }
}
