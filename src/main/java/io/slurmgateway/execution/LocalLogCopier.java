package io.slurmgateway.execution;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import java.io.IOException;
import org.springframework.stereotype.Component;

/** Copies what a local run has written to stdout and stderr since the last copy into the gateway's log store. */
@Component
class LocalLogCopier {

    private final CommandRunner host;
    private final RunLogService logs;
    private final int readSize;
    private final long bytesPerTick;

    LocalLogCopier(CommandRunner host, RunLogService logs, ExecutionProperties properties) {
        this.host = host;
        this.logs = logs;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
    }

    /** Sets where copying resumes: after what the store already holds, so nothing is stored twice. */
    void resume(LocalRun run) {
        for (LogStream stream : LogStream.values()) {
            run.copied(stream, logs.storedLength(run.id(), stream));
        }
    }

    /** Copies new output, at most the per-tick budget of each stream. */
    void copyNew(LocalRun run) throws IOException {
        for (LogStream stream : LogStream.values()) {
            copy(run, stream, bytesPerTick);
        }
    }

    /** Copies everything that is left, once the process has ended. */
    void drain(LocalRun run) throws IOException {
        for (LogStream stream : LogStream.values()) {
            copy(run, stream, Long.MAX_VALUE);
        }
    }

    private void copy(LocalRun run, LogStream stream, long budget) throws IOException {
        String file = run.directory().resolve(stream.fileName()).toString();
        long copiedThisTime = 0;
        while (copiedThisTime < budget) {
            long offset = run.copiedBytes(stream);
            byte[] fresh = host.readFrom(file, offset, readSize);
            if (fresh.length == 0) {
                return;
            }
            logs.append(run.id(), stream, offset, fresh);
            run.copied(stream, offset + fresh.length);
            copiedThisTime += fresh.length;
        }
    }
}
