package io.slurmgateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Operations on the host where a run executes: this machine, or a cluster's login node. Paths are strings in the
 * target host's syntax, since they may not exist on the gateway's own file system.
 */
public interface CommandRunner {

    /**
     * Creates a directory (and its parents) readable only by the gateway's user, and writes files into it, replacing
     * earlier content; writing the same directory twice is harmless.
     */
    void writeDirectory(String directory, List<FileToWrite> files) throws IOException;

    /**
     * Streams exactly {@code size} bytes of {@code content} into the file {@code path}, readable only by the gateway's
     * user; its directory must exist. Content of any size passes through a bounded buffer, never whole in memory. A
     * stream that ends before {@code size} bytes fails, and the partial file is removed.
     */
    void upload(String path, InputStream content, long size) throws IOException;

    /** Up to {@code maxBytes} bytes of a file from {@code offset}; empty when the file is shorter or absent. */
    byte[] readFrom(String path, long offset, int maxBytes) throws IOException;

    /**
     * Runs a program with arguments, each passed as one word however it is spelled, and waits for it within the
     * host's command timeout.
     */
    CommandResult execute(List<String> argv) throws IOException;

    /**
     * Runs a command as {@link #execute(List)} does, with {@code stdin} as its standard input (then closed), so that
     * content of any size reaches it without ever being part of a command line.
     */
    CommandResult execute(List<String> argv, byte[] stdin) throws IOException;

    /** An absolute path for {@code path} on the host; a relative one is taken from the user's home directory. */
    String absolutePath(String path) throws IOException;

    /** How the link to the host is doing; this machine is always reachable. */
    default ConnectionStatus status() {
        return ConnectionStatus.THIS_MACHINE;
    }
}
