package io.slurmgateway.runs;

import io.slurmgateway.launch.RunSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A run as a worker holds it: an immutable copy of what executing it needs, taken when the run was claimed, with its
 * spec parsed once. Workers keep it across backoffs and threads; the run's current state is always in the database,
 * and changes go through {@link RunWorkQueue}.
 *
 * @param state the state the run was in when it was claimed or read
 * @param cluster the cluster of a Slurm run; null for a local one
 * @param identity the cluster identity (account) a Slurm run executes under; null for a local one
 * @param relaysPipes whether the run carries a Dagster Pipes context, so its messages file is relayed
 * @param slurmJobId the Slurm job the run had recorded; null before submission and for local runs
 * @param pid the process of a local run; null before it started
 * @param processStartedAt when that process started, to tell it from a later one with the same pid
 * @param startedAt when the run started RUNNING; null before
 * @param cancelRequested whether a client had asked to cancel it
 */
public record ClaimedRun(
        UUID id,
        RunState state,
        String cluster,
        String identity,
        String launcher,
        RunSpec spec,
        boolean relaysPipes,
        String slurmJobId,
        Long pid,
        Instant processStartedAt,
        Instant startedAt,
        boolean cancelRequested) {

    /** The copy of a stored run, with its spec as parsed from it. */
    static ClaimedRun of(Run run, RunSpec spec) {
        return new ClaimedRun(
                run.getId(),
                run.getState(),
                run.getCluster(),
                run.getSlurmJob().identity(),
                run.getRequest().launcher(),
                spec,
                run.getPipes().offset() != null,
                run.getSlurmJob().jobId(),
                run.getProcess().pid(),
                run.getProcess().startedAt(),
                run.getTimes().startedAt(),
                run.isCancelRequested());
    }
}
