package io.slurmgateway.blobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blobs and unpacked environment packs kept on one host (a cluster account's login node, or this machine), named
 * by digest, so that a run's files and environment travel to the host once and not with every run. Entries live in
 * {@code <directory>/blobs/<hex>} and {@code <directory>/packs/<hex>}, private to the host's user.
 *
 * <p>A cache hit is one command, which also marks the entries used (their mtime), since that is what the second run of
 * an environment waits for. A miss uploads to a temporary name and renames only a copy whose checksum matches, and
 * unpacks beside the final place before renaming there, so another gateway using the same directory never sees half
 * an entry. In this JVM, callers asking for the same digest at once share one transfer and one unpack.
 */
public final class HostCache {

    private static final Logger log = LoggerFactory.getLogger(HostCache.class);
    /** How much of a failed command's stderr goes into an exception. */
    private static final int EXCERPT = 1000;

    private final String name;
    private final CommandRunner runner;
    private final String configuredDirectory;
    private final long budgetBytes;
    private final List<String> unpackCommand;
    private final BlobSource source;
    private final CacheMetrics metrics;
    private final InFlight inFlight = new InFlight();
    private volatile String directory;

    /**
     * @param name the cache's name in metrics and messages, e.g. {@code rig}, {@code rig/tenant-a} or {@code local}
     * @param directory the cache's directory on the host, relative to the user's home unless absolute
     * @param budgetBytes how much the entries may take on the host's disk after {@link #trim}
     * @param unpackCommand the command that unpacks a pack instead of {@code tar}, empty for tar; its words
     *     {@code {archive}} and {@code {target}} are replaced by the archive's path and the directory it must fill,
     *     which is also its working directory
     * @param source where blobs missing on the host are read from
     */
    public HostCache(
            String name,
            CommandRunner runner,
            String directory,
            long budgetBytes,
            List<String> unpackCommand,
            BlobSource source,
            MeterRegistry meters) {
        this.name = name;
        this.runner = runner;
        this.configuredDirectory = directory;
        this.budgetBytes = budgetBytes;
        this.unpackCommand = List.copyOf(unpackCommand);
        this.source = source;
        this.metrics = new CacheMetrics(meters, name);
    }

    /**
     * The cache's absolute directory on the host, resolved on first use since that may need the host.
     *
     * @throws IOException when it resolves to the file system's root, which trimming could otherwise empty
     */
    public String directory() throws IOException {
        String resolved = directory;
        if (resolved == null) {
            synchronized (this) {
                if (directory == null) {
                    String absolute = runner.absolutePath(configuredDirectory).replaceAll("/+$", "");
                    if (absolute.isEmpty() || !absolute.startsWith("/")) {
                        throw new IOException("refusing to use '" + configuredDirectory + "' as the cache directory on "
                                + name + ": it resolves to '" + absolute + "/'");
                    }
                    directory = absolute;
                }
                resolved = directory;
            }
        }
        return resolved;
    }

    /** Where the blob {@code digest} is on the host once {@link #ensureBlobs} has returned. */
    public String blobPath(Digest digest) throws IOException {
        return directory() + "/blobs/" + digest.hex();
    }

    /**
     * Makes sure every blob is on the host, sending those that are not, and marks them all used now. Presence is
     * checked with one command for all of them.
     */
    public void ensureBlobs(Collection<Digest> digests) throws IOException {
        Map<Digest, InFlight.Claim> mine = new LinkedHashMap<>();
        List<InFlight.Claim> theirs = new ArrayList<>();
        for (Digest digest : new LinkedHashSet<>(digests)) {
            InFlight.Claim claim = inFlight.claim(blobKey(digest));
            if (claim.mine()) {
                mine.put(digest, claim);
            } else {
                theirs.add(claim);
            }
        }
        Throwable outcome = new IllegalStateException("the transfer ended without a result");
        try {
            Set<Digest> missing = mine.isEmpty() ? Set.of() : absent(CacheEntry.BLOB, mine.keySet());
            for (Map.Entry<Digest, InFlight.Claim> claim : mine.entrySet()) {
                if (missing.contains(claim.getKey())) {
                    transfer(claim.getKey());
                }
                claim.getValue().result().complete(blobPath(claim.getKey()));
            }
        } catch (IOException | RuntimeException | Error failed) {
            outcome = failed;
            throw failed;
        } finally {
            for (InFlight.Claim claim : mine.values()) {
                inFlight.release(claim, outcome);
            }
        }
        for (InFlight.Claim claim : theirs) {
            InFlight.await(claim);
        }
    }

    /**
     * The directory on the host holding the environment pack {@code digest} unpacked, with {@code activate.sh} at its
     * root; sent and unpacked first when absent. It is marked used now.
     *
     * @throws PackUnusableException when the unpacked pack has no {@code activate.sh}
     */
    public String ensurePack(Digest digest) throws IOException {
        return inFlight.once(packKey(digest), () -> {
            String pack = directory() + "/packs/" + digest.hex();
            if (absent(CacheEntry.PACK, List.of(digest)).isEmpty()) {
                log.debug("pack {} is cached on {}", digest, name);
                return pack;
            }
            ensureBlobs(List.of(digest));
            unpack(digest);
            return pack;
        });
    }

    /** What the cache holds now, oldest use first. */
    public List<CacheEntry> entries() throws IOException {
        return list(false);
    }

    /**
     * Removes the least recently used entries until the cache fits its budget, sparing those in {@code inUse} and
     * those being sent or unpacked in this JVM now; also removes temporaries a day old, which only a gateway that
     * died mid-transfer leaves.
     *
     * @param inUse every digest a run may still need, as a blob or as a pack
     * @return what was removed
     */
    public List<CacheEntry> trim(Set<Digest> inUse) throws IOException {
        List<CacheEntry> entries = list(true);
        long total = entries.stream().mapToLong(CacheEntry::bytes).sum();
        List<CacheEntry> removed = new ArrayList<>();
        for (CacheEntry entry : entries) {
            if (total <= budgetBytes) {
                break;
            }
            Digest digest = entry.digest();
            if (!inUse.contains(digest)
                    && !inFlight.isRunning(blobKey(digest))
                    && !inFlight.isRunning(packKey(digest))) {
                removed.add(entry);
                total -= entry.bytes();
            }
        }
        if (!removed.isEmpty()) {
            List<String> paths = removed.stream()
                    .map(entry -> entry.kind() + "s/" + entry.digest().hex())
                    .toList();
            succeeded(runner.execute(CacheScripts.remove(directory(), paths)), "removing entries");
            metrics.evicted(removed.size());
            log.info(
                    "evicted {} entries from the cache on {}, which now holds {} of {} bytes",
                    removed.size(),
                    name,
                    total,
                    budgetBytes);
        }
        return removed;
    }

    /** The digests among {@code digests} that are not in the cache; the others are marked used. */
    private Set<Digest> absent(String kind, Collection<Digest> digests) throws IOException {
        CommandResult result =
                succeeded(runner.execute(CacheScripts.check(directory(), kind, digests)), "checking the cache");
        Set<Digest> missing = new LinkedHashSet<>();
        result.stdoutText().lines().filter(line -> !line.isBlank()).forEach(hex -> missing.add(new Digest(hex)));
        return missing;
    }

    private void transfer(Digest digest) throws IOException {
        String token = UUID.randomUUID().toString().replace("-", "");
        long size = source.size(digest);
        try (InputStream content = source.open(digest)) {
            runner.upload(directory() + "/blobs/.tmp-" + digest.hex() + "-" + token, content, size);
        }
        metrics.transferred(size);
        CommandResult installed = runner.execute(CacheScripts.install(directory(), digest, token));
        if (installed.exitStatus() == CacheScripts.MISMATCH) {
            throw new IOException("the copy of " + digest + " on " + name + " does not match its digest");
        }
        succeeded(installed, "storing " + digest);
        log.info("sent {} ({} bytes) to the cache on {}", digest, size, name);
    }

    private void unpack(Digest digest) throws IOException {
        String token = UUID.randomUUID().toString().replace("-", "");
        String archive = blobPath(digest);
        String target = directory() + "/packs/.tmp-" + digest.hex() + "-" + token;
        List<String> command = unpackCommand.stream()
                .map(word -> word.equals("{archive}") ? archive : word.equals("{target}") ? target : word)
                .toList();
        CommandResult result = runner.execute(CacheScripts.unpack(directory(), digest, token, command));
        String how = unpackCommand.isEmpty() ? "tar" : "the unpack command";
        if (result.exitStatus() == CacheScripts.NO_ACTIVATE) {
            throw new PackUnusableException(
                    digest,
                    "the pack " + digest + " has no activate.sh at its root"
                            + (unpackCommand.isEmpty() ? "" : " after the unpack command ran"));
        }
        if (result.exitStatus() == CacheScripts.UNPACK_FAILED) {
            // the same archive fails the same way again: the run ends with tar's (or the command's) own words
            throw new PackUnusableException(
                    digest,
                    "unpacking " + digest + " on " + name + " with " + how + " failed: "
                            + excerpt(result.stderrText()));
        }
        succeeded(result, "unpacking " + digest);
        metrics.unpacked();
        log.info("unpacked {} on {} with {}", digest, name, how);
    }

    private List<CacheEntry> list(boolean sweep) throws IOException {
        CommandResult result = succeeded(runner.execute(CacheScripts.list(directory(), sweep)), "listing the cache");
        return CacheListing.parse(result.stdoutText()).stream()
                .sorted(Comparator.comparing(CacheEntry::lastUsed))
                .toList();
    }

    private CommandResult succeeded(CommandResult result, String doing) throws IOException {
        if (!result.succeeded()) {
            throw new IOException(doing + " on " + name + " failed with status " + result.exitStatus() + ": "
                    + excerpt(result.stderrText()));
        }
        return result;
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }

    private static String blobKey(Digest digest) {
        return CacheEntry.BLOB + ":" + digest.hex();
    }

    private static String packKey(Digest digest) {
        return CacheEntry.PACK + ":" + digest.hex();
    }
}
