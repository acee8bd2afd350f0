package io.slurmgateway.runs.web;

import io.slurmgateway.system.InvalidParameterException;

/** The {@code after} and {@code limit} parameters of reads that page through a run's events. */
final class EventPages {

    private EventPages() {}

    /** @throws InvalidParameterException when {@code after} is negative */
    static long after(long after) {
        if (after < 0) {
            throw new InvalidParameterException("after", "must be 0 or more");
        }
        return after;
    }

    /** The requested page size, or {@code gateway.api.max-events-per-read} when none is given. */
    static int limit(Integer limit, ApiProperties api) {
        int count = limit == null ? api.maxEventsPerRead() : limit;
        if (count < 1 || count > api.maxEventsPerRead()) {
            throw new InvalidParameterException("limit", "must be between 1 and " + api.maxEventsPerRead());
        }
        return count;
    }
}
