package io.slurmgateway.runs;

import io.slurmgateway.pipes.PipesMessage;

/**
 * One line of a run's messages file, as the relay stores it: a protocol message (a PIPES event), or a note on a line
 * that is not one (a LOG event).
 */
public record RelayedPipesLine(PipesMessage message, String problem) {

    public static RelayedPipesLine of(PipesMessage message) {
        return new RelayedPipesLine(message, null);
    }

    public static RelayedPipesLine malformed(String problem) {
        return new RelayedPipesLine(null, problem);
    }
}
