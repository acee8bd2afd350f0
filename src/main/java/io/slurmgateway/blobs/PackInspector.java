package io.slurmgateway.blobs;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads an environment pack (a tar archive, plain, gzip or zstd) before any host unpacks it, and says what would make
 * unpacking it unsafe. A pack is unpacked on a login node as the cluster account, so an entry must never land outside
 * the directory it is unpacked into: not by its name, not through a link, not through a symlink met on the way. Device
 * files and fifos have no place in an environment either. It reads the archive once, from start to end, holding only
 * entry names.
 */
public final class PackInspector {

    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final int TAR_HEADER = 512;
    /** As Linux gives up on a path that needs more symlinks than this, so does the check. */
    private static final int MAX_SYMLINKS = 40;

    private final Map<String, String> symlinks = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    private PackInspector() {}

    /**
     * What is wrong with {@code archive}, in words that name the entry at fault; empty when it may be unpacked.
     *
     * @param requireActivate whether the archive must hold a regular file {@code activate.sh} at its root, as an
     *     environment pack does
     * @throws UncheckedIOException when reading {@code archive} itself fails; a malformed archive is a problem instead
     */
    public static Optional<String> problem(InputStream archive, boolean requireActivate) {
        SourceFailure source = new SourceFailure(archive);
        try {
            return new PackInspector().inspect(source, requireActivate);
        } catch (IOException unreadable) {
            if (source.failure != null) {
                throw new UncheckedIOException(source.failure);
            }
            return Optional.of("the archive cannot be read as a tar archive: " + unreadable.getMessage());
        }
    }

    private Optional<String> inspect(InputStream archive, boolean requireActivate) throws IOException {
        InputStream tar = decompressed(new BufferedInputStream(archive));
        tar.mark(TAR_HEADER);
        byte[] header = tar.readNBytes(TAR_HEADER);
        tar.reset();
        if (header.length < TAR_HEADER || !TarArchiveInputStream.matches(header, header.length)) {
            return Optional.of("the archive is not a tar archive (plain, gzip or zstd)");
        }
        boolean activate = false;
        TarArchiveInputStream entries = new TarArchiveInputStream(tar);
        for (TarArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
            Optional<String> problem = problemOf(entry);
            if (problem.isPresent()) {
                return problem;
            }
            String name = normalized(entry.getName());
            names.add(name);
            activate |= name.equals("activate.sh") && isRegularFile(entry);
        }
        for (String name : names) {
            Optional<String> problem = symlinkOnTheWay(name);
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (Map.Entry<String, String> link : symlinks.entrySet()) {
            if (resolve(parentOf(link.getKey()), link.getValue(), 0) == null) {
                return Optional.of("the symlink '" + link.getKey() + "' leads outside the archive or in a loop ('"
                        + link.getValue() + "')");
            }
        }
        if (requireActivate && !activate) {
            return Optional.of("the archive has no regular file activate.sh at its root");
        }
        return Optional.empty();
    }

    /** Checks an entry by itself and against the entries before it, which a hard link must name. */
    private Optional<String> problemOf(TarArchiveEntry entry) {
        String raw = entry.getName();
        if (raw.startsWith("/")) {
            return Optional.of("the entry '" + raw + "' has an absolute name");
        }
        if (Arrays.asList(raw.split("/")).contains("..")) {
            return Optional.of("the entry '" + raw + "' has a '..' in its name");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            return Optional.of("the entry '" + raw + "' is a device file");
        }
        if (entry.isFIFO()) {
            return Optional.of("the entry '" + raw + "' is a fifo");
        }
        String target = entry.getLinkName();
        if (entry.isSymbolicLink()) {
            if (target.startsWith("/")) {
                return Optional.of("the symlink '" + raw + "' has an absolute target ('" + target + "')");
            }
            symlinks.put(normalized(raw), target);
        } else if (entry.isLink()) {
            if (target.startsWith("/")
                    || Arrays.asList(target.split("/")).contains("..")
                    || !names.contains(normalized(target))) {
                return Optional.of("the hard link '" + raw + "' names '" + target
                        + "', which is not an earlier entry of the archive");
            }
        }
        return Optional.empty();
    }

    /**
     * An entry under a symlink would be written wherever the symlink points, which the check of the symlink's own
     * target does not cover, so none is accepted.
     */
    private Optional<String> symlinkOnTheWay(String name) {
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            String directory = name.substring(0, slash);
            if (symlinks.containsKey(directory)) {
                return Optional.of("the entry '" + name + "' lies under the symlink '" + directory + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * Where {@code target}, read from {@code directory}, leads inside the archive, following the archive's own
     * symlinks as the kernel would; null when it leaves the archive's root or loops.
     */
    private Deque<String> resolve(Deque<String> directory, String target, int followed) {
        if (followed > MAX_SYMLINKS || target.startsWith("/")) {
            return null;
        }
        Deque<String> path = new ArrayDeque<>(directory);
        for (String segment : target.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (path.isEmpty()) {
                    return null;
                }
                path.removeLast();
                continue;
            }
            path.addLast(segment);
            String link = symlinks.get(String.join("/", path));
            if (link != null) {
                path.removeLast();
                path = resolve(path, link, followed + 1);
                if (path == null) {
                    return null;
                }
            }
        }
        return path;
    }

    private static Deque<String> parentOf(String name) {
        Deque<String> segments = new ArrayDeque<>(List.of(name.split("/")));
        segments.removeLast();
        return segments;
    }

    /** The name without {@code ./} segments or a trailing slash, as it will be on disk relative to the root. */
    private static String normalized(String name) {
        return String.join(
                "/",
                Arrays.stream(name.split("/"))
                        .filter(segment -> !segment.isEmpty() && !segment.equals("."))
                        .toList());
    }

    /** commons-compress takes any unknown type for a file; tar writes those as files too. */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        return entry.isFile() && !entry.isSymbolicLink() && !entry.isLink() && !entry.isDirectory();
    }

    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(ZSTD.length);
        byte[] magic = in.readNBytes(ZSTD.length);
        in.reset();
        if (startsWith(magic, ZSTD)) {
            return new BufferedInputStream(new ZstdCompressorInputStream(in));
        }
        if (startsWith(magic, GZIP)) {
            return new BufferedInputStream(GzipCompressorInputStream.builder()
                    .setInputStream(in)
                    .setDecompressConcatenated(true)
                    .get());
        }
        return in;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Remembers a failure of the caller's stream, so that it is reported as the I/O error it is and not blamed on the
     * archive, which fails the same way when malformed.
     */
    private static final class SourceFailure extends FilterInputStream {

        private IOException failure;

        SourceFailure(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException failed) {
                failure = failed;
                throw failed;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException failed) {
                failure = failed;
                throw failed;
            }
        }
    }
}
