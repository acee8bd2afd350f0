package io.slurmgateway.blobs.web;

import io.slurmgateway.blobs.BlobInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A stored blob: its digest, size, when it was stored and when it was last uploaded or named by a run. */
record BlobResponse(
        @Schema(example = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String digest,
        long size,
        Instant storedAt,
        Instant lastUsedAt) {

    static BlobResponse of(BlobInfo blob) {
        return new BlobResponse(blob.digest().toString(), blob.size(), blob.storedAt(), blob.lastUsedAt());
    }
}
