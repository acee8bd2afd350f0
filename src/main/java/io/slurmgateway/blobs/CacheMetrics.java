package io.slurmgateway.blobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What one host cache costs: transfers and their bytes, unpacks and evictions, tagged with the cache's name. */
final class CacheMetrics {

    private final Counter transfers;
    private final Counter transferredBytes;
    private final Counter unpacks;
    private final Counter evictions;

    CacheMetrics(MeterRegistry registry, String cache) {
        transfers = Counter.builder("gateway.cache.transfers")
                .description("Blobs sent to a host's cache")
                .tag("cache", cache)
                .register(registry);
        transferredBytes = Counter.builder("gateway.cache.transferred.bytes")
                .description("Bytes of blobs sent to a host's cache")
                .baseUnit("bytes")
                .tag("cache", cache)
                .register(registry);
        unpacks = Counter.builder("gateway.cache.unpacks")
                .description("Environment packs unpacked in a host's cache")
                .tag("cache", cache)
                .register(registry);
        evictions = Counter.builder("gateway.cache.evictions")
                .description("Entries removed from a host's cache to keep it within its budget")
                .tag("cache", cache)
                .register(registry);
    }

    void transferred(long bytes) {
        transfers.increment();
        transferredBytes.increment(bytes);
    }

    void unpacked() {
        unpacks.increment();
    }

    void evicted(int entries) {
        evictions.increment(entries);
    }
}
