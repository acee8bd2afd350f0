package io.slurmgateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** {@link CommandRunner} on the gateway's own machine. */
@Component
public class LocalCommandRunner implements CommandRunner {

    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_PROGRAM = PosixFilePermissions.fromString("rwx------");

    private static final int UPLOAD_CHUNK = 64 * 1024;

    private final Duration commandTimeout;

    /** The runner the gateway's own work uses, bounded by {@code gateway.host.local-command-timeout}. */
    @Autowired
    public LocalCommandRunner(HostProperties properties) {
        this(properties.localCommandTimeout());
    }

    /** A runner whose commands are killed once they have run for {@code commandTimeout}. */
    public LocalCommandRunner(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    public String absolutePath(String path) {
        return Path.of(System.getProperty("user.home"))
                .resolve(path)
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    @Override
    public CommandResult execute(List<String> argv) throws IOException {
        return execute(argv, null);
    }

    @Override
    public CommandResult execute(List<String> argv, byte[] stdin) throws IOException {
        Path stdout = Files.createTempFile("gateway-command-", ".out");
        Path stderr = Files.createTempFile("gateway-command-", ".err");
        Path input = stdin == null ? null : Files.write(Files.createTempFile("gateway-command-", ".in"), stdin);
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectInput(
                            input == null
                                    ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                                    : ProcessBuilder.Redirect.from(input.toFile()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandTimeoutException(String.join(" ", argv), commandTimeout);
            }
            return new CommandResult(process.exitValue(), Files.readAllBytes(stdout), Files.readAllBytes(stderr));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), interrupted);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            if (input != null) {
                Files.deleteIfExists(input);
            }
        }
    }

    @Override
    public void writeDirectory(String directory, List<FileToWrite> files) throws IOException {
        Path created = Files.createDirectories(Path.of(directory));
        Files.setPosixFilePermissions(created, PRIVATE_DIRECTORY);
        for (FileToWrite file : files) {
            Path written = Files.write(created.resolve(file.name()), file.content());
            Files.setPosixFilePermissions(written, file.executable() ? PRIVATE_PROGRAM : PRIVATE_FILE);
        }
    }

    @Override
    public void upload(String path, InputStream content, long size) throws IOException {
        Path file = Path.of(path);
        Set<StandardOpenOption> options =
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try (OutputStream out = Channels.newOutputStream(
                Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(PRIVATE_FILE)))) {
            Files.setPosixFilePermissions(file, PRIVATE_FILE); // the attribute applies only to a new file
            ExactCopy.copy(content, out, size, UPLOAD_CHUNK, path);
        } catch (IOException failed) {
            Files.deleteIfExists(file);
            throw failed;
        }
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(maxBytes, channel.size() - offset)));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // read until the snapshot size is reached; a short read only means the file is being written
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException absent) {
            return new byte[0];
        }
    }
}
