package io.slurmgateway.blobs;

/** Storing an upload would take the blob store past {@code gateway.blobs.quota}; nothing of it is kept. */
public class BlobQuotaExceededException extends java.io.IOException {

    public BlobQuotaExceededException(long size, long used, long quota) {
        super("storing " + size + " bytes would take the blob store past its quota: " + used + " of " + quota
                + " bytes are used (gateway.blobs.quota); blobs no unfinished run names are removed after"
                + " gateway.blobs.retention");
    }
}
