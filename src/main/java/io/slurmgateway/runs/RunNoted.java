package io.slurmgateway.runs;

import java.time.Instant;
import java.util.UUID;

/** Published when the gateway adds a note to a run's history (a cancel request, a recovery decision). */
public record RunNoted(UUID runId, long seq, String message, Instant at) {}
