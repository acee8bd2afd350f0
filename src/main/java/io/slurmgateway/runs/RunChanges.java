package io.slurmgateway.runs;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells whoever watches a run that something of it was committed in this instance: a state change, a note, relayed
 * Pipes messages or stored output. Watchers then read what is new, instead of asking the database on every tick
 * whether anything is. A change written by another instance is not seen here; watchers that must see those recheck
 * now and then.
 */
@Component
public class RunChanges {

    private static final Logger log = LoggerFactory.getLogger(RunChanges.class);

    /** Stops a watch; closing twice is harmless. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<UUID, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    /**
     * Calls {@code onChange} after every commit that changes the run, on the committing thread, until the watch is
     * closed. It must be quick and must not throw: it is meant to schedule work, not to do it.
     */
    public Watch watch(UUID runId, Runnable onChange) {
        // added inside compute, so that a watch closed meanwhile cannot remove the set this one joins
        watchers.compute(runId, (id, set) -> {
            Set<Runnable> joined = set == null ? ConcurrentHashMap.newKeySet() : set;
            joined.add(onChange);
            return joined;
        });
        return () -> watchers.computeIfPresent(runId, (id, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many runs are watched now. */
    public int watchedRuns() {
        return watchers.size();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RunStateChanged change) {
        changed(change.runId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RunNoted note) {
        changed(note.runId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RunEndpointPublished published) {
        changed(published.runId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(PipesLinesRelayed relayed) {
        changed(relayed.runId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RunOutputStored stored) {
        changed(stored.runId());
    }

    private void changed(UUID runId) {
        Set<Runnable> set = watchers.get(runId);
        if (set == null) {
            return;
        }
        for (Runnable onChange : set) {
            try {
                onChange.run();
            } catch (RuntimeException failed) {
                // a watcher's failure must not fail the commit that is already done, nor the other watchers
                log.warn("a watcher of run {} failed", runId, failed);
            }
        }
    }
}
