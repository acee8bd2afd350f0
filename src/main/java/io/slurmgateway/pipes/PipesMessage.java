package io.slurmgateway.pipes;

import java.util.Set;

/**
 * One message from a job's messages file that follows the protocol.
 *
 * @param json the message exactly as the job wrote it, without its line end
 * @param method the protocol method the message names
 * @param exception for a {@code closed} message that carries an exception: its name and message; null otherwise
 */
public record PipesMessage(String json, String method, String exception) {

    public static final String OPENED = "opened";
    public static final String CLOSED = "closed";
    public static final String MATERIALIZATION = "report_asset_materialization";
    public static final String ASSET_CHECK = "report_asset_check";

    /** The methods of protocol version 0.1. A message naming another is relayed all the same, for Dagster to judge. */
    private static final Set<String> KNOWN_METHODS =
            Set.of(OPENED, CLOSED, "log", MATERIALIZATION, ASSET_CHECK, "report_custom_message", "log_external_stream");

    /** The method when the protocol defines it, else null: only known methods are indexed, never arbitrary text. */
    public String knownMethod() {
        return KNOWN_METHODS.contains(method) ? method : null;
    }
}
