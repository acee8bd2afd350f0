package io.slurmgateway.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The execution module's metrics, in one place so names and tags stay consistent. */
@Component
class ExecutionMetrics {

    private final MeterRegistry registry;

    ExecutionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A scheduler step failed; {@code step} is one of a fixed set (stage, start, watch, recover). */
    void stepFailed(String step) {
        Counter.builder("gateway.scheduler.errors")
                .description("Scheduler steps that failed and were retried on the next tick")
                .tag("scheduler", "direct")
                .tag("step", step)
                .register(registry)
                .increment();
    }
}
