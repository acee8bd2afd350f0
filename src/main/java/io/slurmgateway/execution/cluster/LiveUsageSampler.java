package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.LiveSample;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * Samples what a cluster's running jobs use, with one sstat for all of them every {@code live-usage-interval}, on a
 * thread of its own: sstat reaches every node a job runs on, and a slow node must never hold up polling, cancels or
 * log tailing. The poll thread tells it after each tick which jobs run ({@link #follow}); it only reads that list.
 */
final class LiveUsageSampler {

    private final String cluster;
    private final SlurmClient slurm;
    private final RunWorkQueue queue;
    private final Clock clock;
    private final Duration commandLimit;
    private final StepGuard steps;
    private final TickLoop loop;

    /** A job to sample: its run and its Slurm id. */
    record Target(UUID runId, String jobId) {}

    /** Replaced whole by the poll thread, read by the sampling thread. */
    private volatile List<Target> running = List.of();

    /**
     * @param interval how often to sample; zero turns sampling off
     * @param commandLimit how long one sstat may run on the cluster before it is killed there
     */
    LiveUsageSampler(
            String cluster,
            SlurmClient slurm,
            RunWorkQueue queue,
            Clock clock,
            Duration interval,
            Duration commandLimit,
            ExecutionMetrics metrics) {
        this.cluster = cluster;
        this.slurm = slurm;
        this.queue = queue;
        this.clock = clock;
        this.commandLimit = commandLimit;
        this.steps = new StepGuard("slurm:" + cluster, metrics);
        this.loop = interval.isZero()
                ? null
                : new TickLoop("slurm-usage-" + cluster, "slurm:" + cluster, interval, this::tick, metrics);
    }

    void start() {
        if (loop != null) {
            loop.start();
        }
    }

    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    /** The jobs among {@code jobs} that run now and have not ended: the ones the next sample asks about. */
    void follow(Collection<ActiveJob> jobs) {
        if (loop != null) {
            running = jobs.stream()
                    .filter(job -> job.runState() == RunState.RUNNING && job.ending() == null)
                    .map(job -> new Target(job.runId(), job.jobId()))
                    .toList();
        }
    }

    /** What the running jobs use now, by run id: one sstat (or one per batch of ids that fits in a command line). */
    Map<UUID, LiveUsage> sample() throws IOException {
        List<Target> targets = running;
        if (targets.isEmpty()) {
            return Map.of();
        }
        Map<String, LiveSample> byJob =
                slurm.liveUsage(targets.stream().map(Target::jobId).toList(), clock.instant(), commandLimit);
        Map<UUID, LiveUsage> byRun = new HashMap<>();
        for (Target target : targets) {
            LiveSample sample = byJob.get(target.jobId());
            if (sample != null) {
                byRun.put(target.runId(), SlurmMapping.liveUsage(sample));
            }
        }
        return byRun;
    }

    private void tick() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster)) {
            steps.run("usage", () -> {
                Map<UUID, LiveUsage> samples = sample();
                if (!samples.isEmpty()) {
                    queue.recordLiveUsage(samples);
                }
            });
        }
    }
}
