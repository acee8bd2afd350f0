package io.slurmgateway.runs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface RunLogRepository extends JpaRepository<RunLogChunk, Long> {

    List<RunLogChunk> findByRunIdAndStreamAndEndOffsetGreaterThanOrderByStartOffset(
            UUID runId, LogStream stream, long offset, Limit limit);

    @Query("select coalesce(max(c.endOffset), 0) from RunLogChunk c where c.runId = ?1 and c.stream = ?2")
    long storedLength(UUID runId, LogStream stream);

    @Query("select coalesce(sum(c.endOffset - c.startOffset), 0) from RunLogChunk c, Run r"
            + " where r.id = c.runId and r.request.createdBy = ?1")
    long storedBytesOf(String createdBy);
}
