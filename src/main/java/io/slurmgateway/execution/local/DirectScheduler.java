package io.slurmgateway.execution.local;

import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunCancelRequested;
import io.slurmgateway.runs.RunMode;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunStateChanged;
import io.slurmgateway.runs.RunWorkQueue;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs local-mode runs as processes on the gateway host. One worker thread ticks: claim accepted runs and stage them,
 * claim queued runs while slots are free and start them, watch the running ones. A tick waits for the poll interval or
 * until a new or cancelled run wakes it.
 *
 * <p>Stopping the gateway stops the ticks but leaves processes running: the next start of this instance (same
 * {@code instanceId}) adopts them.
 */
@Component
class DirectScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DirectScheduler.class);
    private static final String SCHEDULER = "direct";

    private final RunWorkQueue queue;
    private final LocalRunExecutor executor;
    private final ExecutionProperties properties;
    private final ExecutionMetrics metrics;
    private final StepGuard steps;
    private final Map<UUID, LocalRun> watched = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile TickLoop loop;
    private boolean recoveryTried;

    DirectScheduler(
            RunWorkQueue queue, LocalRunExecutor executor, ExecutionProperties properties, ExecutionMetrics metrics) {
        this.queue = queue;
        this.executor = executor;
        this.properties = properties;
        this.metrics = metrics;
        this.steps = new StepGuard(SCHEDULER, metrics);
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("local execution is disabled on this instance (gateway.execution.enabled=false)");
            return;
        }
        running = true;
        loop = new TickLoop("direct-scheduler", SCHEDULER, properties.pollInterval(), this::work, metrics);
        loop.start();
        log.info(
                "direct scheduler started as instance '{}' with {} slot(s)",
                properties.instanceId(),
                properties.effectiveMaxConcurrentRuns());
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.stop();
        }
        watched.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @TransactionalEventListener
    void on(RunStateChanged change) {
        if (change.to() == RunState.ACCEPTED) {
            wake();
        }
    }

    @TransactionalEventListener
    void on(RunCancelRequested request) {
        if (watched.containsKey(request.runId())) {
            wake();
        }
    }

    /** One pass over all the scheduler's work; the worker thread calls it, tests may call it directly. */
    void tick() {
        stageAccepted();
        startQueued();
        watchRunning();
    }

    /** The loop's tick: the first one recovers what this instance was executing before it stopped. */
    private void work() {
        if (!recoveryTried) {
            recoveryTried = true; // a failure is retried at the next start of this instance, not at every tick
            steps.run("recover", () -> executor.recover().forEach(run -> watched.put(run.id(), run)));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        tick();
    }

    private void stageAccepted() {
        steps.run("stage", () -> {
            String owner = properties.instanceId();
            for (ClaimedRun run : queue.claimForStaging(RunMode.LOCAL, owner, properties.stagingBatchSize())) {
                eachRun(run.id(), "stage", () -> executor.stage(run));
            }
        });
    }

    private void startQueued() {
        steps.run("start", () -> {
            int freeSlots = properties.effectiveMaxConcurrentRuns() - watched.size();
            for (ClaimedRun run : queue.claimForStart(RunMode.LOCAL, properties.instanceId(), freeSlots)) {
                eachRun(run.id(), "start", () -> executor.start(run)
                        .ifPresent(local -> watched.put(local.id(), local)));
            }
        });
    }

    private void watchRunning() {
        Set<UUID> cancelRequested = new HashSet<>();
        if (!steps.run("watch", () -> cancelRequested.addAll(queue.cancelRequested(watched.keySet())))) {
            return;
        }
        for (LocalRun run : watched.values()) {
            eachRun(run.id(), "watch", () -> {
                if (executor.watch(run, cancelRequested.contains(run.id()))) {
                    watched.remove(run.id());
                }
            });
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** One run's part of a step, so that a failure with one run leaves the rest of the batch unharmed. */
    private void eachRun(UUID runId, String name, StepGuard.Step work) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId.toString())) {
            steps.run(name, work);
        }
    }

    private void wake() {
        TickLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }
}
