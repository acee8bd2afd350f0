package io.slurmgateway.blobs;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Uploads and their caches ({@code gateway.blobs.*}).
 *
 * @param dir the directory of the blob store on the gateway, one file per blob named by its digest; replicas share it
 *     (a volume every instance mounts) or each keeps the blobs uploaded to it
 * @param maxSize the largest blob: a larger upload is refused with 413 before a byte of it is stored (packed
 *     environments are hundreds of MB)
 * @param quota what all stored blobs may take together; an upload that would pass it is refused with 507
 * @param retention how long a blob that no unfinished run names is kept after it was last uploaded or named; then the
 *     sweep removes it ({@code 0s}: never)
 * @param sweepInterval how often unused blobs are looked for
 * @param localCache the cache of local runs on this machine (clusters have their own, {@code cache.*} per cluster)
 */
@Validated
@ConfigurationProperties("gateway.blobs")
public record BlobProperties(
        @DefaultValue("./data/blobs") @NotNull Path dir,
        @DefaultValue("4GB") @NotNull DataSize maxSize,
        @DefaultValue("100GB") @NotNull DataSize quota,
        @DefaultValue("7d") @NotNull Duration retention,
        @DefaultValue("1h") @NotNull Duration sweepInterval,
        @DefaultValue @NotNull LocalCache localCache) {

    /**
     * Where local runs find their packs and files.
     *
     * @param dir the cache directory on this machine
     * @param budget what the cache may take; least recently used entries that no active run needs are removed beyond
     */
    public record LocalCache(
            @DefaultValue("./data/cache") @NotNull Path dir, @DefaultValue("20GB") @NotNull DataSize budget) {}
}
