package io.slurmgateway.slurm;

/**
 * What a finished job used, as Slurm accounting recorded it; a field is null when sacct did not report it.
 *
 * @param elapsedSeconds the job's wall time
 * @param cpuSeconds the CPU time of all its steps, user and system
 * @param maxRssBytes the largest resident set of any of its steps
 * @param allocCpus the CPUs allocated to it
 * @param allocNodes the nodes allocated to it
 * @param requestedMemory the memory it asked for, as Slurm writes it (e.g. {@code 400M})
 * @param gpus the GPUs allocated to it, when the cluster accounts them
 */
public record JobUsage(
        Long elapsedSeconds,
        Double cpuSeconds,
        Long maxRssBytes,
        Integer allocCpus,
        Integer allocNodes,
        String requestedMemory,
        Integer gpus) {

    /** The same usage with another peak memory. */
    JobUsage withMaxRssBytes(Long bytes) {
        return new JobUsage(elapsedSeconds, cpuSeconds, bytes, allocCpus, allocNodes, requestedMemory, gpus);
    }
}
