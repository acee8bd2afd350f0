package io.slurmgateway.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * Published when a run's Dagster Pipes message is relayed; {@code json} is the message as the job wrote it, and
 * {@code method} its method when the protocol defines it.
 */
public record PipesMessageRelayed(UUID runId, long seq, String json, String method, Instant at) {}
