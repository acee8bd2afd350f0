package io.slurmgateway.clusters;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of a cluster the gateway takes at once ({@code gateway.clusters.<name>.backpressure.*}). Runs beyond these
 * limits wait in ACCEPTED, and say why.
 *
 * @param maxActiveRuns how many of the cluster's runs may be submitted and not ended (STAGING, QUEUED or RUNNING) at
 *     once, over all its identities and all gateway instances (counted in the database); 0, the default, is no limit
 * @param maxSubmissionsPerSecond how many runs a second this instance submits to the cluster at most, over all its
 *     identities; each instance keeps its own count, so N instances together may submit N times as many; 0, the
 *     default, is no limit
 * @param submissionBurst how many submissions may go at once after a quiet spell; 0, the default, derives it from the
 *     rate and the cluster's {@code poll-interval} (see {@link #burst})
 */
public record ClusterBackpressure(
        @DefaultValue("0") @Min(0) int maxActiveRuns,
        @DefaultValue("0") @DecimalMin("0") double maxSubmissionsPerSecond,
        @DefaultValue("0") @Min(0) int submissionBurst) {

    /** No limits: what a cluster has unless configured. */
    public static final ClusterBackpressure NONE = new ClusterBackpressure(0, 0, 0);

    /** Whether the cluster limits its submissions per second. */
    public boolean limitsRate() {
        return maxSubmissionsPerSecond > 0;
    }

    /**
     * The submissions that may go at once: {@code submission-burst}, or else what the rate allows in one
     * {@code poll-interval} (at least 1). A submitter held back by the rate tries again a poll interval later, so a
     * smaller burst would keep it below the rate.
     */
    public int burst(Duration pollInterval) {
        if (submissionBurst > 0) {
            return submissionBurst;
        }
        double perInterval = maxSubmissionsPerSecond * pollInterval.toNanos() / 1e9;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(perInterval)));
    }
}
