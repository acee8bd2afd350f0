package io.slurmgateway.slurm;

import java.util.Locale;
import java.util.Optional;

/**
 * The one table from Slurm job states to job phases, which the gateway maps one to one onto run states. Published in
 * docs/slurm.md ("Slurm states"). A state it does not know maps to nothing: the run keeps its state and the raw Slurm
 * state is still recorded.
 */
public final class SlurmStates {

    private SlurmStates() {}

    /**
     * The phase of a Slurm job state.
     *
     * @param rawState as squeue or sacct print it; sacct's {@code CANCELLED by 1001} counts as CANCELLED
     * @param workloadExitStatus the exit status of the job's batch step, when known; a COMPLETED job whose batch step
     *     did not exit 0 is FAILED
     */
    public static Optional<JobPhase> phaseOf(String rawState, Integer workloadExitStatus) {
        String state = baseState(rawState);
        return Optional.ofNullable(
                switch (state) {
                    case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD" ->
                        JobPhase.QUEUED;
                    // a suspended or stopped job still holds its allocation and resumes where it was
                    case "RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING", "SUSPENDED", "STOPPED" ->
                        JobPhase.RUNNING;
                    case "COMPLETED" ->
                        workloadExitStatus == null || workloadExitStatus == 0 ? JobPhase.COMPLETED : JobPhase.FAILED;
                    // a preempted job that Slurm requeues shows up as REQUEUED/PENDING instead; one that stays
                    // PREEMPTED was ended by it
                    case "FAILED", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "SPECIAL_EXIT", "PREEMPTED" ->
                        JobPhase.FAILED;
                    case "TIMEOUT", "DEADLINE" -> JobPhase.TIMED_OUT;
                    case "CANCELLED", "REVOKED" -> JobPhase.CANCELLED;
                    default -> null;
                });
    }

    /** The state word alone: {@code CANCELLED by 1001} is {@code CANCELLED}, {@code RUNNING+} is {@code RUNNING}. */
    public static String baseState(String rawState) {
        String word = rawState.strip().split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return word.endsWith("+") ? word.substring(0, word.length() - 1) : word;
    }
}
