package io.slurmgateway.host;

import java.io.IOException;
import java.time.Duration;

/** A command ran longer than its timeout and was abandoned; whether it had an effect is unknown. */
public class CommandTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    public CommandTimeoutException(String command, Duration timeout) {
        super("'" + command + "' did not finish within " + timeout.toMillis() + " ms and was abandoned");
    }
}
