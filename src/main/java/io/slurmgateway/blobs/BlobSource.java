package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.InputStream;

/** Where a cache takes a blob's bytes from the first time a host needs them: the gateway's blob store. */
public interface BlobSource {

    /** The blob's size in bytes. @throws java.nio.file.NoSuchFileException when it is not stored */
    long size(Digest digest) throws IOException;

    /** The blob's bytes, from the start; the caller closes the stream. */
    InputStream open(Digest digest) throws IOException;
}
