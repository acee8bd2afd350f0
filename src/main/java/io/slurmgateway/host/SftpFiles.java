package io.slurmgateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Files written one by one over SFTP, private to the gateway's user: the slow path of staging (a retried submission
 * finds its files already there) and streamed uploads of blobs of any size.
 */
final class SftpFiles {

    static final int PRIVATE_DIRECTORY = 0700;
    static final int PRIVATE_FILE = 0600;
    static final int PRIVATE_PROGRAM = 0700;

    /**
     * The most content one SFTP write request carries, what OpenSSH's own client sends; less when the channel's packets
     * are smaller (see {@link #chunkSize}).
     */
    private static final int UPLOAD_CHUNK = 32 * 1024;

    /**
     * Write requests sent before the first is confirmed. One at a time, a transfer waits a round trip per chunk; 64 in
     * flight (2 MiB) keep a localhost or LAN link busy, as scp does, without unbounded buffering on either side.
     */
    private static final int UNCONFIRMED_WRITES = 64;

    private SftpFiles() {}

    static int modeOf(FileToWrite file) {
        return file.executable() ? PRIVATE_PROGRAM : PRIVATE_FILE;
    }

    /**
     * Creates the directory with its mode in one request, the common case; only when that fails (it exists already,
     * or its parent does not) does it look closer. Each request is a round trip, and staging is on every submission's
     * path.
     */
    static void makePrivateDirectory(SFTPClient sftp, String directory) throws IOException {
        FileAttributes privateDirectory =
                new FileAttributes.Builder().withPermissions(PRIVATE_DIRECTORY).build();
        try {
            sftp.getSFTPEngine().makeDir(directory, privateDirectory);
        } catch (SFTPException notCreated) {
            if (sftp.statExistence(directory) == null) {
                sftp.mkdirs(directory);
            }
            sftp.chmod(directory, PRIVATE_DIRECTORY);
        }
    }

    /** Writes a new file with its mode set at creation; an existing one is truncated and its mode set again. */
    static void write(SFTPClient sftp, String path, FileToWrite file) throws IOException {
        try (RemoteFile open = openPrivate(sftp, path, modeOf(file))) {
            open.write(0, file.content(), 0, file.content().length);
        }
    }

    /**
     * Streams exactly {@code size} bytes of {@code content} into a file of mode 0600, with many writes in flight so
     * that a large blob is not paced by the round trip. A stream that ends early fails, and the partial file is removed.
     */
    static void upload(SFTPClient sftp, String path, InputStream content, long size) throws IOException {
        try {
            try (RemoteFile open = openPrivate(sftp, path, PRIVATE_FILE);
                    OutputStream out = open.new RemoteFileOutputStream(0, UNCONFIRMED_WRITES)) {
                ExactCopy.copy(content, out, size, chunkSize(sftp, open), path);
            }
        } catch (IOException failed) {
            removeQuietly(sftp, path, failed);
            throw failed;
        }
    }

    /**
     * As much content as one SSH packet of the channel carries with the SFTP request around it: a write even slightly
     * larger is sent as a full packet and a nearly empty one, twice the packets for the same bytes.
     */
    private static int chunkSize(SFTPClient sftp, RemoteFile file) {
        int fits = sftp.getSFTPEngine().getSubsystem().getRemoteMaxPacketSize() - file.getOutgoingPacketOverhead();
        return Math.max(4096, Math.min(UPLOAD_CHUNK, fits));
    }

    /**
     * Opens a file for writing with {@code mode}. The mode given at open applies only to a file that does not exist
     * yet, the common case, so only an existing file costs a second request to set it.
     */
    private static RemoteFile openPrivate(SFTPClient sftp, String path, int mode) throws IOException {
        FileAttributes attributes =
                new FileAttributes.Builder().withPermissions(mode).build();
        try {
            return sftp.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), attributes);
        } catch (SFTPException exists) {
            RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC), attributes);
            sftp.chmod(path, mode);
            return file;
        }
    }

    private static void removeQuietly(SFTPClient sftp, String path, IOException cause) {
        try {
            sftp.rm(path);
        } catch (IOException notRemoved) {
            cause.addSuppressed(notRemoved);
        }
    }
}
