package io.slurmgateway.runs;

import java.time.Duration;

/**
 * Published when a run ends, with what operators measure: how long it queued and ran, and what its job used.
 *
 * @param queueWait from submission (or staging, locally) to start; null when it never started
 * @param runTime from start to end; null when it never started
 * @param usage from Slurm accounting; null when there is none
 */
public record RunFinished(
        String mode,
        String cluster,
        String launcher,
        RunState outcome,
        Duration queueWait,
        Duration runTime,
        ResourceUsage usage) {}
