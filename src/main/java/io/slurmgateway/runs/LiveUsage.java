package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * What a running job uses now, as the last sample saw it. Mapped read-only: samples are written by
 * {@link RunWorkQueue#recordLiveUsage} with an UPDATE of these columns alone, so a sample never conflicts with (or is
 * overwritten by) the state changes of the same run.
 *
 * @param sampledAt when the sample was taken
 * @param rssBytes the resident memory of all the job's running steps now
 * @param maxRssBytes the largest resident set any one task of its running steps has had so far (Slurm's MaxRSS)
 * @param cpuSeconds the CPU time its running steps have used so far
 */
@Embeddable
public record LiveUsage(
        @Column(name = "live_sampled_at", insertable = false, updatable = false) Instant sampledAt,
        @Column(name = "live_rss_bytes", insertable = false, updatable = false) Long rssBytes,
        @Column(name = "live_max_rss_bytes", insertable = false, updatable = false) Long maxRssBytes,
        @Column(name = "live_cpu_seconds", insertable = false, updatable = false) Double cpuSeconds) {}
