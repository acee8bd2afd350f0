package io.slurmgateway.execution;

import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides when a cluster's running jobs are sampled with sstat (every {@code live-usage-interval}, never when it is
 * zero) and asks for all of them at once. Slower than polling on purpose: sstat reaches every node a job runs on.
 */
final class LiveUsageSampler {

    private final Duration interval;
    private final Clock clock;
    private Instant nextSample;

    LiveUsageSampler(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * What the running ones among {@code jobs} use now, by run id; empty when sampling is off, not yet due, or no job
     * runs. A failed sample is not repeated before the next interval.
     */
    Map<UUID, LiveUsage> sampleIfDue(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        Instant now = clock.instant();
        if (interval.isZero() || (nextSample != null && now.isBefore(nextSample))) {
            return Map.of();
        }
        List<ActiveJob> running = jobs.stream()
                .filter(job -> job.runState() == RunState.RUNNING && job.ending() == null)
                .toList();
        if (running.isEmpty()) {
            return Map.of(); // the first job that starts is sampled at once
        }
        // due times keep their cadence although a sample comes at the first poll tick after its due time; after a
        // pause longer than an interval (no job ran) the cadence starts again from now
        nextSample = nextSample == null || !nextSample.plus(interval).isAfter(now)
                ? now.plus(interval)
                : nextSample.plus(interval);
        Map<String, LiveUsage> byJob =
                slurm.liveUsage(running.stream().map(ActiveJob::jobId).toList(), now);
        Map<UUID, LiveUsage> byRun = new HashMap<>();
        for (ActiveJob job : running) {
            LiveUsage sample = byJob.get(job.jobId());
            if (sample != null) {
                byRun.put(job.runId(), sample);
            }
        }
        return byRun;
    }
}
