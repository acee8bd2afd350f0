package io.slurmgateway.execution.cluster;

import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.ResourceUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.JobPhase;
import io.slurmgateway.slurm.JobUsage;
import io.slurmgateway.slurm.LiveSample;
import io.slurmgateway.slurm.SlurmStates;
import java.util.Optional;

/** What the slurm module reports, in the runs module's terms: the one place the two vocabularies meet. */
final class SlurmMapping {

    private SlurmMapping() {}

    /** The run state for a Slurm job state (see {@link SlurmStates#phaseOf}); empty for a state it does not know. */
    static Optional<RunState> runStateOf(String rawState, Integer workloadExitStatus) {
        return SlurmStates.phaseOf(rawState, workloadExitStatus).map(SlurmMapping::runState);
    }

    static RunState runState(JobPhase phase) {
        return switch (phase) {
            case QUEUED -> RunState.QUEUED;
            case RUNNING -> RunState.RUNNING;
            case COMPLETED -> RunState.COMPLETED;
            case FAILED -> RunState.FAILED;
            case TIMED_OUT -> RunState.TIMED_OUT;
            case CANCELLED -> RunState.CANCELLED;
        };
    }

    /** What a job used, as the run stores it; null stays null. */
    static ResourceUsage usage(JobUsage usage) {
        return usage == null
                ? null
                : new ResourceUsage(
                        usage.elapsedSeconds(),
                        usage.cpuSeconds(),
                        usage.maxRssBytes(),
                        usage.allocCpus(),
                        usage.allocNodes(),
                        usage.requestedMemory(),
                        usage.gpus());
    }

    static LiveUsage liveUsage(LiveSample sample) {
        return new LiveUsage(sample.sampledAt(), sample.rssBytes(), sample.maxRssBytes(), sample.cpuSeconds());
    }
}
