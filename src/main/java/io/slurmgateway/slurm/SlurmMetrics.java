package io.slurmgateway.slurm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

    /** A command ran on a cluster; {@code purpose} is one of submit, poll, lookup, cancel, logs, info, usage, sweep, cleanup. */
    void commandRan(String cluster, String program, String purpose) {
        Counter.builder("gateway.slurm.commands")
                .description("Commands run on a cluster's login node, by program and purpose")
                .tag("cluster", cluster)
                .tag("command", program)
                .tag("purpose", purpose)
                .register(registry)
                .increment();
    }

    /** How long a command took, by program and outcome: success, failure (a non-zero exit) or error (no answer). */
    void commandTook(String cluster, String program, String outcome, long nanos) {
        Timer.builder("gateway.slurm.command.duration")
                .description("Commands and SFTP staging on a cluster's login node, by program and outcome")
                .tag("cluster", cluster)
                .tag("command", program)
                .tag("outcome", outcome)
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(1000),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** How long one poll of a cluster's active jobs took: squeue, sacct, the log read and storing what they said. */
    public void pollTook(String cluster, long nanos) {
        Timer.builder("gateway.slurm.poll.duration")
                .description("Poll ticks with active jobs on a cluster, from squeue to stored output")
                .tag("cluster", cluster)
                .serviceLevelObjectives(
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A poller ticked with jobs to follow on a cluster: such a tick costs at most one squeue and one sacct. */
    public void pollTicked(String cluster) {
        Counter.builder("gateway.slurm.poll.ticks")
                .description("Poll ticks with active jobs on a cluster")
                .tag("cluster", cluster)
                .register(registry)
                .increment();
    }

    /**
     * A round of output copying on a cluster: it costs one read of the jobs' output and messages files (per about 400
     * jobs).
     */
    public void outputRound(String cluster) {
        Counter.builder("gateway.slurm.output.rounds")
                .description("Rounds of output copying on a cluster, each one remote read")
                .tag("cluster", cluster)
                .register(registry)
                .increment();
    }
}
