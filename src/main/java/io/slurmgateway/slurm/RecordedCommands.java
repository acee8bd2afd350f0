package io.slurmgateway.slurm;

import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command and staging on one cluster, counted and timed in {@link SlurmMetrics} and written to the audit trail
 * (logger {@code io.slurmgateway.audit}): the cluster and the identity (account) it ran as, the program and why it ran, its exit status (none when it did
 * not answer) and how long it took; the run, when there is one, is in the MDC. Never its arguments, which carry paths
 * and names, and never what it printed.
 */
final class RecordedCommands {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.slurmgateway.audit");

    private final String cluster;
    private final String identity;
    private final CommandRunner host;
    private final SlurmMetrics metrics;

    RecordedCommands(String cluster, String identity, CommandRunner host, SlurmMetrics metrics) {
        this.cluster = cluster;
        this.identity = identity;
        this.host = host;
        this.metrics = metrics;
    }

    /** Runs a command; {@code purpose} is one of submit, poll, lookup, cancel, logs, info, usage, sweep, cleanup. */
    CommandResult run(String purpose, String program, List<String> command) throws IOException {
        return run(purpose, program, command, null);
    }

    /** Runs a command with {@code stdin} as its standard input (none when null). */
    CommandResult run(String purpose, String program, List<String> command, byte[] stdin) throws IOException {
        metrics.commandRan(cluster, program, purpose);
        long start = System.nanoTime();
        String outcome = "error";
        Integer exitStatus = null;
        try {
            CommandResult result = stdin == null ? host.execute(command) : host.execute(command, stdin);
            outcome = result.succeeded() ? "success" : "failure";
            exitStatus = result.exitStatus();
            return result;
        } finally {
            long nanos = System.nanoTime() - start;
            metrics.commandTook(cluster, program, outcome, nanos);
            audit(program, purpose, exitStatus, nanos);
        }
    }

    private void audit(String program, String purpose, Integer exitStatus, long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        AUDIT.atInfo()
                .setMessage("audit: {} ({}) on cluster '{}' as identity '{}' exited {} after {} ms")
                .addArgument(program)
                .addArgument(purpose)
                .addArgument(cluster)
                .addArgument(identity)
                .addArgument(exitStatus == null ? "without an answer" : exitStatus)
                .addArgument(millis)
                .addKeyValue("audit.kind", "command")
                .addKeyValue("audit.cluster", cluster)
                .addKeyValue("audit.identity", identity)
                .addKeyValue("audit.command", program)
                .addKeyValue("audit.purpose", purpose)
                .addKeyValue("audit.exitStatus", exitStatus == null ? "" : exitStatus.toString())
                .addKeyValue("audit.durationMs", millis)
                .log();
    }
}
