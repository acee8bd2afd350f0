package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * The process of a local run; every field is null for a Slurm run and before the process started. Part of the
 * {@link Run} aggregate.
 *
 * @param pid its process id
 * @param startedAt when it started, which tells it from a later process that got the same pid; null when it ended
 *     before its start could be read
 */
@Embeddable
public record LocalProcess(@Column(name = "pid") Long pid, @Column(name = "process_started_at") Instant startedAt) {

    /** No process (yet). */
    public static final LocalProcess NONE = new LocalProcess(null, null);
}
