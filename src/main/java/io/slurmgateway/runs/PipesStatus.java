package io.slurmgateway.runs;

/**
 * How far a run's Dagster Pipes messages are relayed, and what they said of the session.
 *
 * @param offset how many bytes of the messages file are relayed as events; null for a run without a Pipes context
 * @param session OPENED or CLOSED once the payload said so; NOT_OPENED before; null without a Pipes context
 * @param exception the exception a {@code closed} message reported (its name and message); else null
 */
public record PipesStatus(Long offset, PipesSession session, String exception) {

    /** A run that carries no Pipes context. */
    public static final PipesStatus NONE = new PipesStatus(null, null, null);
}
