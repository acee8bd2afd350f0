package io.slurmgateway.execution;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.runs.LogStream;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * Copies what a local run has written to stdout and stderr since the last copy into the gateway's log store, at most
 * {@code log-bytes-per-tick} per stream and tick.
 */
@Component
class LocalLogCopier {

    private final CommandRunner host;
    private final LogStore store;
    private final int readSize;
    private final long bytesPerTick;

    LocalLogCopier(CommandRunner host, LogStore store, ExecutionProperties properties) {
        this.host = host;
        this.store = store;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
    }

    /** Sets where copying resumes: after what the store already holds, so nothing is stored twice. */
    void resume(LocalRun run) {
        store.resume(run.logCursor());
    }

    /**
     * Copies new output, within this tick's budget.
     *
     * @return whether everything written so far is copied (or the size limit reached) on both streams
     */
    boolean copyNew(LocalRun run) throws IOException {
        boolean caughtUp = true;
        for (LogStream stream : LogStream.values()) {
            caughtUp &= copy(run, stream);
        }
        return caughtUp;
    }

    private boolean copy(LocalRun run, LogStream stream) throws IOException {
        LogCursor cursor = run.logCursor();
        String file = run.directory().resolve(stream.fileName()).toString();
        long copiedThisTick = 0;
        while (copiedThisTick < bytesPerTick) {
            int wanted = store.wanted(cursor, stream, readSize);
            if (wanted == 0) {
                return true;
            }
            byte[] fresh = host.readFrom(file, cursor.offset(stream), wanted);
            if (fresh.length == 0) {
                return true;
            }
            if (!store.append(cursor, stream, fresh)) {
                return false;
            }
            copiedThisTick += fresh.length;
        }
        return false;
    }
}
