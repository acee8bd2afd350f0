package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.LogCursor;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.execution.PipesRelay;
import io.slurmgateway.execution.RunFiles;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.pipes.PipesProperties;
import io.slurmgateway.runs.LogStream;
import io.slurmgateway.slurm.LogRead;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Copies the new output of a cluster's running jobs into the gateway's log store, and relays their new Dagster Pipes
 * messages as run events: one SSH round trip per tick for all of them, each file read from where the gateway stopped.
 * The bytes of one tick are shared out under {@code log-bytes-per-tick} and {@code gateway.pipes.bytes-per-tick}, so
 * many chatty jobs cannot make one read unbounded. Holds no state of its own: the cursors live in the jobs.
 */
@Component
class RemoteLogTailer {

    private static final Logger log = LoggerFactory.getLogger(RemoteLogTailer.class);

    private static final int SMALLEST_READ = 1024;

    private final LogStore store;
    private final PipesRelay pipes;
    private final int readSize;
    private final long bytesPerTick;
    private final long pipesBytesPerTick;

    /** One file to read this tick, and what to do with its bytes. */
    private interface Target {

        /** @return whether the file is read to its end as far as this tick goes */
        boolean accept(LogRead.Result result);
    }

    RemoteLogTailer(LogStore store, PipesRelay pipes, ExecutionProperties properties, PipesProperties pipesProperties) {
        this.store = store;
        this.pipes = pipes;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
        this.pipesBytesPerTick = pipesProperties.bytesPerTick().toBytes();
    }

    /** Sets where copying resumes: after what the gateway already stored. */
    void resume(ActiveJob job) {
        store.resume(job.logCursor());
        job.pipesCursor().ifPresent(pipes::resume);
    }

    /**
     * Copies what the jobs wrote since the last tick.
     *
     * @return the runs whose output is completely copied (or at its size limit) on both streams, and whose messages
     *     are all relayed
     */
    Set<UUID> copyNew(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        List<LogRead> reads = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        List<UUID> readers = new ArrayList<>();
        Set<UUID> caughtUp = new HashSet<>();
        int perRead = share(readSize, bytesPerTick, jobs.size() * 2L);
        int perPipesRead = share(Integer.MAX_VALUE, pipesBytesPerTick, jobs.size()); // relayed in batches
        for (ActiveJob job : jobs) {
            caughtUp.add(job.runId());
            for (LogStream stream : LogStream.values()) {
                int wanted = store.wanted(job.logCursor(), stream, perRead);
                if (wanted > 0) {
                    LogCursor cursor = job.logCursor();
                    reads.add(new LogRead(
                            job.directory() + "/" + RunFiles.logFile(stream), cursor.offset(stream), wanted));
                    targets.add(result -> store.append(cursor, stream, result.bytes())
                            && result.bytes().length < result.request().maxBytes());
                    readers.add(job.runId());
                }
            }
            job.pipesCursor().ifPresent(cursor -> {
                reads.add(new LogRead(
                        job.directory() + "/" + PipesBootstrap.MESSAGES_FILE, cursor.readOffset(), perPipesRead));
                boolean ended = job.ending() != null;
                targets.add(result -> {
                    boolean atEnd = result.bytes().length < result.request().maxBytes();
                    return pipes.relay(cursor, result.bytes(), ended && atEnd) && atEnd;
                });
                readers.add(job.runId());
            });
        }
        if (reads.isEmpty()) {
            return caughtUp;
        }
        List<LogRead.Result> results = slurm.read(reads);
        for (int i = 0; i < results.size(); i++) {
            boolean complete;
            try (MDC.MDCCloseable ignored =
                    MDC.putCloseable("runId", readers.get(i).toString())) {
                complete = targets.get(i).accept(results.get(i));
            } catch (RuntimeException failed) { // one run's failure must not hold up the others' output and outcome
                log.warn("storing what run {} wrote failed; it is read again next tick", readers.get(i), failed);
                complete = false;
            }
            if (!complete) {
                caughtUp.remove(readers.get(i)); // more may be there: read on next tick before finishing
            }
        }
        return caughtUp;
    }

    private static int share(int readSize, long bytesPerTick, long readers) {
        return (int) Math.max(SMALLEST_READ, Math.min(readSize, bytesPerTick / Math.max(1, readers)));
    }
}
