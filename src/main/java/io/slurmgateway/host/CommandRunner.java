package io.slurmgateway.host;

import java.io.IOException;

/**
 * Operations on the host where a run executes: this machine, or later a cluster's login node. Paths are strings in
 * the target host's syntax, since they may not exist on the gateway's own file system.
 */
public interface CommandRunner {

    /** Creates a directory (and its parents) readable only by the gateway's user. */
    void createDirectory(String path) throws IOException;

    /** Writes a file readable only by the gateway's user, replacing any earlier content. */
    void writeFile(String path, byte[] content, boolean executable) throws IOException;

    /** Up to {@code maxBytes} bytes of a file from {@code offset}; empty when the file is shorter or absent. */
    byte[] readFrom(String path, long offset, int maxBytes) throws IOException;
}
