package io.slurmgateway.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@link CommandRunner} on the gateway's own machine. */
@Component
public class LocalCommandRunner implements CommandRunner {

    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_PROGRAM = PosixFilePermissions.fromString("rwx------");

    @Override
    public void createDirectory(String path) throws IOException {
        Path directory = Files.createDirectories(Path.of(path));
        Files.setPosixFilePermissions(directory, PRIVATE_DIRECTORY);
    }

    @Override
    public void writeFile(String path, byte[] content, boolean executable) throws IOException {
        Path file = Path.of(path);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, executable ? PRIVATE_PROGRAM : PRIVATE_FILE);
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
