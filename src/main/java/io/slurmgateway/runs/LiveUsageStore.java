package io.slurmgateway.runs;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes live samples with plain JDBC, to their own columns only: a sample is advisory, so it must neither bump the
 * version that guards a run's state (and make a concurrent state change fail) nor be overwritten by one ({@link Run}
 * maps the columns read-only).
 */
@Component
class LiveUsageStore {

    private static final String RECORD = "UPDATE run SET live_sampled_at = ?, live_rss_bytes = ?,"
            + " live_max_rss_bytes = ?, live_cpu_seconds = ? WHERE id = ? AND state = 'RUNNING'";

    private static final String CLEAR = "UPDATE run SET live_sampled_at = NULL, live_rss_bytes = NULL,"
            + " live_max_rss_bytes = NULL, live_cpu_seconds = NULL";

    private final JdbcTemplate jdbc;

    LiveUsageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One batch for all samples, only for runs still RUNNING; in id order, so two writers never lock in a cycle. */
    @Transactional
    public void record(Map<UUID, LiveUsage> samples) {
        List<Map.Entry<UUID, LiveUsage>> rows = samples.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .toList();
        jdbc.batchUpdate(RECORD, rows, rows.size(), (statement, row) -> {
            LiveUsage sample = row.getValue();
            statement.setObject(1, OffsetDateTime.ofInstant(sample.sampledAt(), ZoneOffset.UTC));
            statement.setObject(2, sample.rssBytes(), Types.BIGINT);
            statement.setObject(3, sample.maxRssBytes(), Types.BIGINT);
            statement.setObject(4, sample.cpuSeconds(), Types.DOUBLE);
            statement.setObject(5, row.getKey());
        });
    }

    /** Clears the samples of the runs an instance follows on a cluster, e.g. once sampling has been turned off. */
    @Transactional
    public void forget(String owner, String cluster) {
        jdbc.update(CLEAR + " WHERE owner_id = ? AND cluster = ? AND live_sampled_at IS NOT NULL", owner, cluster);
    }

    /**
     * A run that stops running without ending (a requeued job) drops its sample in the same transaction: it described
     * an allocation that is gone. An ended run's sample is never shown, so it is left alone.
     */
    @EventListener
    void on(RunStateChanged change) {
        if (change.from() == RunState.RUNNING && !change.to().isTerminal()) {
            jdbc.update(CLEAR + " WHERE id = ?", change.runId());
        }
    }
}
