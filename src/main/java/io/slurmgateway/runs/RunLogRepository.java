package io.slurmgateway.runs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface RunLogRepository extends JpaRepository<RunLogChunk, Long> {

    /**
     * The chunks from {@code offset} on, in order. Ordered by end offset, which is the order of the index: a stream's
     * chunks never overlap, so it is also their start order, and the database stops after {@code limit} rows instead
     * of sorting every chunk after the offset (H2 would load them all, a whole log, to sort them).
     */
    List<RunLogChunk> findByRunIdAndStreamAndEndOffsetGreaterThanOrderByEndOffset(
            UUID runId, LogStream stream, long offset, Limit limit);

    @Query("select coalesce(max(c.endOffset), 0) from RunLogChunk c where c.runId = ?1 and c.stream = ?2")
    long storedLength(UUID runId, LogStream stream);

    @Query("select coalesce(sum(c.endOffset - c.startOffset), 0) from RunLogChunk c, Run r"
            + " where r.id = c.runId and r.request.createdBy = ?1")
    long storedBytesOf(String createdBy);
}
