package io.slurmgateway.blobs;

import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real host, passed through, counting the commands and uploads asked of it (round trips and transfers). */
final class CountingRunner implements CommandRunner {

    final AtomicInteger commands = new AtomicInteger();
    final AtomicInteger uploads = new AtomicInteger();
    private final CommandRunner host;

    CountingRunner(CommandRunner host) {
        this.host = host;
    }

    @Override
    public void writeDirectory(String directory, List<FileToWrite> files) throws IOException {
        host.writeDirectory(directory, files);
    }

    @Override
    public void upload(String path, InputStream content, long size) throws IOException {
        uploads.incrementAndGet();
        host.upload(path, content, size);
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
        return host.readFrom(path, offset, maxBytes);
    }

    @Override
    public CommandResult execute(List<String> argv) throws IOException {
        commands.incrementAndGet();
        return host.execute(argv);
    }

    @Override
    public CommandResult execute(List<String> argv, byte[] stdin) throws IOException {
        commands.incrementAndGet();
        return host.execute(argv, stdin);
    }

    @Override
    public String absolutePath(String path) throws IOException {
        return host.absolutePath(path);
    }
}
