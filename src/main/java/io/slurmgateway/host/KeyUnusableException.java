package io.slurmgateway.host;

import java.io.IOException;

/** A configured private key that cannot be used: unreadable, encrypted without a passphrase, or a wrong passphrase. */
public class KeyUnusableException extends IOException {

    private static final long serialVersionUID = 1L;

    public KeyUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
