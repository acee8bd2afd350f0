package io.slurmgateway.host;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.PacketType;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * Writes a new directory with its files in two SFTP round trips instead of one per request: first the mkdir and every
 * open, sent together, then every write and close. The server handles the requests of a session in order, so the
 * opens find the directory made. This is on the path of every submission.
 *
 * <p>It applies only when nothing exists yet. When the directory or a file exists (a retried submission), it closes
 * what it opened and reports false, and the caller writes the slow way, which handles existing files.
 */
final class PipelinedSftpWrite {

    private static final int WRITE_CHUNK = 32 * 1024;

    private final SFTPEngine engine;
    private final Charset charset;
    private final long timeoutMillis;

    PipelinedSftpWrite(SFTPEngine engine, long timeoutMillis) {
        this.engine = engine;
        this.charset = engine.getSubsystem().getRemoteCharset();
        this.timeoutMillis = timeoutMillis;
    }

    /** @return false when the fast path did not apply; nothing is left half-written that a rewrite would not fix */
    boolean writeNew(String directory, int directoryMode, List<FileToWrite> files, IntModes modes) throws IOException {
        Promise<Response, SFTPException> made = engine.request(engine.newRequest(PacketType.MKDIR)
                .putString(directory, charset)
                .putFileAttributes(mode(directoryMode)));
        List<Promise<Response, SFTPException>> opens = new ArrayList<>();
        for (FileToWrite file : files) {
            opens.add(engine.request(engine.newRequest(PacketType.OPEN)
                    .putString(directory + "/" + file.name(), charset)
                    .putUInt32(OpenMode.toMask(EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL)))
                    .putFileAttributes(mode(modes.of(file)))));
        }
        boolean fresh = isOk(retrieve(made));
        List<byte[]> handles = new ArrayList<>();
        for (Promise<Response, SFTPException> open : opens) {
            Response response = retrieve(open);
            if (response.getType() == PacketType.HANDLE) {
                handles.add(response.readBytes());
            } else {
                handles.add(null);
                fresh = false;
            }
        }
        if (!fresh) {
            closeAll(handles);
            return false;
        }
        List<Promise<Response, SFTPException>> writes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            byte[] content = files.get(i).content();
            for (int offset = 0; offset < content.length; offset += WRITE_CHUNK) {
                writes.add(engine.request(engine.newRequest(PacketType.WRITE)
                        .putString(handles.get(i))
                        .putUInt64(offset)
                        .putString(content, offset, Math.min(WRITE_CHUNK, content.length - offset))));
            }
            writes.add(engine.request(engine.newRequest(PacketType.CLOSE).putString(handles.get(i))));
        }
        for (Promise<Response, SFTPException> write : writes) {
            retrieve(write).ensureStatusPacketIsOK();
        }
        return true;
    }

    /** The mode each file is created with. */
    interface IntModes {
        int of(FileToWrite file);
    }

    private void closeAll(List<byte[]> handles) throws IOException {
        List<Promise<Response, SFTPException>> closes = new ArrayList<>();
        for (byte[] handle : handles) {
            if (handle != null) {
                closes.add(engine.request(engine.newRequest(PacketType.CLOSE).putString(handle)));
            }
        }
        for (Promise<Response, SFTPException> close : closes) {
            retrieve(close);
        }
    }

    private Response retrieve(Promise<Response, SFTPException> promise) throws SFTPException {
        return promise.retrieve(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private static boolean isOk(Response response) throws SFTPException {
        return response.getType() == PacketType.STATUS && response.readStatusCode() == Response.StatusCode.OK;
    }

    private static FileAttributes mode(int mode) {
        return new FileAttributes.Builder().withPermissions(mode).build();
    }
}
