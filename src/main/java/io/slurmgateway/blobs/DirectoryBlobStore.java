package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files in a directory: {@code <dir>/sha256/<hex>}. An upload streams into {@code <dir>/incoming/} while its
 * digest is computed, and is moved into place, atomically, only once all of it arrived and matched; whatever is left in
 * {@code incoming/} by a crash is removed when the store opens.
 */
public final class DirectoryBlobStore implements BlobStore {

    private static final int BUFFER = 256 * 1024;

    private final Path blobs;
    private final Path incoming;

    public DirectoryBlobStore(Path directory) {
        this.blobs = directory.resolve("sha256");
        this.incoming = directory.resolve("incoming");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(incoming);
            try (Stream<Path> leftovers = Files.list(incoming)) {
                for (Path leftover : leftovers.toList()) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("the blob store in " + directory + " cannot be opened", failed);
        }
    }

    @Override
    public void store(Digest expected, InputStream content, long maxBytes) throws IOException {
        Path part = incoming.resolve(expected.hex() + "-" + UUID.randomUUID());
        try {
            MessageDigest sha256 = Digest.sha256();
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                for (int read; (read = content.read(buffer)) != -1; ) {
                    total += read;
                    if (total > maxBytes) {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    sha256.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
                out.flush();
                channel.force(true); // on disk before it is named: a crash never leaves a named blob half written
            }
            Digest actual = Digest.of(sha256.digest());
            if (!actual.equals(expected)) {
                throw new DigestMismatchException(expected, actual);
            }
            moveIntoPlace(part, path(expected));
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException alreadyThere) {
            if (!Files.exists(target)) {
                throw alreadyThere;
            }
            // the same bytes arrived twice at once: the first is kept
        }
    }

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    @Override
    public long size(Digest digest) throws IOException {
        return Files.size(path(digest));
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        return Files.newInputStream(path(digest));
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    @Override
    public long usedBytes() throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(blobs)) {
            for (Path file : files.toList()) {
                try {
                    total += Files.size(file);
                } catch (NoSuchFileException removedMeanwhile) {
                    // removed while it was being counted
                }
            }
        }
        return total;
    }

    private Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }
}
