package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Duration;
import java.time.Instant;

/**
 * When a run reached each stage of its life; a stage it has not reached is null. Part of the {@link Run} aggregate,
 * replaced whole as the run moves on.
 *
 * @param createdAt when it was accepted
 * @param submittedAt when it was first queued (sbatch accepted it, or its local directory was staged)
 * @param startedAt when it last started running
 * @param finishedAt when it ended
 */
@Embeddable
public record RunTimes(
        @Column(name = "created_at") Instant createdAt,
        @Column(name = "submitted_at") Instant submittedAt,
        @Column(name = "started_at") Instant startedAt,
        @Column(name = "finished_at") Instant finishedAt) {

    static RunTimes acceptedAt(Instant now) {
        return new RunTimes(now, null, null, null);
    }

    /** The times once the run has moved to {@code next} at {@code now}. */
    RunTimes after(RunState next, Instant now) {
        return switch (next) {
            case QUEUED -> new RunTimes(createdAt, submittedAt == null ? now : submittedAt, startedAt, finishedAt);
            case RUNNING -> new RunTimes(createdAt, submittedAt, now, finishedAt);
            case COMPLETED, FAILED, TIMED_OUT, CANCELLED, SUBMIT_FAILED ->
                new RunTimes(createdAt, submittedAt, startedAt, now);
            case ACCEPTED, STAGING -> this;
        };
    }

    /** From queued to started; null unless both happened. */
    Duration queueWait() {
        return submittedAt != null && startedAt != null ? Duration.between(submittedAt, startedAt) : null;
    }

    /** From started to {@code end}; null when it never started. */
    Duration runTimeUntil(Instant end) {
        return startedAt != null ? Duration.between(startedAt, end) : null;
    }
}
