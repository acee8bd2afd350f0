package io.slurmgateway.runs;

import java.util.UUID;

/** Published when a run that is already executing is asked to stop; its executor ends it and records CANCELLED. */
public record RunCancelRequested(UUID runId) {}
