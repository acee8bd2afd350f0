package io.slurmgateway.runs;

import java.time.Instant;
import java.util.UUID;

/** Published inside the transaction that changed a run's state; {@code seq} is the event's place in the run's history. */
public record RunStateChanged(
        UUID runId, long seq, RunState from, RunState to, String reason, Instant at, String mode, String cluster) {}
