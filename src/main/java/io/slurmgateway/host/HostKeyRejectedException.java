package io.slurmgateway.host;

import java.io.IOException;

/** The server's host key is not the one configured for it: possibly an impersonator, so nothing is sent to it. */
public class HostKeyRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    HostKeyRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
