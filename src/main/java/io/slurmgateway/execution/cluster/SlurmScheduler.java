package io.slurmgateway.execution.cluster;

import io.slurmgateway.blobs.HostCaches;
import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.JobScripts;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.execution.StepGuard;
import io.slurmgateway.execution.TickLoop;
import io.slurmgateway.runs.ClusterLeases;
import io.slurmgateway.runs.RunCancelRequested;
import io.slurmgateway.runs.RunCustody;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunStateChanged;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs Slurm-mode runs: one {@link ClusterWorker} per cluster account (a cluster, or one of its tenant identities) on
 * the instance that holds the account's lease ({@link LeasedAccount}); one thread takes and renews the leases every
 * quarter lease duration. Stopping the gateway leaves the jobs to Slurm and releases the leases, so that another
 * instance takes them over at once; the next start of this instance follows them again if no other one has.
 */
@Component
class SlurmScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SlurmScheduler.class);

    private final ClusterRegistry clusters;
    private final RunWorkQueue queue;
    private final RemoteLogTailer tailer;
    private final LogStore store;
    private final JobScripts jobScripts;
    private final ExecutionProperties properties;
    private final ExecutionMetrics metrics;
    private final SlurmMetrics slurmMetrics;
    private final Clock clock;
    private final ClusterLeases leases;
    private final WorkerServices services;
    private final HostCaches caches;
    private final List<LeasedAccount> accounts = new CopyOnWriteArrayList<>();
    private volatile TickLoop keeper;
    private volatile boolean running;

    SlurmScheduler(
            ClusterRegistry clusters,
            RunWorkQueue queue,
            RemoteLogTailer tailer,
            LogStore store,
            JobScripts jobScripts,
            ExecutionProperties properties,
            ExecutionMetrics metrics,
            SlurmMetrics slurmMetrics,
            ClusterLeases leases,
            RunCustody custody,
            Clock clock,
            HostCaches caches,
            io.slurmgateway.blobs.Blobs blobs) {
        this.caches = caches;
        this.clock = clock;
        this.leases = leases;
        this.services = new WorkerServices(tailer, store, queue, custody, metrics, slurmMetrics, blobs);
        this.clusters = clusters;
        this.queue = queue;
        this.tailer = tailer;
        this.store = store;
        this.jobScripts = jobScripts;
        this.properties = properties;
        this.metrics = metrics;
        this.slurmMetrics = slurmMetrics;
    }

    @Override
    public void start() {
        running = true;
        if (!properties.enabled()) {
            log.info("Slurm submission is disabled on this instance (gateway.execution.enabled=false)");
            return;
        }
        Duration leaseDuration = properties.leaseDuration();
        for (Cluster cluster : clusters.all()) {
            if (cluster.settings().liveUsageInterval().isZero()) {
                forgetLiveUsage(cluster.name()); // samples from when it was on would look current
            }
            endRunsOfUnknownIdentities(cluster);
            for (ClusterAccount account : cluster.allAccounts()) {
                accounts.add(new LeasedAccount(
                        cluster.name(),
                        account.identity(),
                        properties.instanceId(),
                        leaseDuration,
                        leases,
                        services.custody(),
                        metrics,
                        (lease, stagingElsewhere) -> worker(cluster, account, lease, stagingElsewhere)));
            }
            log.info(
                    "cluster '{}': submitting and polling as instance '{}' while it holds the leases of identities {}",
                    cluster.name(),
                    properties.instanceId(),
                    cluster.accounts().keySet().stream().sorted().toList());
        }
        if (!accounts.isEmpty()) {
            sayWhetherShared();
            StepGuard steps = new StepGuard("slurm:leases", metrics);
            keeper = new TickLoop(
                    "slurm-leases",
                    "slurm:leases",
                    leaseDuration.dividedBy(4),
                    () -> accounts.forEach(account -> steps.run("lease", account::keep)),
                    metrics);
            keeper.start();
        }
    }

    private ClusterWorker worker(
            Cluster cluster, ClusterAccount account, LeasedAccount lease, List<UUID> stagingElsewhere) {
        String name = cluster.name();
        ClusterProperties settings = cluster.settings();
        return new ClusterWorker(
                cluster,
                account,
                properties.instanceId(),
                lease::isHeld,
                stagingElsewhere,
                properties.stagingBatchSize(),
                new SlurmSubmitter(cluster, account, queue, jobScripts, caches.of(cluster, account)),
                new SlurmJobTracker(queue, clock, settings.accountingWait(), settings.lostJobTimeout()),
                new LiveUsageSampler(
                        name,
                        account.slurm(),
                        queue,
                        clock,
                        settings.liveUsageInterval(),
                        settings.killOnClusterAfter(),
                        metrics),
                services);
    }

    private void sayWhetherShared() {
        try {
            if (!leases.isShared()) {
                log.info("the database is H2, which one instance alone can use: this gateway runs as a single"
                        + " instance; with PostgreSQL, instances share the clusters through leases");
            }
        } catch (RuntimeException failed) {
            log.warn("could not tell which database this is: {}", failed.getMessage());
        }
    }

    /** Runs of an identity that is no longer configured: accepted ones end, submitted ones are reported. */
    private void endRunsOfUnknownIdentities(Cluster cluster) {
        try {
            long stranded = queue.endRunsOfUnknownIdentities(
                    cluster.name(), cluster.accounts().keySet());
            if (stranded > 0) {
                log.warn(
                        "cluster '{}': {} submitted run(s) execute as an identity that is no longer configured;"
                                + " nothing follows or cancels them until it is configured again",
                        cluster.name(),
                        stranded);
            }
        } catch (RuntimeException failed) {
            log.warn(
                    "cluster '{}': runs of removed identities could not be checked: {}",
                    cluster.name(),
                    failed.getMessage());
        }
    }

    private void forgetLiveUsage(String cluster) {
        try {
            queue.forgetLiveUsage(properties.instanceId(), cluster);
        } catch (RuntimeException failed) {
            log.warn("cluster '{}': old live usage samples could not be cleared: {}", cluster, failed.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        TickLoop leaseKeeper = keeper;
        if (leaseKeeper != null) {
            leaseKeeper.stop();
        }
        accounts.forEach(account -> account.stop(true));
        accounts.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @TransactionalEventListener
    void on(RunCancelRequested request) {
        workers().forEach(ClusterWorker::wakePoller);
    }

    @TransactionalEventListener
    void on(RunStateChanged change) {
        if (change.to() == RunState.ACCEPTED) {
            workers().forEach(ClusterWorker::wakeSubmitter);
        }
    }

    private List<ClusterWorker> workers() {
        return accounts.stream()
                .map(LeasedAccount::worker)
                .filter(Objects::nonNull)
                .toList();
    }
}
