package io.slurmgateway.slurm;

import java.time.Instant;

/**
 * What a running job uses now, as one sstat saw it; a field is null when sstat did not report it.
 *
 * @param sampledAt when the sample was taken
 * @param rssBytes the resident memory of all the job's running steps now
 * @param maxRssBytes the largest resident set any one task of its running steps has had so far (Slurm's MaxRSS)
 * @param cpuSeconds the CPU time its running steps have used so far
 */
public record LiveSample(Instant sampledAt, Long rssBytes, Long maxRssBytes, Double cpuSeconds) {}
