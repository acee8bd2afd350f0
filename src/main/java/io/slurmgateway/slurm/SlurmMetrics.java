package io.slurmgateway.slurm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What Slurm work costs each cluster: every command the gateway runs there, and every poll tick. Tags are the cluster,
 * the program and its purpose, never a run or job id.
 */
@Component
public class SlurmMetrics {

    private final MeterRegistry registry;

    public SlurmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A command ran on a cluster; {@code purpose} is one of submit, poll, lookup, cancel, logs, info. */
    void commandRan(String cluster, String program, String purpose) {
        Counter.builder("gateway.slurm.commands")
                .description("Commands run on a cluster's login node, by program and purpose")
                .tag("cluster", cluster)
                .tag("command", program)
                .tag("purpose", purpose)
                .register(registry)
                .increment();
    }

    /**
     * A poller ticked with jobs to follow on a cluster: such a tick costs at most one squeue, one sacct and one read of
     * the jobs' output and messages files.
     */
    public void pollTicked(String cluster) {
        Counter.builder("gateway.slurm.poll.ticks")
                .description("Poll ticks with active jobs on a cluster")
                .tag("cluster", cluster)
                .register(registry)
                .increment();
    }
}
