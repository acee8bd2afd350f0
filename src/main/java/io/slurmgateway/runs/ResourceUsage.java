package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * What a finished Slurm job used, as Slurm accounting recorded it; a field is null when sacct did not report it.
 *
 * @param elapsedSeconds the job's wall time
 * @param cpuSeconds the CPU time of all its steps, user and system
 * @param maxRssBytes the largest resident set of any of its steps
 * @param allocCpus the CPUs allocated to it
 * @param allocNodes the nodes allocated to it
 * @param requestedMemory the memory it asked for, as Slurm writes it (e.g. {@code 400M})
 * @param gpus the GPUs allocated to it, when the cluster accounts them
 */
@Embeddable
public record ResourceUsage(
        @Column(name = "usage_elapsed_seconds") Long elapsedSeconds,
        @Column(name = "usage_cpu_seconds") Double cpuSeconds,
        @Column(name = "usage_max_rss_bytes") Long maxRssBytes,
        @Column(name = "usage_alloc_cpus") Integer allocCpus,
        @Column(name = "usage_alloc_nodes") Integer allocNodes,
        @Column(name = "usage_requested_memory") String requestedMemory,
        @Column(name = "usage_gpus") Integer gpus) {

    /** CPU time over the CPU time allocated (wall time × CPUs); null when a part is missing or the job took no time. */
    public Double cpuEfficiency() {
        if (cpuSeconds == null
                || elapsedSeconds == null
                || allocCpus == null
                || elapsedSeconds == 0
                || allocCpus == 0) {
            return null;
        }
        return cpuSeconds / (elapsedSeconds * (double) allocCpus);
    }

    /** Wall time × nodes, in hours. */
    public Double nodeHours() {
        return elapsedSeconds == null || allocNodes == null ? null : elapsedSeconds * (double) allocNodes / 3600;
    }
}
