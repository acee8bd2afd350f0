package io.slurmgateway.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The execution module's metrics, in one place so names and tags stay consistent. */
@Component
public class ExecutionMetrics {

    private final MeterRegistry registry;

    public ExecutionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * A scheduler step failed; {@code scheduler} is {@code direct} or {@code slurm:<cluster>}, {@code step} one of a
     * fixed set (tick, stage, start, watch, recover, submit, poll, cancel, usage, lease, adopt, orphans, cleanup).
     */
    public void stepFailed(String scheduler, String step) {
        Counter.builder("gateway.scheduler.errors")
                .description("Scheduler steps that failed and were retried on the next tick")
                .tag("scheduler", scheduler)
                .tag("step", step)
                .register(registry)
                .increment();
    }

    /**
     * A lease on a cluster account changed hands on this instance: {@code change} is {@code acquired} (this instance
     * took it, or took it again after losing it) or {@code lost} (it stopped acting on the account).
     */
    public void leaseChanged(String cluster, String identity, String change) {
        Counter.builder("gateway.leases.changes")
                .description("Leases on cluster accounts this instance acquired or lost")
                .tag("cluster", cluster)
                .tag("identity", identity)
                .tag("change", change)
                .register(registry)
                .increment();
    }

    /** Whether this instance holds the lease of a cluster account now (1) or not (0). */
    public void leaseHeld(String cluster, String identity, java.util.function.BooleanSupplier held) {
        io.micrometer.core.instrument.Gauge.builder("gateway.leases.held", () -> held.getAsBoolean() ? 1 : 0)
                .description("Whether this instance holds the lease of a cluster account (1) or not (0)")
                .tag("cluster", cluster)
                .tag("identity", identity)
                .register(registry);
    }

    /**
     * Something the sweep of a cluster did to runs or jobs: {@code what} is {@code adopted} (runs taken over from an
     * instance that no longer follows them), {@code orphan_cancelled} (jobs no live run owns) or {@code dir_removed}
     * (run directories removed after their retention).
     */
    public void swept(String cluster, String what, int count) {
        if (count > 0) {
            Counter.builder("gateway.sweep.actions")
                    .description("Runs adopted, orphan jobs cancelled and run directories removed, per cluster")
                    .tag("cluster", cluster)
                    .tag("action", what)
                    .register(registry)
                    .increment(count);
        }
    }
}
