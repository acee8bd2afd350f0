package io.slurmgateway.runs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface RunEventRepository extends JpaRepository<RunEvent, Long> {

    /**
     * Ordered by run and seq, not by seq alone, so that H2 reads the rows in the order of the {@code (run_id, seq)}
     * index and stops at the limit; ordered by seq alone it sorts all of the run's later events first (seconds for a
     * run with a million).
     */
    List<RunEvent> findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(UUID runId, long after, Limit limit);

    List<RunEvent> findByRunIdAndPipesMethodInAndSeqGreaterThanOrderBySeq(
            UUID runId, Collection<String> methods, long after, Limit limit);
}
