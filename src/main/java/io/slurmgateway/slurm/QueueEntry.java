package io.slurmgateway.slurm;

/** One job as squeue shows it: its raw state and the reason it is pending (or {@code None}). */
public record QueueEntry(String jobId, String state, String reason) {}
