package io.slurmgateway.clusters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** The checks on files a cluster's configuration names, made when the gateway starts. */
final class SecretFiles {

    private static final Set<PosixFilePermission> SHARED = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {}

    /** A key or passphrase file: readable, and by its owner only, or anyone on the gateway host could take it. */
    static void checkSecret(String property, Path file) {
        if (file == null) {
            return;
        }
        checkReadable(property, file);
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> shared = EnumSet.copyOf(mode);
            shared.retainAll(SHARED);
            if (!shared.isEmpty()) {
                throw new IllegalStateException(property + ": " + file + " is accessible to its group or others (mode "
                        + PosixFilePermissions.toString(mode) + "); make it readable by its owner only:"
                        + " chmod 600 " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes (not one the gateway is deployed on): nothing to check
        } catch (IOException unreadable) {
            throw new IllegalStateException(property + ": the mode of " + file + " cannot be read", unreadable);
        }
    }

    static void checkReadable(String property, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException(property + ": " + file + " is not a readable file");
        }
    }
}
