package io.slurmgateway.blobs;

import java.time.Instant;

/** A stored blob as its owners see it. */
public record BlobInfo(Digest digest, long size, Instant storedAt, Instant lastUsedAt) {}
