package io.slurmgateway.execution;

import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.LogRead;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Copies the new output of a cluster's running jobs into the gateway's log store: one SSH round trip per tick for
 * all of them, each stream read from where the store ends. The bytes of one tick are shared out under
 * {@code log-bytes-per-tick}, so many chatty jobs cannot make one read unbounded.
 */
final class RemoteLogTailer {

    private static final int SMALLEST_READ = 1024;

    private final RunLogService logs;
    private final RunWorkQueue queue;
    private final int readSize;
    private final long bytesPerTick;
    private final long maxLogSize;

    RemoteLogTailer(RunLogService logs, RunWorkQueue queue, ExecutionProperties properties) {
        this.logs = logs;
        this.queue = queue;
        this.readSize = (int) properties.logReadSize().toBytes();
        this.bytesPerTick = properties.logBytesPerTick().toBytes();
        this.maxLogSize = properties.maxLogSize().toBytes();
    }

    /** Sets where copying resumes: after what the store already holds. */
    void resume(ActiveJob job) {
        for (LogStream stream : LogStream.values()) {
            job.copied(stream, logs.storedLength(job.runId(), stream));
        }
    }

    /**
     * Copies what the jobs wrote since the last tick.
     *
     * @return the runs whose output is completely copied (or at its size limit) on both streams
     */
    Set<UUID> copyNew(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        List<LogRead> reads = new ArrayList<>();
        List<ActiveJob> readers = new ArrayList<>();
        List<LogStream> streams = new ArrayList<>();
        Set<UUID> caughtUp = new HashSet<>();
        int perRead = (int) Math.max(SMALLEST_READ, Math.min(readSize, bytesPerTick / Math.max(1, jobs.size() * 2L)));
        for (ActiveJob job : jobs) {
            caughtUp.add(job.runId());
            for (LogStream stream : LogStream.values()) {
                long offset = job.copied(stream);
                int wanted = (int) Math.min(perRead, maxLogSize - offset);
                if (wanted <= 0) {
                    noteLimitOnce(job, stream);
                    continue;
                }
                reads.add(new LogRead(job.directory() + "/" + stream.fileName(), offset, wanted));
                readers.add(job);
                streams.add(stream);
            }
        }
        if (reads.isEmpty()) {
            return caughtUp;
        }
        List<LogRead.Result> results = slurm.read(reads);
        for (int i = 0; i < results.size(); i++) {
            LogRead.Result result = results.get(i);
            ActiveJob job = readers.get(i);
            if (!store(job, streams.get(i), result)
                    || result.bytes().length == result.request().maxBytes()) {
                caughtUp.remove(job.runId());
            }
        }
        return caughtUp;
    }

    private boolean store(ActiveJob job, LogStream stream, LogRead.Result result) {
        if (result.bytes().length == 0) {
            return true;
        }
        long offset = result.request().offset();
        try {
            logs.append(job.runId(), stream, offset, result.bytes());
            job.copied(stream, offset + result.bytes().length);
            return true;
        } catch (DataIntegrityViolationException alreadyStored) {
            // an earlier append committed although it reported a failure: continue after what the store holds
            resume(job);
            return false;
        }
    }

    private void noteLimitOnce(ActiveJob job, LogStream stream) {
        if (job.markLogLimitReached(stream)) {
            queue.note(
                    job.runId(),
                    stream.name().toLowerCase(Locale.ROOT) + " reached gateway.execution.max-log-size (" + maxLogSize
                            + " bytes); the rest stays in the run's directory on the cluster only");
        }
    }
}
