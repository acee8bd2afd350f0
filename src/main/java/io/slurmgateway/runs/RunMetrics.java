package io.slurmgateway.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What operators see of runs in Prometheus. Tags are the mode, the cluster (a configured name), the launcher, the
 * state and the outcome: a fixed, small set. Never a run id, an asset or anything else a client sends.
 *
 * <ul>
 *   <li>{@code gateway.runs{state,mode,cluster}}: runs by state, counted in the database every
 *       {@code gateway.runs.metrics-refresh}, so every replica reports the same figures;
 *   <li>{@code gateway.runs.oldest.age{state,mode,cluster}}: how old the oldest run not yet ended is, by state;
 *   <li>{@code gateway.runs.transitions{from,to,mode,cluster}}: state changes this instance committed;
 *   <li>{@code gateway.runs.queue.wait} and {@code gateway.runs.duration}: histograms of finished runs;
 *   <li>{@code gateway.runs.cpu.efficiency} and {@code gateway.runs.max.rss}: of finished Slurm runs with accounting;
 *   <li>{@code gateway.runs.held.back{cluster,limit}}: accepted runs that started waiting for their cluster's
 *       backpressure, and {@code gateway.runs.refused{limit}}: creates refused because the backlog was full.
 * </ul>
 */
@Component
class RunMetrics implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

    /** Runs without a cluster (local runs) carry this cluster tag, so every series has the same tag keys. */
    private static final String NO_CLUSTER = "none";

    private static final List<RunState> ACTIVE = Arrays.stream(RunState.values())
            .filter(state -> !state.isTerminal())
            .toList();

    private final MeterRegistry registry;
    private final RunRepository runs;
    private final MultiGauge byState;
    private final MultiGauge oldest;
    private final Clock clock;
    private final ScheduledExecutorService refresher;

    RunMetrics(MeterRegistry registry, RunRepository runs, RunsProperties properties, Clock clock) {
        this.registry = registry;
        this.runs = runs;
        this.clock = clock;
        this.oldest = MultiGauge.builder("gateway.runs.oldest.age")
                .description("Age of the oldest run not yet ended, by state, mode and cluster: what alerts on stuck"
                        + " runs watch")
                .baseUnit("seconds")
                .register(registry);
        this.byState = MultiGauge.builder("gateway.runs")
                .description("Runs by state, mode and cluster, as the database holds them")
                .register(registry);
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "run-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.metricsRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::countByState, 0, every, TimeUnit.MILLISECONDS);
    }

    @TransactionalEventListener
    void on(RunStateChanged change) {
        Counter.builder("gateway.runs.transitions")
                .description("Run state changes committed by this instance")
                .tags(Tags.of(
                        "from", change.from() == null ? "NEW" : change.from().name(),
                        "to", change.to().name(),
                        "mode", change.mode(),
                        "cluster", clusterTag(change.cluster())))
                .register(registry)
                .increment();
    }

    @TransactionalEventListener
    void on(RunFinished finished) {
        Tags tags = Tags.of(
                "mode", finished.mode(), "cluster", clusterTag(finished.cluster()), "launcher", finished.launcher());
        if (finished.queueWait() != null) {
            Timer.builder("gateway.runs.queue.wait")
                    .description("From submission to start, of finished runs")
                    .tags(tags)
                    .serviceLevelObjectives(durations(1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400))
                    .register(registry)
                    .record(finished.queueWait());
        }
        if (finished.runTime() != null) {
            Timer.builder("gateway.runs.duration")
                    .description("From start to end, of finished runs")
                    .tags(tags.and("outcome", finished.outcome().name()))
                    .serviceLevelObjectives(
                            durations(10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400))
                    .register(registry)
                    .record(finished.runTime());
        }
        ResourceUsage usage = finished.usage();
        if (usage != null && usage.cpuEfficiency() != null) {
            DistributionSummary.builder("gateway.runs.cpu.efficiency")
                    .description("CPU time over allocated CPU time, of finished Slurm runs")
                    .tags(tags)
                    .serviceLevelObjectives(0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
                    .register(registry)
                    .record(usage.cpuEfficiency());
        }
        if (usage != null && usage.maxRssBytes() != null) {
            DistributionSummary.builder("gateway.runs.max.rss")
                    .description("Peak resident memory of finished Slurm runs")
                    .baseUnit("bytes")
                    .tags(tags)
                    .serviceLevelObjectives(mebibytes(64, 256, 1024, 4096, 16384, 65536))
                    .register(registry)
                    .record(usage.maxRssBytes());
        }
    }

    /** {@code runs} accepted runs of a cluster started waiting for its backpressure {@code limit}, or for another. */
    void heldBack(String cluster, String limit, int runs) {
        if (runs > 0) {
            Counter.builder("gateway.runs.held.back")
                    .description("Accepted runs that started waiting for a limit of their cluster's backpressure")
                    .tags(Tags.of("cluster", cluster, "limit", limit))
                    .register(registry)
                    .increment(runs);
        }
    }

    /** A create was refused for the gateway-wide {@code limit} ({@code max-backlog}). */
    void refused(String limit) {
        Counter.builder("gateway.runs.refused")
                .description("Creates refused with 429 because the gateway's backlog of accepted runs was full")
                .tags(Tags.of("limit", limit))
                .register(registry)
                .increment();
    }

    private void countByState() {
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (RunRepository.StateCount count : runs.countByStateModeAndCluster()) {
                rows.add(MultiGauge.Row.of(
                        Tags.of(
                                "state", count.getState().name(),
                                "mode", count.getMode(),
                                "cluster", clusterTag(count.getCluster())),
                        count.getRuns()));
            }
            byState.register(rows, true);
            List<MultiGauge.Row<?>> ages = new ArrayList<>();
            Instant now = clock.instant();
            for (RunRepository.OldestRun run : runs.oldestByStateModeAndCluster(ACTIVE)) {
                ages.add(MultiGauge.Row.of(
                        Tags.of(
                                "state", run.getState().name(),
                                "mode", run.getMode(),
                                "cluster", clusterTag(run.getCluster())),
                        Duration.between(run.getOldest(), now).toMillis() / 1000.0));
            }
            oldest.register(ages, true);
        } catch (RuntimeException failed) {
            log.warn("counting runs by state for metrics failed; tried again later: {}", failed.getMessage());
        }
    }

    private static String clusterTag(String cluster) {
        return cluster == null ? NO_CLUSTER : cluster;
    }

    private static Duration[] durations(long... seconds) {
        Duration[] durations = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            durations[i] = Duration.ofSeconds(seconds[i]);
        }
        return durations;
    }

    private static double[] mebibytes(long... sizes) {
        double[] bytes = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            bytes[i] = sizes[i] * 1024.0 * 1024.0;
        }
        return bytes;
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
