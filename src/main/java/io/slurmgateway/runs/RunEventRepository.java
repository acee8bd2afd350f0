package io.slurmgateway.runs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface RunEventRepository extends JpaRepository<RunEvent, Long> {

    List<RunEvent> findByRunIdAndSeqGreaterThanOrderBySeq(UUID runId, long after, Limit limit);

    List<RunEvent> findByRunIdAndPipesMethodInAndSeqGreaterThanOrderBySeq(
            UUID runId, Collection<String> methods, long after, Limit limit);
}
