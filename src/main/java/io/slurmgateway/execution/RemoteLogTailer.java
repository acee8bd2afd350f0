package io.slurmgateway.execution;

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

/**
 * Copies the new output of a cluster's running jobs into the gateway's log store: one SSH round trip per tick for
 * all of them, each stream read from where the store ends. The bytes of one tick are shared out under
 * {@code log-bytes-per-tick}, so many chatty jobs cannot make one read unbounded.
 */
final class RemoteLogTailer {

    private static final int SMALLEST_READ = 1024;

    private final LogStore store;
    private final int readSize;
    private final long bytesPerTick;

    RemoteLogTailer(LogStore store, ExecutionProperties properties) {
        this.store = store;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
    }

    /** Sets where copying resumes: after what the store already holds. */
    void resume(ActiveJob job) {
        store.resume(job.logCursor());
    }

    /**
     * Copies what the jobs wrote since the last tick.
     *
     * @return the runs whose output is completely copied (or at its size limit) on both streams
     */
    Set<UUID> copyNew(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        List<LogRead> reads = new ArrayList<>();
        List<LogCursor> cursors = new ArrayList<>();
        List<LogStream> streams = new ArrayList<>();
        Set<UUID> caughtUp = new HashSet<>();
        int perRead = (int) Math.max(SMALLEST_READ, Math.min(readSize, bytesPerTick / Math.max(1, jobs.size() * 2L)));
        for (ActiveJob job : jobs) {
            caughtUp.add(job.runId());
            for (LogStream stream : LogStream.values()) {
                int wanted = store.wanted(job.logCursor(), stream, perRead);
                if (wanted > 0) {
                    String file = job.directory() + "/" + stream.fileName();
                    reads.add(new LogRead(file, job.logCursor().offset(stream), wanted));
                    cursors.add(job.logCursor());
                    streams.add(stream);
                }
            }
        }
        if (reads.isEmpty()) {
            return caughtUp;
        }
        List<LogRead.Result> results = slurm.read(reads);
        for (int i = 0; i < results.size(); i++) {
            LogRead.Result result = results.get(i);
            LogCursor cursor = cursors.get(i);
            boolean stored = store.append(cursor, streams.get(i), result.bytes());
            if (!stored || result.bytes().length == result.request().maxBytes()) {
                caughtUp.remove(cursor.runId()); // more may be there: read on next tick before finishing
            }
        }
        return caughtUp;
    }
}
