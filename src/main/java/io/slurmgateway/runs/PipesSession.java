package io.slurmgateway.runs;

/** What a run's Dagster Pipes messages said of its session so far. */
public enum PipesSession {
    /** No {@code opened} message yet. */
    NOT_OPENED,
    /** {@code opened} came, {@code closed} not yet. */
    OPENED,
    CLOSED
}
