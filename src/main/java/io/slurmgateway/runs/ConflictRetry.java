package io.slurmgateway.runs;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;

/**
 * Re-runs a short read-modify-write transaction that lost a race (an optimistic-lock conflict, or a row lock held by a
 * worker's claim), so it applies to the run as it now is instead of overwriting the winner or failing the request. The
 * backoff doubles and is jittered, so that a crowd of writers to one run (a poller, a cancel, notes) spreads out.
 */
@Component
class ConflictRetry {

    private static final int ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MILLIS = 10;

    <T> T onConflict(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (ConcurrencyFailureException lost) {
                if (attempt == ATTEMPTS) {
                    throw lost;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            // random within [base/2, base]: writers that collided must not all come back at the same moment
            long base = FIRST_BACKOFF_MILLIS << attempt;
            Thread.sleep(ThreadLocalRandom.current().nextLong(base / 2, base + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting update", interrupted);
        }
    }
}
