package io.slurmgateway.clusters;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the instance that holds a cluster account's lease tidies up, and how often
 * ({@code gateway.clusters.<name>.housekeeping.*}).
 *
 * @param sweepInterval how often the account is swept: runs of the account that another instance still owns are
 *     adopted, orphan jobs cancelled and old run directories removed (below); {@code 0s} turns the sweep off
 * @param cancelOrphans whether the sweep cancels the account's jobs named {@code sg-<run id>} that no live run owns
 *     (the run ended, follows another job, or does not exist). The {@code sg-} names belong to the gateway: turn it off
 *     for a cluster account that another gateway (with another database) also submits as
 * @param workDirRetention how long a run's directory on the cluster is kept after the run ended and its output and
 *     messages are stored; then the sweep removes it (directories of runs still active or still being copied are
 *     never removed). {@code 0s} keeps directories forever
 */
public record ClusterHousekeeping(
        @DefaultValue("5m") @NotNull Duration sweepInterval,
        @DefaultValue("true") boolean cancelOrphans,
        @DefaultValue("7d") @NotNull Duration workDirRetention) {}
