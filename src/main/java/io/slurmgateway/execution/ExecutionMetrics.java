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
     * fixed set (tick, stage, start, watch, recover, submit, poll, cancel, usage).
     */
    public void stepFailed(String scheduler, String step) {
        Counter.builder("gateway.scheduler.errors")
                .description("Scheduler steps that failed and were retried on the next tick")
                .tag("scheduler", scheduler)
                .tag("step", step)
                .register(registry)
                .increment();
    }
}
