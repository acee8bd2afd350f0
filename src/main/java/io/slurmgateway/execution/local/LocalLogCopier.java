package io.slurmgateway.execution.local;

import io.slurmgateway.execution.EndpointsCursor;
import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.LogCursor;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.execution.PipesCursor;
import io.slurmgateway.execution.PipesRelay;
import io.slurmgateway.execution.RunFiles;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.pipes.PipesProperties;
import io.slurmgateway.runs.LogStream;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Copies what a local run has written since the last copy: stdout and stderr into the gateway's log store, at most
 * {@code log-bytes-per-tick} per stream and tick, and its Dagster Pipes messages into run events, at most
 * {@code gateway.pipes.bytes-per-tick}.
 */
@Component
class LocalLogCopier {

    private final CommandRunner host;
    private final LogStore store;
    private final PipesRelay pipes;
    private final int readSize;
    private final long bytesPerTick;
    private final int pipesReadSize;
    private final long pipesBytesPerTick;

    LocalLogCopier(
            CommandRunner host,
            LogStore store,
            PipesRelay pipes,
            ExecutionProperties properties,
            PipesProperties pipesProperties) {
        this.host = host;
        this.store = store;
        this.pipes = pipes;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
        this.pipesReadSize = (int) pipesProperties.batchSize().toBytes();
        this.pipesBytesPerTick = pipesProperties.bytesPerTick().toBytes();
    }

    /** Sets where copying resumes: after what is already stored, so nothing is stored twice. */
    void resume(LocalRun run) {
        store.resume(run.logCursor());
        run.pipesCursor().ifPresent(pipes::resume);
    }

    /**
     * Copies new output and messages, within this tick's budget.
     *
     * @param ended whether the run's process has ended, so that its files are complete
     * @return whether everything written so far is copied (or the size limit reached)
     */
    boolean copyNew(LocalRun run, boolean ended) throws IOException {
        boolean caughtUp = true;
        for (LogStream stream : LogStream.values()) {
            caughtUp &= copy(run, stream);
        }
        Optional<EndpointsCursor> endpoints = run.endpoints().filter(EndpointsCursor::wantsMore);
        if (endpoints.isPresent()) {
            String file = run.directory().resolve(EndpointsCursor.FILE).toString();
            endpoints
                    .get()
                    .take(
                            host.readFrom(file, endpoints.get().offset(), EndpointsCursor.READ_SIZE),
                            (name, url) -> store.publishEndpoint(run.id(), name, url));
        }
        Optional<PipesCursor> messages = run.pipesCursor();
        if (messages.isPresent()) {
            caughtUp &= relay(run, messages.get(), ended);
        }
        return caughtUp;
    }

    private boolean copy(LocalRun run, LogStream stream) throws IOException {
        LogCursor cursor = run.logCursor();
        String file = run.directory().resolve(RunFiles.logFile(stream)).toString();
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

    private boolean relay(LocalRun run, PipesCursor cursor, boolean ended) throws IOException {
        String file = run.directory().resolve(PipesBootstrap.MESSAGES_FILE).toString();
        long readThisTick = 0;
        while (readThisTick < pipesBytesPerTick) {
            byte[] fresh = host.readFrom(file, cursor.readOffset(), pipesReadSize);
            boolean atEnd = fresh.length < pipesReadSize;
            if (!pipes.relay(cursor, fresh, ended && atEnd)) {
                return false;
            }
            if (atEnd) {
                return true;
            }
            readThisTick += fresh.length;
        }
        return false;
    }
}
