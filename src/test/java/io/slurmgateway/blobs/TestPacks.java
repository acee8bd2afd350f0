package io.slurmgateway.blobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Archives built in memory for tests, entry by entry, including the kinds no honest pack holds; {@link
 * io.slurmgateway.support.Packs} builds its packs with them too.
 */
public final class TestPacks {

    public enum Compression {
        PLAIN,
        GZIP,
        ZSTD
    }

    /** One entry: its name, tar type flag, link target (for links) and content (for files). */
    public record Entry(String name, byte type, String link, byte[] content) {}

    private TestPacks() {}

    public static Entry file(String name, String content) {
        return new Entry(name, TarConstants.LF_NORMAL, "", content.getBytes(StandardCharsets.UTF_8));
    }

    public static Entry directory(String name) {
        return new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, "", new byte[0]);
    }

    public static Entry symlink(String name, String target) {
        return new Entry(name, TarConstants.LF_SYMLINK, target, new byte[0]);
    }

    public static Entry hardLink(String name, String target) {
        return new Entry(name, TarConstants.LF_LINK, target, new byte[0]);
    }

    public static Entry special(String name, byte type) {
        return new Entry(name, type, "", new byte[0]);
    }

    /** An environment pack: activate.sh and a script beside it. */
    public static byte[] environment(Compression compression, String marker) {
        return tar(
                compression,
                file("activate.sh", "export PACK_MARKER=" + marker + "\n"),
                directory("bin"),
                file("bin/tool", "#!/bin/sh\necho tool\n"),
                symlink("bin/tool-link", "tool"));
    }

    public static byte[] tar(Compression compression, Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = compress(compression, bytes);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                TarArchiveEntry header = new TarArchiveEntry(entry.name(), entry.type(), true);
                header.setLinkName(entry.link());
                header.setSize(entry.content().length);
                header.setMode(entry.type() == TarConstants.LF_DIR ? 0755 : 0644);
                tar.putArchiveEntry(header);
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    public static Digest digestOf(byte[] content) {
        return Digest.ofContent(content);
    }

    private static OutputStream compress(Compression compression, OutputStream out) throws IOException {
        return switch (compression) {
            case PLAIN -> out;
            case GZIP -> new GzipCompressorOutputStream(out);
            case ZSTD -> new ZstdCompressorOutputStream(out);
        };
    }
}
