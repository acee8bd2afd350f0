package io.slurmgateway.runs;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases on cluster accounts (a cluster with one of its identities): the one instance that holds an account's lease
 * submits, polls and cancels its jobs, and renews the lease well before it expires; once it has expired any instance
 * may take it. Expiry is reckoned on the database's clock, so the instances' clocks need not agree.
 */
@Service
public class ClusterLeases {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    ClusterLeases(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Who holds an account's lease, until when, and how often it changed hands. */
    public record Lease(String cluster, String identity, String holder, OffsetDateTime expiresAt, long epoch) {}

    /**
     * Takes the lease of a cluster account for {@code holder}, or renews it when {@code holder} has it already, for
     * {@code duration} from now on the database's clock.
     *
     * @return whether {@code holder} holds it now; false when another holder's lease has not expired
     */
    public boolean acquire(String cluster, String identity, String holder, Duration duration) {
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                OffsetDateTime now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
                OffsetDateTime until = now.plus(duration);
                int renewed = jdbc.update(
                        "UPDATE cluster_lease SET taken_at = CASE WHEN holder = ? THEN taken_at ELSE ? END,"
                                + " epoch = CASE WHEN holder = ? THEN epoch ELSE epoch + 1 END,"
                                + " holder = ?, expires_at = ?"
                                + " WHERE cluster = ? AND cluster_identity = ? AND (holder = ? OR expires_at < ?)",
                        holder,
                        now,
                        holder,
                        holder,
                        until,
                        cluster,
                        identity,
                        holder,
                        now);
                if (renewed == 1) {
                    return true;
                }
                return jdbc.update(
                                "INSERT INTO cluster_lease (cluster, cluster_identity, holder, taken_at, expires_at,"
                                        + " epoch) SELECT ?, ?, ?, ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM"
                                        + " cluster_lease WHERE cluster = ? AND cluster_identity = ?)",
                                cluster,
                                identity,
                                holder,
                                now,
                                until,
                                cluster,
                                identity)
                        == 1;
            }));
        } catch (DataIntegrityViolationException takenMeanwhile) {
            return false; // another instance inserted the first lease of this account at the same moment
        }
    }

    /** Gives up a lease {@code holder} has, so that another instance can take it at once (a graceful stop). */
    public void release(String cluster, String identity, String holder) {
        jdbc.update(
                "UPDATE cluster_lease SET expires_at = CURRENT_TIMESTAMP"
                        + " WHERE cluster = ? AND cluster_identity = ? AND holder = ?",
                cluster,
                identity,
                holder);
    }

    /** Every lease there is, held or expired. */
    public List<Lease> all() {
        return jdbc.query(
                "SELECT cluster, cluster_identity, holder, expires_at, epoch FROM cluster_lease"
                        + " ORDER BY cluster, cluster_identity",
                (row, index) -> new Lease(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getObject(4, OffsetDateTime.class),
                        row.getLong(5)));
    }

    /**
     * Whether the database can be shared by several instances: H2 (embedded, a file of one process) cannot, so a
     * gateway on H2 is one instance, and its leases only make it take over from its own earlier runs.
     */
    public boolean isShared() {
        String product = jdbc.execute((ConnectionCallback<String>) connection -> {
            DatabaseMetaData metadata = connection.getMetaData();
            return metadata.getDatabaseProductName();
        });
        return product != null && !product.toLowerCase(java.util.Locale.ROOT).contains("h2");
    }
}
