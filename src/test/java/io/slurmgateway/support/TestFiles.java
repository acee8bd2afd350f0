package io.slurmgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files as the gateway demands them. */
public final class TestFiles {

    private TestFiles() {}

    /**
     * Writes a file readable by its owner only (mode 0600), as the gateway requires of a private key or passphrase
     * file; for tests whose cluster is never reached, a placeholder in the key's place.
     */
    public static Path ownerOnly(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
