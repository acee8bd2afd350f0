package io.slurmgateway.runs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RunEventRepository extends JpaRepository<RunEvent, Long> {

    /**
     * Ordered by run and seq, not by seq alone, so that H2 reads the rows in the order of the {@code (run_id, seq)}
     * index and stops at the limit; ordered by seq alone it sorts all of the run's later events first (seconds for a
     * run with a million).
     */
    List<RunEvent> findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(UUID runId, long after, Limit limit);

    /** The sizes of the events {@link #findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc} would read, in order. */
    @Query("select length(e.data) from RunEvent e where e.runId = :runId and e.seq > :after order by e.runId, e.seq")
    List<Integer> dataLengthsAfter(@Param("runId") UUID runId, @Param("after") long after, Pageable page);

    /** The sizes of the events {@link #findByRunIdAndPipesMethodInAndSeqGreaterThanOrderBySeq} would read, in order. */
    @Query("select length(e.data) from RunEvent e where e.runId = :runId and e.pipesMethod in :methods"
            + " and e.seq > :after order by e.seq")
    List<Integer> resultDataLengthsAfter(
            @Param("runId") UUID runId,
            @Param("methods") Collection<String> methods,
            @Param("after") long after,
            Pageable page);

    List<RunEvent> findByRunIdAndPipesMethodInAndSeqGreaterThanOrderBySeq(
            UUID runId, Collection<String> methods, long after, Limit limit);
}
