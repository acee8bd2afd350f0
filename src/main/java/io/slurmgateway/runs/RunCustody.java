package io.slurmgateway.runs;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who has the Slurm runs of a cluster account in their care, and what of them may go: the instance that takes an
 * account's lease adopts its runs; the orphan sweep asks which jobs a run still owns; the clean-up asks which runs'
 * directories on the cluster nothing needs any more. Bulk statements, each one short transaction; an adoption bumps
 * the runs' versions, so a late write of the previous owner fails its version check instead of undoing it.
 */
@Service
public class RunCustody {

    private static final String ACCOUNT = "mode = 'slurm' AND cluster = ? AND cluster_identity = ?";
    private static final String ENDED = java.util.Arrays.stream(RunState.values())
            .filter(RunState::isTerminal)
            .map(state -> "'" + state.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    private static final int IN_LIST = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    RunCustody(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * What {@link #adopt} took over: how many runs, and which of them were being submitted by another instance (their
     * submission may still be under way there, so they are checked by name only once it must have ended).
     */
    public record Adoption(int runs, List<UUID> stagingElsewhere) {}

    /** What the database says of a run a Slurm job is named after. */
    public record JobOwner(UUID runId, String cluster, String identity, RunState state, String jobId) {}

    /**
     * Makes {@code owner} the owner of every run of a cluster account that another instance (or none) was submitting,
     * following or still copying output of.
     */
    public Adoption adopt(String cluster, String identity, String owner) {
        return transaction.execute(status -> {
            List<UUID> staging = jdbc.queryForList(
                    "SELECT id FROM run WHERE " + ACCOUNT
                            + " AND state = 'STAGING' AND (owner_id IS NULL OR owner_id <> ?)",
                    UUID.class,
                    cluster,
                    identity,
                    owner);
            int runs = jdbc.update(
                    "UPDATE run SET owner_id = ?, version = version + 1 WHERE " + ACCOUNT
                            + " AND (owner_id IS NULL OR owner_id <> ?) AND (state IN ('STAGING', 'QUEUED',"
                            + " 'RUNNING') OR id IN (SELECT run_id FROM run_log_drain))",
                    owner,
                    cluster,
                    identity,
                    owner);
            return new Adoption(runs, staging);
        });
    }

    /** The runs that exist among {@code runIds}, for telling the gateway's jobs from orphans. */
    public Map<UUID, JobOwner> owners(Collection<UUID> runIds) {
        Map<UUID, JobOwner> owners = new HashMap<>();
        List<UUID> ids = List.copyOf(runIds);
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
            jdbc.query(
                    "SELECT id, cluster, cluster_identity, state, slurm_job_id FROM run WHERE id IN ("
                            + placeholders(chunk.size()) + ")",
                    row -> {
                        UUID id = row.getObject(1, UUID.class);
                        owners.put(
                                id,
                                new JobOwner(
                                        id,
                                        row.getString(2),
                                        row.getString(3),
                                        RunState.valueOf(row.getString(4)),
                                        row.getString(5)));
                    },
                    chunk.toArray());
        }
        return owners;
    }

    /**
     * Up to {@code limit} ended runs of a cluster account whose directories on the cluster may go: ended more than
     * {@code retention} ago, their output all copied (not draining), and not removed yet. Oldest first.
     */
    public List<UUID> removableDirectories(String cluster, String identity, Duration retention, int limit) {
        OffsetDateTime before = now().minus(retention);
        return jdbc.queryForList(
                "SELECT id FROM run WHERE " + ACCOUNT + " AND state IN " + ENDED
                        + " AND finished_at < ? AND work_dir_removed_at IS NULL"
                        + " AND id NOT IN (SELECT run_id FROM run_log_drain) ORDER BY finished_at LIMIT ?",
                UUID.class,
                cluster,
                identity,
                before,
                limit);
    }

    /** Records that the directories of these runs are removed from the cluster. */
    public void directoriesRemoved(Collection<UUID> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        List<Object> arguments = new ArrayList<>();
        arguments.add(now());
        arguments.addAll(runIds);
        jdbc.update(
                "UPDATE run SET work_dir_removed_at = ? WHERE id IN (" + placeholders(runIds.size()) + ")",
                arguments.toArray());
    }

    private OffsetDateTime now() {
        return jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
