package io.slurmgateway.runs;

import java.util.List;

/**
 * One page of a run's events, in order.
 *
 * @param more whether events may follow the page: it is full, or was cut short by its byte limit
 */
public record EventPage(List<RunEvent> events, boolean more) {}
