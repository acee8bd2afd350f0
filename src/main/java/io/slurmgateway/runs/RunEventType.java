package io.slurmgateway.runs;

/**
 * Kinds of run events: a state change, a Dagster Pipes message, a note from the gateway, or an address the run's
 * launcher published ({@code {"name": "sparkUi", "url": "http://…"}}).
 */
public enum RunEventType {
    STATE,
    PIPES,
    LOG,
    ENDPOINT
}
