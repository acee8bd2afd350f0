package io.slurmgateway.runs;

/** Kinds of run events: a state change, a Dagster Pipes message, or a note from the gateway. */
public enum RunEventType {
    STATE,
    PIPES,
    LOG
}
