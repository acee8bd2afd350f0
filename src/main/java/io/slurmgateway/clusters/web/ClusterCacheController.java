package io.slurmgateway.clusters.web;

import io.slurmgateway.blobs.HostCache;
import io.slurmgateway.blobs.HostCaches;
import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** What each account of a cluster holds in its cache of packs and files: for operators (role admin). */
@RestController
@RequestMapping(path = "/api/v1/clusters", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "clusters")
class ClusterCacheController {

    /** One account's cache: where it is, its budget, and its entries, least recently used first. */
    record AccountCache(String cache, String directory, long budget, long used, List<Entry> entries) {}

    /** A blob (a run file) or an unpacked pack, with the bytes it takes and when a run last needed it. */
    record Entry(String kind, String digest, long bytes, Instant lastUsed) {}

    private final ClusterRegistry clusters;
    private final HostCaches caches;

    ClusterCacheController(ClusterRegistry clusters, HostCaches caches) {
        this.clusters = clusters;
        this.caches = caches;
    }

    @GetMapping("/{name}/cache")
    @Operation(summary = "The packs and files each account of the cluster holds in its cache (asks the cluster)")
    List<AccountCache> cache(@PathVariable String name) {
        Cluster cluster = clusters.find(name)
                .orElseThrow(() -> new InvalidParameterException("name", "must be one of " + clusters.names()));
        List<AccountCache> accounts = new ArrayList<>();
        for (ClusterAccount account : cluster.allAccounts()) {
            HostCache cache = caches.of(cluster, account);
            try {
                List<Entry> entries = cache.entries().stream()
                        .sorted(java.util.Comparator.comparing(io.slurmgateway.blobs.CacheEntry::lastUsed))
                        .map(entry ->
                                new Entry(entry.kind(), entry.digest().toString(), entry.bytes(), entry.lastUsed()))
                        .toList();
                accounts.add(new AccountCache(
                        HostCaches.name(name, account.identity()),
                        cache.directory(),
                        cluster.settings().cache().budget().toBytes(),
                        entries.stream().mapToLong(Entry::bytes).sum(),
                        entries));
            } catch (IOException unreachable) {
                throw new ResponseStatusException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "the cache of " + HostCaches.name(name, account.identity()) + " could not be read: "
                                + unreachable.getMessage(),
                        unreachable);
            }
        }
        return accounts;
    }
}
