package io.slurmgateway.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * {@link CommandRunner} on a cluster's login node, over the cluster's {@link SshConnectionPool}. Commands are sent as
 * a {@link RemoteCommandLine}: through {@code /bin/sh} whatever the login shell, under {@code timeout} on the cluster,
 * and with their output framed so that a profile's banners are dropped; files travel by SFTP.
 */
public final class SshCommandRunner implements CommandRunner, AutoCloseable {

    private final String cluster;
    private final SshConnectionPool pool;
    private final Duration commandTimeout;
    private final long maxOutputBytes;
    private final ExecutorService readers;
    private final String outputLimitProperty;

    /**
     * @param cluster the name of the cluster whose login node this runs on, for messages and logs
     * @param readers runs the threads that read commands' output, two per command while it runs; shared, bounded (see
     *     {@link #outputReaders}) and shut down by its owner
     */
    public SshCommandRunner(String cluster, SshSettings settings, ExecutorService readers) {
        this.cluster = cluster;
        this.pool = new SshConnectionPool(cluster, settings);
        this.commandTimeout = settings.commandTimeout();
        this.maxOutputBytes = settings.maxCommandOutputBytes();
        this.readers = readers;
        this.outputLimitProperty = settings.propertyPrefix() + ".max-command-output";
    }

    /**
     * The threads that read commands' output, at most {@code cap} at once (two per running command), made as they are
     * needed and ended after a minute idle. A command finding none free fails at once rather than waiting: its output
     * would not be read meanwhile. A command that overruns keeps its readers only until it is killed on the cluster
     * ({@code timeout}) or its connection is found dead, so hung commands cannot take threads without limit.
     */
    public static ExecutorService outputReaders(int cap) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, cap, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "ssh-output-reader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String cluster() {
        return cluster;
    }

    /** How many SSH connections this runner has opened so far. */
    public long connectionsOpened() {
        return pool.connectionsOpened();
    }

    @Override
    public ConnectionStatus status() {
        return pool.status();
    }

    @Override
    public CommandResult execute(List<String> argv) throws IOException {
        return execute(argv, null);
    }

    @Override
    public CommandResult execute(List<String> argv, byte[] stdin) throws IOException {
        RemoteCommandLine line = RemoteCommandLine.of(argv, commandTimeout);
        return pool.withClient(client -> run(client, argv.get(0), line, stdin));
    }

    @Override
    public String absolutePath(String path) throws IOException {
        if (path.startsWith("/")) {
            return path;
        }
        return pool.withClient(client -> {
            try (SFTPClient sftp = client.newSFTPClient()) {
                return sftp.canonicalize(".") + "/" + path;
            }
        });
    }

    @Override
    public void writeDirectory(String directory, List<FileToWrite> files) throws IOException {
        pool.withClient(client -> {
            try (SFTPClient sftp = client.newSFTPClient()) {
                if (new PipelinedSftpWrite(sftp.getSFTPEngine(), commandTimeout.toMillis())
                        .writeNew(directory, SftpFiles.PRIVATE_DIRECTORY, files, SftpFiles::modeOf)) {
                    return null;
                }
                SftpFiles.makePrivateDirectory(sftp, directory);
                for (FileToWrite file : files) {
                    SftpFiles.write(sftp, directory + "/" + file.name(), file);
                }
            }
            return null;
        });
    }

    @Override
    public void upload(String path, InputStream content, long size) throws IOException {
        pool.withClient(client -> {
            try (SFTPClient sftp = client.newSFTPClient()) {
                SftpFiles.upload(sftp, path, content, size);
            }
            return null;
        });
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
        return pool.withClient(client -> {
            try (SFTPClient sftp = client.newSFTPClient();
                    RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[Math.min(maxBytes, 32 * 1024)];
                while (out.size() < maxBytes) {
                    int read =
                            file.read(offset + out.size(), buffer, 0, Math.min(buffer.length, maxBytes - out.size()));
                    if (read <= 0) {
                        break;
                    }
                    out.write(buffer, 0, read);
                }
                return out.toByteArray();
            } catch (SFTPException failed) {
                if (failed.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                    return new byte[0];
                }
                throw failed;
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Runs one command and returns at the latest when {@code command-timeout} has passed: the output is read on other
     * threads, and a command that overruns has its channel closed in the background (closing waits for the server,
     * which a hung link never answers), so the caller is never held longer.
     */
    private CommandResult run(SSHClient client, String program, RemoteCommandLine line, byte[] stdin)
            throws IOException {
        long deadline = System.nanoTime() + commandTimeout.toNanos();
        Session session = client.startSession();
        boolean answered = false;
        try {
            Session.Command command = session.exec(line.line());
            Future<byte[]> stdout = read(command.getInputStream(), program);
            Future<byte[]> stderr = read(command.getErrorStream(), program);
            if (stdin != null) { // written while the readers drain the output, so neither side can block the other
                try (java.io.OutputStream in = command.getOutputStream()) {
                    in.write(stdin);
                }
            }
            byte[] out = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
            byte[] errors = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS);
            command.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
            Integer status = command.getExitStatus();
            if (status == null) {
                throw new IOException(program + " on cluster '" + cluster + "' ended without an exit status"
                        + (command.getExitSignal() == null ? "" : " (signal " + command.getExitSignal() + ")"));
            }
            answered = true;
            return line.unframe(program, cluster, status, out, errors);
        } catch (TimeoutException overran) {
            throw new CommandTimeoutException(program, commandTimeout);
        } catch (ConnectionException late) {
            if (remaining(deadline) == 0) { // join and channel requests give up with this at their timeout
                throw new CommandTimeoutException(program, commandTimeout);
            }
            throw late;
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof IOException io
                    ? io
                    : new IOException("reading the output of " + program + " failed", failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program, interrupted);
        } finally {
            if (answered) {
                session.close();
            } else {
                closeInBackground(session);
            }
        }
    }

    private Future<byte[]> read(InputStream in, String program) throws IOException {
        try {
            return readers.submit(() -> readAll(in, program));
        } catch (RejectedExecutionException full) {
            throw new IOException("no thread is free to read the output of " + program + " on cluster '" + cluster
                    + "': all output readers (" + HostProperties.SSH_OUTPUT_READERS
                    + ") are busy with commands that are running or hung");
        }
    }

    /** Closing waits for the server, which a hung link never answers; only when no reader is free does the caller. */
    private void closeInBackground(Session session) {
        try {
            readers.execute(() -> closeQuietly(session));
        } catch (RejectedExecutionException full) {
            closeQuietly(session);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is abandoned either way; a broken link is noticed by the keep-alive
        }
    }

    private byte[] readAll(InputStream in, String program) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int read; (read = in.read(buffer)) > 0; ) {
            if (out.size() + read > maxOutputBytes) {
                throw new IOException(
                        program + " wrote more than " + maxOutputBytes + " bytes (" + outputLimitProperty + ")");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
