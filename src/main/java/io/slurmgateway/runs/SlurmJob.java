package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * The Slurm side of a run: the cluster account it executes under, and its job as last polled. Every field is null for
 * a local run, and all but the identity before submission. Part of the {@link Run} aggregate, replaced whole when
 * something changes.
 *
 * @param identity the cluster identity (account) the run executes under, chosen from its creator when it was accepted
 * @param jobId the job's id, once sbatch accepted it
 * @param state Slurm's own state word for the job, e.g. {@code OUT_OF_MEMORY} or {@code PENDING}
 * @param reason Slurm's reason for that state, e.g. {@code Resources}
 */
@Embeddable
public record SlurmJob(
        @Column(name = "cluster_identity") String identity,
        @Column(name = "slurm_job_id") String jobId,
        @Column(name = "slurm_state") String state,
        @Column(name = "slurm_reason") String reason) {

    /** No job (yet). */
    public static final SlurmJob NONE = new SlurmJob(null, null, null, null);

    /** A run not yet submitted that will execute as {@code identity}; none for a local run (null). */
    static SlurmJob under(String identity) {
        return identity == null ? null : new SlurmJob(identity, null, null, null);
    }

    SlurmJob submitted(String jobId) {
        return new SlurmJob(identity, jobId, state, reason);
    }

    /** With what Slurm said last, cut to what the columns hold. */
    SlurmJob seen(String rawState, String rawReason) {
        return new SlurmJob(identity, jobId, truncate(rawState, 32), truncate(rawReason, 255));
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
