package io.slurmgateway.runs;

import java.util.UUID;

/** Published inside the transaction that stored some of a run's output, or noted that all of it is stored. */
public record RunOutputStored(UUID runId) {}
