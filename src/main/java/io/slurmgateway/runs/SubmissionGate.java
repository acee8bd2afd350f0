package io.slurmgateway.runs;

import io.slurmgateway.clusters.ClusterBackpressure;
import io.slurmgateway.clusters.ClusterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims accepted runs of a cluster account within the cluster's backpressure ({@link ClusterBackpressure}): at most
 * {@code max-active-runs} of the cluster's runs submitted and not ended, counted in the database under a lock of the
 * cluster's {@code cluster_admission} row, so the cap holds over all identities and instances; and at most
 * {@code max-submissions-per-second}, with one token bucket per cluster on this instance. The runs held back wait in
 * ACCEPTED and show why, the oldest first: each claim marks up to its batch size of them that do not show it yet, so a
 * run's reason is written once when it starts waiting (or the cause changes), not at every tick.
 */
@Component
class SubmissionGate {

    private static final List<RunState> SUBMITTED = List.of(RunState.STAGING, RunState.QUEUED, RunState.RUNNING);

    private final RunRepository runs;
    private final ClusterRegistry clusters;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final RunMetrics metrics;
    private final TransactionTemplate transaction;
    private final Map<String, SubmissionRate> rates = new ConcurrentHashMap<>();
    private final Set<String> admissionRows = ConcurrentHashMap.newKeySet();

    SubmissionGate(
            RunRepository runs,
            ClusterRegistry clusters,
            JdbcTemplate jdbc,
            Clock clock,
            RunMetrics metrics,
            PlatformTransactionManager transactionManager) {
        this.runs = runs;
        this.clusters = clusters;
        this.jdbc = jdbc;
        this.clock = clock;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Claims up to {@code limit} of the oldest accepted runs of a cluster account, as far as the cluster admits them,
     * and moves each with {@code claim}; then marks the runs held back, if any.
     */
    List<Run> claim(String cluster, String identity, int limit, Consumer<Run> claim) {
        Duration pollInterval = clusters.find(cluster)
                .map(found -> found.settings().pollInterval())
                .orElse(null);
        ClusterBackpressure limits = clusters.find(cluster)
                .map(found -> found.settings().backpressure())
                .orElse(ClusterBackpressure.NONE);
        if (limits.maxActiveRuns() > 0) {
            ensureAdmissionRow(cluster);
        }
        SubmissionRate rate = limits.limitsRate() ? rateOf(cluster, limits, pollInterval) : null;
        IntUnaryOperator tokens = rate == null ? null : rate::take;
        record Claimed(List<Run> runs, SubmissionAllowance allowance) {}
        Claimed claimed = transaction.execute(status -> {
            long active = 0;
            if (limits.maxActiveRuns() > 0) {
                jdbc.queryForList("SELECT cluster FROM cluster_admission WHERE cluster = ? FOR UPDATE", cluster);
                active = runs.countByModeAndClusterAndStateIn(RunMode.SLURM, cluster, SUBMITTED);
            }
            SubmissionAllowance allowance = SubmissionAllowance.of(
                    cluster, limit, limits.maxActiveRuns(), active, limits.maxSubmissionsPerSecond(), tokens);
            List<Run> taken = allowance.runs() == 0
                    ? List.of()
                    : runs.lockOldestAcceptedOnCluster(cluster, identity, allowance.runs());
            taken.forEach(claim);
            return new Claimed(runs.saveAllAndFlush(taken), allowance);
        });
        SubmissionAllowance allowance = claimed.allowance();
        int unused = allowance.runs() - claimed.runs().size();
        if (rate != null && unused > 0) {
            rate.giveBack(unused);
        }
        if (allowance.waitingReason() != null && unused == 0) { // fewer taken: none was left waiting
            holdBack(cluster, identity, allowance, limit);
        }
        return claimed.runs();
    }

    private void holdBack(String cluster, String identity, SubmissionAllowance allowance, int limit) {
        int marked = transaction.execute(status -> {
            List<Run> waiting =
                    runs.lockAcceptedNotShowing(cluster, identity, allowance.waitingReason(), Math.max(1, limit));
            waiting.forEach(run -> run.waitFor(allowance.waitingReason(), clock.instant()));
            runs.saveAllAndFlush(waiting);
            return waiting.size();
        });
        metrics.heldBack(cluster, allowance.limit(), marked);
    }

    private SubmissionRate rateOf(String cluster, ClusterBackpressure limits, Duration pollInterval) {
        return rates.computeIfAbsent(
                cluster,
                name -> new SubmissionRate(
                        limits.maxSubmissionsPerSecond(), limits.burst(pollInterval), System::nanoTime));
    }

    /** Adds the cluster's row on first use; another instance adding it at the same time is as good. */
    private void ensureAdmissionRow(String cluster) {
        if (admissionRows.contains(cluster)) {
            return;
        }
        try {
            transaction.executeWithoutResult(
                    status -> jdbc.update("INSERT INTO cluster_admission (cluster) VALUES (?)", cluster));
        } catch (DataIntegrityViolationException known) {
            // added before, by this instance before a restart or by another one
        }
        admissionRows.add(cluster);
    }
}
