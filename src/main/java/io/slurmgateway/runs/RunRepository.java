package io.slurmgateway.runs;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

interface RunRepository extends JpaRepository<Run, UUID>, JpaSpecificationExecutor<Run> {

    Optional<Run> findByRequestCreatedByAndRequestIdempotencyKey(String createdBy, String idempotencyKey);

    long countByRequestCreatedByAndStateIn(String createdBy, Collection<RunState> states);

    /** Locks the oldest runs in a state; rows another worker holds are skipped, so each run is claimed once. */
    @Query(
            value = "SELECT * FROM run WHERE state = :state AND mode = :mode ORDER BY created_at"
                    + " LIMIT :limit FOR UPDATE SKIP LOCKED",
            nativeQuery = true)
    List<Run> lockOldest(String state, String mode, int limit);

    @Query(
            value = "SELECT * FROM run WHERE state = :state AND mode = :mode AND owner_id = :owner ORDER BY created_at"
                    + " LIMIT :limit FOR UPDATE SKIP LOCKED",
            nativeQuery = true)
    List<Run> lockOldestOwned(String state, String mode, String owner, int limit);

    @Query(
            value = "SELECT * FROM run WHERE state = 'ACCEPTED' AND mode = 'slurm' AND cluster = :cluster"
                    + " AND cluster_identity = :identity ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED",
            nativeQuery = true)
    List<Run> lockOldestAcceptedOnCluster(String cluster, String identity, int limit);

    /**
     * Locks the oldest accepted runs of a cluster account that do not show {@code reason} yet, to show it; rows a
     * claimer holds are skipped (it is taking them).
     */
    @Query(
            value = "SELECT * FROM run WHERE state = 'ACCEPTED' AND mode = 'slurm' AND cluster = :cluster"
                    + " AND cluster_identity = :identity AND (reason IS NULL OR reason <> :reason)"
                    + " ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED",
            nativeQuery = true)
    List<Run> lockAcceptedNotShowing(String cluster, String identity, String reason, int limit);

    long countByModeAndClusterAndStateIn(String mode, String cluster, Collection<RunState> states);

    long countByState(RunState state);

    List<Run> findByOwnerAndModeAndClusterAndSlurmJobIdentityAndStateIn(
            String owner, String mode, String cluster, String identity, Collection<RunState> states);

    @Query("select r from Run r where r.owner = :owner and r.cluster = :cluster and r.slurmJob.identity = :identity"
            + " and r.id in (select d.runId from RunLogDrain d)")
    List<Run> findDrainingOnCluster(String owner, String cluster, String identity);

    @Query("select r.state from Run r where r.id = ?1")
    java.util.Optional<RunState> findStateById(UUID id);

    List<Run> findByModeAndClusterAndStateInAndSlurmJobIdentityNotIn(
            String mode, String cluster, Collection<RunState> states, Collection<String> identities);

    List<Run> findByOwnerAndModeAndStateIn(String owner, String mode, Collection<RunState> states);

    @Query("select r.id from Run r where r.owner = :owner and r.cluster = :cluster"
            + " and r.slurmJob.identity = :identity and r.cancelRequested = true and r.state in :states")
    List<UUID> findCancelRequestedOnCluster(String owner, String cluster, String identity, Collection<RunState> states);

    /** How many runs there are in each state, mode and cluster. */
    interface StateCount {
        RunState getState();

        String getMode();

        String getCluster();

        long getRuns();
    }

    @Query("select r.state as state, r.mode as mode, r.cluster as cluster, count(r) as runs from Run r"
            + " group by r.state, r.mode, r.cluster")
    List<StateCount> countByStateModeAndCluster();

    /** When the oldest run in each state, mode and cluster was created. */
    interface OldestRun {
        RunState getState();

        String getMode();

        String getCluster();

        java.time.Instant getOldest();
    }

    @Query("select r.state as state, r.mode as mode, r.cluster as cluster, min(r.times.createdAt) as oldest from Run r"
            + " where r.state in :states group by r.state, r.mode, r.cluster")
    List<OldestRun> oldestByStateModeAndCluster(Collection<RunState> states);

    @Query("select r.id from Run r where r.id in :ids and r.cancelRequested = true")
    List<UUID> findCancelRequested(Collection<UUID> ids);
}
