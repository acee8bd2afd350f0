package io.slurmgateway.runs.web;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A run as clients see it. */
record RunResponse(
        UUID id,
        String asset,
        String mode,
        String cluster,
        String launcher,
        RunState state,
        String reason,
        boolean cancelRequested,
        String slurmJobId,
        String slurmState,
        String slurmReason,
        Integer exitCode,
        Instant createdAt,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        RunSpec.Resources resources,
        Accounting accounting) {

    /** Resource usage; only what the gateway has measured is set. */
    record Accounting(Long elapsedSeconds) {}

    static RunResponse of(Run run, RunSpec spec) {
        return new RunResponse(
                run.getId(),
                run.getAsset(),
                run.getMode(),
                run.getCluster(),
                run.getLauncher(),
                run.getState(),
                run.getReason(),
                run.isCancelRequested(),
                run.getSlurmJobId(),
                run.getSlurmState(),
                run.getSlurmReason(),
                run.getExitCode(),
                run.getCreatedAt(),
                run.getSubmittedAt(),
                run.getStartedAt(),
                run.getFinishedAt(),
                spec.resources(),
                accounting(run));
    }

    private static Accounting accounting(Run run) {
        if (run.getStartedAt() == null || run.getFinishedAt() == null) {
            return null;
        }
        return new Accounting(
                Duration.between(run.getStartedAt(), run.getFinishedAt()).toSeconds());
    }
}
