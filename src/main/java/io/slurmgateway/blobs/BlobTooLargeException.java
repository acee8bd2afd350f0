package io.slurmgateway.blobs;

/** An upload larger than {@code gateway.blobs.max-size}; nothing of it is kept. */
public class BlobTooLargeException extends java.io.IOException {

    public BlobTooLargeException(long maxBytes) {
        super("a blob may have at most " + maxBytes + " bytes (gateway.blobs.max-size)");
    }
}
