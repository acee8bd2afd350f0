package io.slurmgateway.execution;

import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.security.SecurityProperties;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * How much run output each principal has stored, against {@code gateway.security.limits.max-log-bytes} (when
 * authentication is on: an unauthenticated gateway has one user). A principal's total is read from the database the
 * first time this instance stores output for it, and counted up from there; what other instances store meanwhile is
 * seen at this instance's next start, so with several instances the limit may be passed by what they store at once.
 */
@Component
public class LogQuota {

    private static final int MAX_REMEMBERED_RUNS = 100_000;

    private final RunLogService logs;
    private final RunWorkQueue queue;
    private final long limit;
    /** The principal of recent runs, so that a tick asks the database once per run; bounded, as runs never stop. */
    private final Map<UUID, String> principals =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<UUID, String>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
                    return size() > MAX_REMEMBERED_RUNS;
                }
            });

    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();

    LogQuota(RunLogService logs, RunWorkQueue queue, SecurityProperties security) {
        this.logs = logs;
        this.queue = queue;
        this.limit = security.authenticationConfigured()
                ? security.limits().maxLogBytes().toBytes()
                : 0;
    }

    /** The principal whose quota a run's output counts against; empty when there is no limit. */
    String principalOf(UUID runId) {
        return limit == 0 ? "" : principals.computeIfAbsent(runId, queue::createdBy);
    }

    /** How many more bytes the run's principal may store; {@code Long.MAX_VALUE} without a limit. */
    long room(UUID runId) {
        if (limit == 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, limit - total(principalOf(runId)).get());
    }

    void stored(UUID runId, long bytes) {
        if (limit > 0) {
            total(principalOf(runId)).addAndGet(bytes);
        }
    }

    long limit() {
        return limit;
    }

    private AtomicLong total(String principal) {
        return stored.computeIfAbsent(principal, name -> new AtomicLong(logs.storedBytesOf(name)));
    }
}
