package io.slurmgateway.runs;

import java.time.Instant;
import java.util.UUID;

/** Published when a run's launcher publishes an address (a framework's UI or dashboard), or a new one for a name. */
public record RunEndpointPublished(UUID runId, long seq, String name, String url, Instant at) {}
