package io.slurmgateway.slurm;

import io.slurmgateway.host.FileToWrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a run's files travel to {@code stage-and-submit.sh}: as a tar archive (POSIX ustar) on its standard input, which
 * one {@code tar -x} on the login node writes with their modes.
 */
final class StagedFiles {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final int BLOCK = 512;

    private StagedFiles() {}

    /** The archive of {@code files}: a header block and the padded content for each, then two empty blocks. */
    static byte[] frame(List<FileToWrite> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(files.stream()
                        .mapToInt(file -> file.content().length + 2 * BLOCK)
                        .sum()
                + 2 * BLOCK);
        for (FileToWrite file : files) {
            if (!NAME.matcher(file.name()).matches()
                    || file.name().equals(".")
                    || file.name().equals("..")) {
                throw new IllegalArgumentException("a staged file may not be called '" + file.name() + "'");
            }
            out.writeBytes(header(file.name(), file.executable() ? 0700 : 0600, file.content().length));
            out.writeBytes(file.content());
            out.writeBytes(new byte[(BLOCK - file.content().length % BLOCK) % BLOCK]);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static byte[] header(String name, int mode, long size) {
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, String.format("%07o", mode));
        put(header, 108, "0000000"); // uid and gid: tar -x --no-same-owner gives the files to whoever extracts
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", System.currentTimeMillis() / 1000));
        header[156] = '0'; // a regular file
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' '); // the checksum counts its own field as spaces
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** A script beside this class, read once, so that it is kept, read and tested as a script. */
    static String script(String name) {
        try (InputStream script = StagedFiles.class.getResourceAsStream(name)) {
            if (script == null) {
                throw new IllegalStateException(name + " is missing beside " + StagedFiles.class.getName());
            }
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
