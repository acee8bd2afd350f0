package io.slurmgateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The copy of an upload, on this machine and over SFTP alike: exactly the bytes announced, through a bounded buffer. */
final class ExactCopy {

    private ExactCopy() {}

    /**
     * Copies exactly {@code size} bytes of {@code content} to {@code out}, {@code chunk} bytes at a time at most.
     *
     * @throws IOException when {@code content} ends first, naming {@code path}
     */
    static void copy(InputStream content, OutputStream out, long size, int chunk, String path) throws IOException {
        byte[] buffer = new byte[chunk];
        for (long left = size; left > 0; ) {
            int read = content.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
            if (read == 0) {
                throw new IOException(
                        "the content for " + path + " ended after " + (size - left) + " of " + size + " bytes");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }
}
