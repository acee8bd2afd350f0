package io.slurmgateway.runs;

/** Where a run executes: {@code local} is a process on the gateway host, {@code slurm} a job on a cluster. */
public final class RunMode {

    public static final String LOCAL = "local";
    public static final String SLURM = "slurm";

    private RunMode() {}
}
