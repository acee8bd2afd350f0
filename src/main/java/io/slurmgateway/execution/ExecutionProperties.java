package io.slurmgateway.execution;

import io.slurmgateway.launch.LaunchDefaults;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How this instance executes runs ({@code gateway.execution.*}): which instance it is and whether it executes at all,
 * for local processes and Slurm jobs alike; the local scheduler's slots, directory and limits; and how output is
 * copied into the log store in both modes. Each cluster's own cadence is in {@code gateway.clusters.<name>.*}.
 *
 * @param enabled whether this instance executes runs (local processes, and Slurm submission and polling); when false
 *     it only accepts and serves them
 * @param instanceId names this gateway instance as the owner of the runs it executes; it must stay the same across
 *     restarts so that a restarted instance finds and adopts its runs (default: the host name)
 * @param leaseDuration how long an instance's lease on a cluster account lasts unless renewed: the holder alone
 *     submits, polls and cancels that account's jobs, renews its lease every third of this, and stops acting on the
 *     account the moment it could not renew in time; when it dies, another instance takes the lease over once it
 *     expired (within two lease durations) and adopts the account's runs. Instance ids must be unique among live
 *     instances
 * @param pollInterval how often the scheduler looks for new runs, copies logs and checks deadlines
 * @param maxConcurrentRuns how many local runs execute at once; more wait in QUEUED (default: the number of cores)
 * @param workDir the base directory of the per-run working directories
 * @param defaultTimeLimit the wall-time limit of a run that sets no {@code resources.timeLimit}
 * @param killGracePeriod how long a cancelled or timed-out run has between SIGTERM and SIGKILL
 * @param logReadSize how many bytes of one stream are copied into the log store per read at most
 * @param logBytesPerTick how many bytes one round of reads copies at most, over all the streams it reads (one round
 *     is one command on a cluster account, or one pass over a local run's files); each stream gets an equal share,
 *     so one chatty run cannot stall the others, and this bounds the memory one round holds
 * @param maxLogSize the most bytes of one stream of one run kept in the log store; the rest stays in the run's
 *     directory only, and a LOG event says so
 * @param stagingBatchSize how many accepted runs one tick stages at most
 * @param inheritedEnvironment the gateway's environment variables that runs see; nothing else of the gateway's
 *     environment (which may hold credentials) reaches a run
 * @param localLimits what one local run's processes may use
 * @param launchers where the frameworks of the spark, dask and ray launchers live for local runs
 *     ({@link LaunchDefaults})
 */
@Validated
@ConfigurationProperties("gateway.execution")
public record ExecutionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") String instanceId,
        @DefaultValue("30s") @NotNull Duration leaseDuration,
        @DefaultValue("500ms") @NotNull Duration pollInterval,
        @DefaultValue("0") @Min(0) int maxConcurrentRuns,
        @DefaultValue("./data/runs") @NotNull Path workDir,
        @DefaultValue("1h") @NotNull Duration defaultTimeLimit,
        @DefaultValue("5s") @NotNull Duration killGracePeriod,
        @DefaultValue("8MB") @NotNull DataSize logReadSize,
        @DefaultValue("16MB") @NotNull DataSize logBytesPerTick,
        @DefaultValue("1GB") @NotNull DataSize maxLogSize,
        @DefaultValue("32") @Min(1) int stagingBatchSize,
        @DefaultValue({"PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR"}) @NotNull
                List<String> inheritedEnvironment,
        @DefaultValue @Valid @NotNull LocalLimits localLimits,
        @DefaultValue @Valid @NotNull LaunchDefaults launchers) {

    /**
     * What one local run's processes may use ({@code gateway.execution.local-limits.*}). Memory and processes are
     * limits on the run's whole process tree when the gateway can create cgroups (v1 memory and pids controllers, as
     * root or with a delegated hierarchy); otherwise memory falls back to a per-process address-space limit and
     * processes to the per-user limit, which does not bind root. Open files are a per-process limit either way.
     *
     * @param memory the resident memory of the whole run; a run past it is killed (exit 137). 0 turns it off
     * @param processes the processes and threads of the whole run at once; a fork past it fails. 0 turns it off
     * @param openFiles the open files of each process of the run. 0 leaves the gateway's own limit
     */
    public record LocalLimits(
            @DefaultValue("0B") @NotNull DataSize memory,
            @DefaultValue("4096") @Min(0) int processes,
            @DefaultValue("65536") @Min(0) int openFiles) {}

    public ExecutionProperties {
        if (leaseDuration != null && leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException(
                    "gateway.execution.lease-duration must be at least 3s, not " + leaseDuration);
        }
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = localHostName();
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unresolvable) {
            return "local";
        }
    }

    /** The configured concurrency, or the number of cores when it is 0. */
    public int effectiveMaxConcurrentRuns() {
        return maxConcurrentRuns > 0 ? maxConcurrentRuns : Runtime.getRuntime().availableProcessors();
    }
}
