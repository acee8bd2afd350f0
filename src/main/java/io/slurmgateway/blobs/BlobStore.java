package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where blobs' bytes are kept. A directory on the gateway ({@link DirectoryBlobStore}) is the one built; an object
 * store (S3 and the like) fits the same methods: {@link #store} is one streamed {@code PUT} of an object named by the
 * digest, after the bytes were checked against it on the way in (or a multipart upload, then a copy), {@link #open}
 * a {@code GET}, {@link #delete} a {@code DELETE}.
 */
public interface BlobStore extends BlobSource {

    /**
     * Streams {@code content} into the store as the blob {@code expected}, checking its digest and its size on the way:
     * nothing is kept unless all of it arrived and matched. Storing a blob that is there already is harmless.
     *
     * @param maxBytes the most bytes accepted; more fail with {@link BlobTooLargeException}
     * @throws DigestMismatchException when the bytes' SHA-256 is another digest
     * @throws IOException when reading {@code content} or writing fails (an interrupted upload); nothing is kept
     */
    void store(Digest expected, InputStream content, long maxBytes) throws IOException;

    boolean exists(Digest digest);

    /** Removes the blob; removing one that is absent is harmless. */
    void delete(Digest digest) throws IOException;

    /** The bytes all stored blobs take together. */
    long usedBytes() throws IOException;
}
