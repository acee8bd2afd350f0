package io.slurmgateway.runs;

import java.util.function.Supplier;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Re-runs a short read-modify-write transaction that lost an optimistic-lock race, so it applies to the run as it now
 * is instead of overwriting the winner.
 */
@Component
class OptimisticRetry {

    private static final int ATTEMPTS = 5;

    <T> T onConflict(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (OptimisticLockingFailureException lost) {
                if (attempt == ATTEMPTS) {
                    throw lost;
                }
            }
        }
    }
}
