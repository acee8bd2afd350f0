package io.slurmgateway.execution.cluster;

import io.slurmgateway.blobs.Blobs;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.RunCustody;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The housekeeping of one cluster account, every {@code housekeeping.sweep-interval} on the instance that holds its lease: adopts
 * runs of the account that another instance still owns (an instance that was renamed, or that lost its lease mid-way),
 * cancels jobs named {@code sg-<run id>} that no live run owns, and removes run directories on the cluster once
 * {@code housekeeping.work-dir-retention} has passed since their runs ended and their output was stored; trims the
 * account's cache of packs and files to its budget.
 */
final class ClusterSweep {

    private static final Logger log = LoggerFactory.getLogger(ClusterSweep.class);

    /** The gateway names each job after its run. */
    static final String JOB_PREFIX = "sg-";

    private static final Pattern GATEWAY_JOB =
            Pattern.compile("sg-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    /** How many run directories one sweep removes at most; the rest wait for the next. */
    private static final int REMOVALS_PER_SWEEP = 500;

    private final String cluster;
    private final String identity;
    private final String owner;
    private final ClusterProperties settings;
    private final SlurmClient slurm;
    private final SlurmSubmitter submitter;
    private final RunCustody custody;
    private final RunWorkQueue queue;
    private final ExecutionMetrics metrics;
    private final StepGuard steps;
    private final java.util.function.Consumer<List<UUID>> onAdopted;
    private final BooleanSupplier leaseHeld;
    private final Blobs blobs;
    private final TickLoop loop;
    private final long firstAtNanos;

    /**
     * @param leaseHeld whether this instance holds the account's lease: a sweep runs only then
     * @param onAdopted called when runs were adopted, with those of them another instance was submitting, so that
     *     the worker follows them too
     */
    ClusterSweep(
            String cluster,
            ClusterAccount account,
            String owner,
            ClusterProperties settings,
            SlurmSubmitter submitter,
            RunCustody custody,
            RunWorkQueue queue,
            ExecutionMetrics metrics,
            BooleanSupplier leaseHeld,
            java.util.function.Consumer<List<UUID>> onAdopted,
            Blobs blobs) {
        this.blobs = blobs;
        this.cluster = cluster;
        this.identity = account.identity();
        this.owner = owner;
        this.settings = settings;
        this.slurm = account.slurm();
        this.leaseHeld = leaseHeld;
        this.submitter = submitter;
        this.custody = custody;
        this.queue = queue;
        this.metrics = metrics;
        this.steps = new StepGuard("slurm:" + cluster, metrics);
        this.onAdopted = onAdopted;
        Duration interval = settings.housekeeping().sweepInterval();
        this.firstAtNanos = System.nanoTime() + interval.toNanos();
        String threads = ClusterIdentity.DEFAULT.equals(identity) ? cluster : cluster + "/" + identity;
        this.loop = interval.isZero()
                ? null
                : new TickLoop("slurm-sweep-" + threads, "slurm:" + cluster, interval, this::tick, metrics);
    }

    void start() {
        if (loop != null) {
            loop.start();
        }
    }

    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    /** A sweep one interval after the start and every interval after it, while the lease is held. */
    private void tick() {
        if (System.nanoTime() - firstAtNanos >= 0 && leaseHeld.getAsBoolean()) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("cluster", cluster);
                    MDC.MDCCloseable identityInMdc = MDC.putCloseable("clusterIdentity", identity)) {
                sweep();
            }
        }
    }

    /** One sweep; each of its parts fails on its own. */
    void sweep() {
        steps.run("adopt", this::adoptStrays);
        if (settings.housekeeping().cancelOrphans()) {
            steps.run("orphans", this::cancelOrphans);
        }
        if (!settings.housekeeping().workDirRetention().isZero()) {
            steps.run("cleanup", this::removeDirectories);
        }
        steps.run("cache", () -> submitter.trimCache(blobs.inUse(cluster)));
    }

    private void adoptStrays() {
        RunCustody.Adoption adoption = custody.adopt(cluster, identity, owner);
        if (adoption.runs() > 0) {
            metrics.swept(cluster, "adopted", adoption.runs());
            log.warn("adopted {} run(s) that another instance still owned without holding the lease", adoption.runs());
            onAdopted.accept(adoption.stagingElsewhere());
        }
    }

    /**
     * Cancels the account's pending, running and suspended jobs named after a run that does not own them: a run that
     * does not exist, that has ended, that runs on another cluster account, or that follows another job.
     */
    void cancelOrphans() throws IOException {
        Map<String, UUID> named = new LinkedHashMap<>();
        slurm.sweep().activeJobsNamed(JOB_PREFIX).forEach((jobId, name) -> {
            Matcher run = GATEWAY_JOB.matcher(name);
            if (run.matches()) {
                named.put(jobId, UUID.fromString(run.group(1)));
            }
        });
        if (named.isEmpty()) {
            return;
        }
        Map<UUID, RunCustody.JobOwner> owners = custody.owners(named.values());
        Map<String, String> orphans = new LinkedHashMap<>();
        named.forEach((jobId, runId) -> {
            String why = orphanedBecause(jobId, owners.get(runId));
            if (why != null) {
                orphans.put(jobId, why);
            }
        });
        if (orphans.isEmpty()) {
            return;
        }
        slurm.cancel(orphans.keySet());
        metrics.swept(cluster, "orphan_cancelled", orphans.size());
        orphans.forEach((jobId, why) -> {
            UUID runId = named.get(jobId);
            log.warn("cancelled orphan Slurm job {} named after run {}: {}", jobId, runId, why);
            if (owners.containsKey(runId)) {
                queue.note(runId, "the orphan sweep cancelled Slurm job " + jobId + ", named after this run: " + why);
            }
        });
    }

    /** Why a job is an orphan, or null when its run owns it (or may, while its submission is being recorded). */
    private String orphanedBecause(String jobId, RunCustody.JobOwner run) {
        if (run == null) {
            return "no such run exists";
        }
        if (run.state().isTerminal()) {
            return "the run has ended (" + run.state() + ")";
        }
        if (!cluster.equals(run.cluster()) || !identity.equals(run.identity())) {
            return "the run executes on cluster '" + run.cluster() + "', identity '" + run.identity() + "'";
        }
        if (run.jobId() != null && !run.jobId().equals(jobId)) {
            return "the run follows Slurm job " + run.jobId();
        }
        if (run.jobId() == null && run.state() != RunState.STAGING && run.state() != RunState.ACCEPTED) {
            return "the run has no Slurm job";
        }
        return null;
    }

    private void removeDirectories() throws IOException {
        List<UUID> runs = custody.removableDirectories(
                cluster, identity, settings.housekeeping().workDirRetention(), REMOVALS_PER_SWEEP);
        if (runs.isEmpty()) {
            return;
        }
        List<String> directories = new ArrayList<>(runs.size());
        for (UUID run : runs) {
            directories.add(submitter.directoryOf(run));
        }
        slurm.sweep().removeDirectories(directories);
        custody.directoriesRemoved(runs);
        metrics.swept(cluster, "dir_removed", runs.size());
        log.info(
                "removed the directories of {} run(s) ended more than {} ago",
                runs.size(),
                settings.housekeeping().workDirRetention());
    }
}
