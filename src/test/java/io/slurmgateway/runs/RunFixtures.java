package io.slurmgateway.runs;

import io.slurmgateway.launch.RunSpec;
import java.time.Instant;
import java.util.UUID;

/** Runs in a given state for tests of what reads them (controllers, responses), built as the aggregate builds them. */
public final class RunFixtures {

    private RunFixtures() {}

    /** A local run that has just been accepted. */
    public static Run accepted(UUID id, RunSpec spec, Instant at) {
        return Run.accept(id, spec, request(), null, at);
    }

    /** A Slurm run whose job completed with exit code 0 on cluster {@code hpc}. */
    public static Run completedOnSlurm(UUID id, RunSpec spec, String jobId, Instant submittedAt, Instant endedAt) {
        Run run = Run.accept(id, spec, request(), "default", submittedAt);
        run.startStaging("instance-a", submittedAt);
        run.recordSubmission("hpc", jobId, submittedAt);
        run.observeSlurm(RunState.RUNNING, "RUNNING", "None", "running", submittedAt);
        run.recordUsage(new ResourceUsage(5L, 9.5, 1024L * 1024, 2, 1, "512M", null));
        run.observeSlurm(null, "COMPLETED", "None", "ended", endedAt);
        run.finish(RunState.COMPLETED, 0, "Slurm job " + jobId + " ended COMPLETED with exit code 0:0", endedAt);
        return run;
    }

    private static RunRequest request() {
        return new RunRequest("bash", "{}", null, "fingerprint", "alice", null);
    }
}
