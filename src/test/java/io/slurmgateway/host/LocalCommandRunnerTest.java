package io.slurmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written on the gateway's own machine. */
class LocalCommandRunnerTest {

    @TempDir
    Path directory;

    private final LocalCommandRunner runner = new LocalCommandRunner(Duration.ofSeconds(30));

    @Test
    void anUploadStreamsMegabytesIntoAPrivateFileByteForByte() throws IOException {
        byte[] content = new byte[5 * 1024 * 1024 + 123];
        new Random(5).nextBytes(content);
        Path file = directory.resolve("blob");

        runner.upload(file.toString(), new ByteArrayInputStream(content), content.length);

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        runner.upload(file.toString(), new ByteArrayInputStream(content), 10); // the rest of a longer stream is left
        assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOf(content, 10));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void anUploadWhoseStreamEndsEarlyFailsAndLeavesNoFile() {
        Path file = directory.resolve("short");
        assertThatThrownBy(() -> runner.upload(file.toString(), new ByteArrayInputStream(new byte[100_000]), 100_001))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended after 100000 of 100001 bytes");
        assertThat(file).doesNotExist();
    }
}
