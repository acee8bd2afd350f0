package io.slurmgateway.execution;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunWorkQueue;
import java.io.IOException;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Copies what a local run has written to stdout and stderr since the last copy into the gateway's log store, at most
 * {@code log-bytes-per-tick} per stream and tick, and never more than {@code max-log-size} per stream in all.
 */
@Component
class LocalLogCopier {

    private final CommandRunner host;
    private final RunLogService logs;
    private final RunWorkQueue queue;
    private final int readSize;
    private final long bytesPerTick;
    private final long maxLogSize;

    LocalLogCopier(CommandRunner host, RunLogService logs, RunWorkQueue queue, ExecutionProperties properties) {
        this.host = host;
        this.logs = logs;
        this.queue = queue;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
        this.maxLogSize = properties.maxLogSize().toBytes();
    }

    /** Sets where copying resumes: after what the store already holds, so nothing is stored twice. */
    void resume(LocalRun run) {
        for (LogStream stream : LogStream.values()) {
            run.copied(stream, logs.storedLength(run.id(), stream));
        }
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
        String file = run.directory().resolve(stream.fileName()).toString();
        long copiedThisTick = 0;
        while (copiedThisTick < bytesPerTick) {
            long offset = run.copiedBytes(stream);
            int wanted = (int) Math.min(readSize, maxLogSize - offset);
            if (wanted <= 0) {
                noteLimitOnce(run, stream);
                return true;
            }
            byte[] fresh = host.readFrom(file, offset, wanted);
            if (fresh.length == 0) {
                return true;
            }
            try {
                logs.append(run.id(), stream, offset, fresh);
            } catch (DataIntegrityViolationException alreadyStored) {
                // an earlier append committed although it reported a failure: continue after what the store holds
                resume(run);
                return false;
            }
            run.copied(stream, offset + fresh.length);
            copiedThisTick += fresh.length;
        }
        return false;
    }

    private void noteLimitOnce(LocalRun run, LogStream stream) {
        if (run.markLogLimitReached(stream)) {
            queue.note(
                    run.id(),
                    stream.name().toLowerCase(Locale.ROOT) + " reached gateway.execution.max-log-size (" + maxLogSize
                            + " bytes); the rest stays in the run's directory only");
        }
    }
}
