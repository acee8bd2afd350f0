package io.slurmgateway.blobs;

import static io.slurmgateway.blobs.TestPacks.file;
import static io.slurmgateway.blobs.TestPacks.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.blobs.TestPacks.Compression;
import io.slurmgateway.host.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's cache over a real host: this machine ({@link HostCacheOverLocalTest}) and a login over SSH to the embedded
 * server, whose commands run on this machine too ({@link HostCacheOverSshTest}), so the tests look at the files.
 */
abstract class HostCacheTest {

    private static final long LARGE_BUDGET = 1L << 40;

    @TempDir
    Path home;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MemoryBlobs blobs = new MemoryBlobs();
    private CountingRunner runner;

    /** The host under test; asked for once the subclass has set it up. */
    abstract CommandRunner host() throws Exception;

    @Test
    void theFirstUseSendsAndUnpacksAPackAndTheSecondIsOneCommandWithoutTransfer() throws Exception {
        byte[] pack = TestPacks.environment(Compression.GZIP, "first");
        Digest digest = blobs.add(pack);
        HostCache cache = cache(LARGE_BUDGET, List.of());

        String path = cache.ensurePack(digest);

        assertThat(path).isEqualTo(cacheDirectory() + "/packs/" + digest.hex());
        assertThat(Files.readString(Path.of(path, "activate.sh"))).isEqualTo("export PACK_MARKER=first\n");
        assertThat(Path.of(path, "bin/tool-link")).isSymbolicLink();
        assertThat(counter("gateway.cache.transfers")).isEqualTo(1);
        assertThat(counter("gateway.cache.transferred.bytes")).isEqualTo(pack.length);
        assertThat(counter("gateway.cache.unpacks")).isEqualTo(1);
        assertThat(Path.of(cache.blobPath(digest)))
                .as("the unpacked pack is the entry")
                .doesNotExist();
        for (Path directory : List.of(cacheDirectory(), cacheDirectory().resolve("blobs"), Path.of(path))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .isEqualTo("rwx------");
        }

        FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(3)));
        Files.setLastModifiedTime(Path.of(path), longAgo);
        int commandsBefore = runner.commands.get();
        assertThat(cache.ensurePack(digest)).isEqualTo(path);

        assertThat(runner.commands.get()).as("round trips of a cached pack").isEqualTo(commandsBefore + 1);
        assertThat(runner.uploads).hasValue(1);
        assertThat(counter("gateway.cache.transfers")).isEqualTo(1);
        assertThat(counter("gateway.cache.unpacks")).isEqualTo(1);
        assertThat(Files.getLastModifiedTime(Path.of(path))).as("marked used").isGreaterThan(longAgo);
    }

    @Test
    void plainAndZstdPacksUnpackToo() throws Exception {
        HostCache cache = cache(LARGE_BUDGET, List.of());
        for (Compression compression : List.of(Compression.PLAIN, Compression.ZSTD)) {
            Digest digest = blobs.add(TestPacks.environment(compression, compression.name()));
            assertThat(Path.of(cache.ensurePack(digest), "activate.sh"))
                    .hasContent("export PACK_MARKER=" + compression.name());
        }
    }

    @Test
    void tenCallersAskingForANewPackAtOnceShareOneTransferAndOneUnpack() throws Exception {
        Digest digest = blobs.add(TestPacks.environment(Compression.ZSTD, "shared"));
        HostCache cache = cache(LARGE_BUDGET, List.of());
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            CyclicBarrier together = new CyclicBarrier(10);
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(callers.submit(() -> {
                    together.await();
                    return cache.ensurePack(digest);
                }));
            }
            for (Future<String> call : calls) {
                assertThat(call.get()).isEqualTo(cacheDirectory() + "/packs/" + digest.hex());
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(counter("gateway.cache.transfers")).isEqualTo(1);
        assertThat(counter("gateway.cache.unpacks")).isEqualTo(1);
        assertThat(runner.uploads).hasValue(1);
    }

    @Test
    void blobsAreCheckedTogetherInOneCommandAndSentOnlyWhenMissing() throws Exception {
        List<byte[]> contents = List.of(randomBytes(1, 70_000), randomBytes(2, 0), randomBytes(3, 300_000));
        List<Digest> digests = contents.stream().map(blobs::add).toList();
        HostCache cache = cache(LARGE_BUDGET, List.of());

        cache.ensureBlobs(digests);

        for (int i = 0; i < digests.size(); i++) {
            Path blob = Path.of(cache.blobPath(digests.get(i)));
            assertThat(Files.readAllBytes(blob)).isEqualTo(contents.get(i));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)))
                    .isEqualTo("rw-------");
        }
        assertThat(runner.uploads).hasValue(3);
        assertThat(counter("gateway.cache.transferred.bytes")).isEqualTo(370_000);

        int commandsBefore = runner.commands.get();
        cache.ensureBlobs(digests);
        assertThat(runner.commands.get()).isEqualTo(commandsBefore + 1);
        assertThat(runner.uploads).hasValue(3);
    }

    @Test
    void aCopyThatDoesNotMatchItsDigestIsRefusedAndLeavesNothing() throws Exception {
        byte[] real = randomBytes(4, 50_000);
        Digest digest = TestPacks.digestOf(real);
        byte[] damaged = real.clone();
        damaged[25_000] ^= 1;
        blobs.putDamaged(digest, damaged);
        HostCache cache = cache(LARGE_BUDGET, List.of());

        assertThatThrownBy(() -> cache.ensureBlobs(List.of(digest)))
                .isInstanceOf(IOException.class)
                .hasMessage("the copy of " + digest + " on test does not match its digest");
        assertThatThrownBy(() -> cache.ensurePack(digest))
                .hasMessage("the copy of " + digest + " on test does not match its digest");
        assertThat(names("blobs")).isEmpty();
        assertThat(names("packs")).isEmpty();
    }

    @Test
    void aPackWithoutActivateIsUnusableAndLeavesNoPackNorTemporary() throws Exception {
        Digest digest = blobs.add(tar(Compression.GZIP, file("bin/activate.sh", "export X=1\n")));
        HostCache cache = cache(LARGE_BUDGET, List.of());

        assertThatThrownBy(() -> cache.ensurePack(digest))
                .isInstanceOf(PackUnusableException.class)
                .hasMessage("the pack " + digest + " has no activate.sh at its root");
        assertThat(names("packs")).isEmpty();
        assertThat(names("blobs")).containsExactly(digest.hex());
    }

    @Test
    void anArchiveTarCannotReadFailsWithWhatTarSaid() throws Exception {
        Digest digest = blobs.add(randomBytes(5, 10_000));
        HostCache cache = cache(LARGE_BUDGET, List.of());

        assertThatThrownBy(() -> cache.ensurePack(digest))
                .isInstanceOf(PackUnusableException.class) // not retried: the same archive fails the same way
                .hasMessageStartingWith("unpacking " + digest + " on test with tar failed: tar: ")
                .hasMessageContaining("does not look like a tar archive");
        assertThat(names("packs")).isEmpty();
    }

    @Test
    void aConfiguredUnpackCommandTakesTheArchiveAndFillsTheTarget() throws Exception {
        Digest digest = blobs.add(tar(Compression.PLAIN, file("lib/data.txt", "payload\n")));
        HostCache cache = cache(
                LARGE_BUDGET,
                List.of(
                        "/bin/sh",
                        "-c",
                        "tar -xf \"$1\" -C \"$2\" && echo 'export X=1' > \"$2/activate.sh\"",
                        "sh",
                        "{archive}",
                        "{target}"));

        String path = cache.ensurePack(digest);

        assertThat(Path.of(path, "activate.sh")).hasContent("export X=1");
        assertThat(Path.of(path, "lib/data.txt")).hasContent("payload");
        assertThat(names("packs")).containsExactly(digest.hex());
        assertThat(names("blobs")).isEmpty();
    }

    @Test
    void trimEvictsTheLeastRecentlyUsedEntriesNotInUseUntilWithinBudget() throws Exception {
        HostCache cache = cache(250_000, List.of());
        Digest pack = blobs.add(TestPacks.environment(Compression.GZIP, "old"));
        List<Digest> blobDigests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blobDigests.add(blobs.add(randomBytes(10 + i, 100_000)));
        }
        cache.ensurePack(pack);
        cache.ensureBlobs(blobDigests);
        Instant now = Instant.now();
        Files.setLastModifiedTime(Path.of(cacheDirectory() + "/packs/" + pack.hex()), hoursAgo(now, 5));
        for (int i = 0; i < 4; i++) { // oldest first: A (in use), B, C, D
            Files.setLastModifiedTime(Path.of(cache.blobPath(blobDigests.get(i))), hoursAgo(now, 4 - i));
        }

        List<CacheEntry> entries = cache.entries();
        List<Digest> oldestFirst = new ArrayList<>(List.of(pack));
        oldestFirst.addAll(blobDigests);
        assertThat(entries).extracting(CacheEntry::digest).containsExactlyElementsOf(oldestFirst);
        assertThat(entries.get(0).kind()).isEqualTo("pack");
        assertThat(entries.get(0).bytes()).isPositive();
        assertThat(entries.get(1))
                .isEqualTo(new CacheEntry(
                        "blob", blobDigests.get(0), 100_000, hoursAgo(now, 4).toInstant()));

        List<CacheEntry> removed = cache.trim(Set.of(blobDigests.get(0)));

        assertThat(removed)
                .extracting(CacheEntry::kind, CacheEntry::digest)
                .containsExactly(
                        tuple("pack", pack), tuple("blob", blobDigests.get(1)), tuple("blob", blobDigests.get(2)));
        assertThat(names("packs")).isEmpty();
        assertThat(names("blobs"))
                .containsExactlyInAnyOrder(
                        blobDigests.get(0).hex(), blobDigests.get(3).hex());
        assertThat(counter("gateway.cache.evictions")).isEqualTo(3);
        assertThat(cache.trim(Set.of())).as("within budget now").isEmpty();
    }

    @Test
    void theFileSystemRootIsNeverACacheDirectory() throws Exception {
        for (String root : List.of("/", "//")) {
            HostCache cache = new HostCache("test", host(), root, 0, List.of(), blobs, meters);
            assertThatThrownBy(cache::directory)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("refusing to use '" + root + "' as the cache directory on test");
        }
    }

    private HostCache cache(long budget, List<String> unpackCommand) throws Exception {
        if (runner == null) {
            runner = new CountingRunner(host());
        }
        return new HostCache("test", runner, cacheDirectory().toString(), budget, unpackCommand, blobs, meters);
    }

    private Path cacheDirectory() {
        return home.resolve("cache");
    }

    /** The names in a directory of the cache, temporaries included. */
    private List<String> names(String subdirectory) throws IOException {
        try (Stream<Path> names = Files.list(cacheDirectory().resolve(subdirectory))) {
            return names.map(path -> path.getFileName().toString()).toList();
        }
    }

    private double counter(String name) {
        return meters.get(name).tag("cache", "test").counter().count();
    }

    private static FileTime hoursAgo(Instant now, int hours) {
        return FileTime.from(now.minus(Duration.ofHours(hours)));
    }

    private static byte[] randomBytes(int seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
