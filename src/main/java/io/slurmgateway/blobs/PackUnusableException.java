package io.slurmgateway.blobs;

import java.io.IOException;

/**
 * An environment pack that unpacked but cannot serve as one, for instance because it has no {@code activate.sh} at its
 * root. Trying again does not help: the pack is named by its content, which stays the same.
 */
public class PackUnusableException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Digest digest;

    public PackUnusableException(Digest digest, String message) {
        super(message);
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
