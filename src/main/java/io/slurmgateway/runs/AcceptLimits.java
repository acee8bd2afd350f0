package io.slurmgateway.runs;

import io.slurmgateway.security.Audit;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.LimitExceededException;
import io.slurmgateway.security.SecurityProperties;

/**
 * Whether the gateway takes one more run now: the caller's runs that have not ended, and the gateway's backlog of
 * accepted runs. Both are counted in the database, so they hold over all instances; two creates at the same moment
 * may both pass at the last free place. A repeat of an earlier create (same Idempotency-Key) is never checked here.
 */
final class AcceptLimits {

    /** How long a caller at its active-run limit is told to wait; runs take at least this long to end. */
    private static final long ACTIVE_RUNS_RETRY_AFTER_SECONDS = 30;

    private final RunRepository runs;
    private final RunsProperties properties;
    private final SecurityProperties security;
    private final RunMetrics metrics;

    AcceptLimits(RunRepository runs, RunsProperties properties, SecurityProperties security, RunMetrics metrics) {
        this.runs = runs;
        this.properties = properties;
        this.security = security;
        this.metrics = metrics;
    }

    /** @throws LimitExceededException when either limit is reached: 429 with {@code Retry-After} */
    void check(Caller caller) {
        int limit = security.limits().maxActiveRuns();
        if (limit > 0
                && security.authenticationConfigured() // limits are per principal; unauthenticated, there is one
                && runs.countByRequestCreatedByAndStateIn(caller.name(), RunState.ACTIVE) >= limit) {
            Audit.mutation(caller, "create", null, "refused: active run limit");
            throw new LimitExceededException(
                    "'" + caller.name() + "' has " + limit + " runs that have not ended"
                            + " (gateway.security.limits.max-active-runs); retry once one has",
                    ACTIVE_RUNS_RETRY_AFTER_SECONDS);
        }
        int backlog = properties.maxBacklog();
        if (backlog > 0 && runs.countByState(RunState.ACCEPTED) >= backlog) {
            Audit.mutation(caller, "create", null, "refused: backlog full");
            metrics.refused("max-backlog");
            long seconds = (properties.backlogRetryAfter().toMillis() + 999) / 1000;
            throw new LimitExceededException(
                    "the gateway has " + backlog + " accepted runs waiting to be submitted, its limit"
                            + " (gateway.runs.max-backlog); retry after " + Math.max(1, seconds) + " s",
                    seconds);
        }
    }
}
