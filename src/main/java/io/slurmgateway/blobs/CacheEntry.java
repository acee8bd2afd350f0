package io.slurmgateway.blobs;

import java.time.Instant;

/**
 * One entry of a {@link HostCache}.
 *
 * @param kind {@code blob} (a file, as uploaded) or {@code pack} (an unpacked environment, a directory)
 * @param digest the digest of the blob, or of the archive the pack was unpacked from
 * @param bytes the entry's size on the host's disk
 * @param lastUsed when a caller last asked for it, which decides what is evicted first
 */
public record CacheEntry(String kind, Digest digest, long bytes, Instant lastUsed) {

    public static final String BLOB = "blob";
    public static final String PACK = "pack";
}
