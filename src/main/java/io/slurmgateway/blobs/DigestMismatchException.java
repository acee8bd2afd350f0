package io.slurmgateway.blobs;

/** The bytes of an upload are not the ones its digest names. */
public class DigestMismatchException extends java.io.IOException {

    private final Digest actual;

    public DigestMismatchException(Digest expected, Digest actual) {
        super("the bytes' digest is " + actual + ", not " + expected);
        this.actual = actual;
    }

    public Digest actual() {
        return actual;
    }
}
