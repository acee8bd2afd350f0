package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.EndpointsCursor;
import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.LogCursor;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.execution.PipesRelay;
import io.slurmgateway.execution.RunFiles;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.PreTimeoutSignal;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.pipes.PipesProperties;
import io.slurmgateway.runs.LogStream;
import io.slurmgateway.slurm.LogRead;
import io.slurmgateway.slurm.SlurmClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Copies the new output of a cluster account's jobs into the gateway's log store, and relays their new Dagster Pipes
 * messages as run events: one SSH round trip per round for all of them, each file read from where the gateway
 * stopped. The bytes of one round are shared out under {@code log-bytes-per-tick} and
 * {@code gateway.pipes.bytes-per-tick}, so many chatty jobs cannot make one read unbounded, and every job with
 * something new gets its share in every round, so a quiet job is never starved by a chatty one. Holds no state of its
 * own: the cursors and what is final live in the jobs.
 */
@Component
class RemoteLogTailer {

    private static final Logger log = LoggerFactory.getLogger(RemoteLogTailer.class);

    private static final int SMALLEST_READ = 1024;

    /** Enough for the few lines a job's batch shell writes to its signals file. */
    private static final int SIGNALS_READ = 4096;

    private static final int MAX_SIGNAL_NOTES = 5;
    private static final Pattern SIGNAL_LINE = Pattern.compile("([A-Z0-9]{2,5}) ([0-9]{1,12})");

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

    /** What one round of reads did: whether a read came back full (more is there), and whether a job settled. */
    record Round(boolean more, boolean settled) {}

    /**
     * Copies what the jobs wrote since the last round, in one command for all of them, each stream at most its share
     * of {@code log-bytes-per-tick}. A job that had ended before the round started and whose streams (or messages)
     * reach their end in it is marked final: nothing more will be written.
     */
    Round copyRound(SlurmClient slurm, Collection<ActiveJob> jobs) throws IOException {
        List<LogRead> reads = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        List<UUID> readers = new ArrayList<>();
        List<Boolean> ofMessages = new ArrayList<>();
        List<ActiveJob> ended = new ArrayList<>(); // ended before this round's read: what it reads is all there is
        long streams = jobs.stream().filter(job -> !job.isOutputFinal()).count() * 2;
        int perRead = share(readSize, bytesPerTick, streams);
        int perPipesRead = share(Integer.MAX_VALUE, pipesBytesPerTick, jobs.size()); // relayed in batches
        for (ActiveJob job : jobs) {
            boolean endedBefore = job.ending() != null || job.isOutcomeRecorded();
            if (endedBefore) {
                ended.add(job);
            }
            if (!job.isOutputFinal()) {
                for (LogStream stream : LogStream.values()) {
                    int wanted = store.wanted(job.logCursor(), stream, perRead);
                    if (wanted > 0) {
                        LogCursor cursor = job.logCursor();
                        reads.add(new LogRead(
                                job.directory() + "/" + RunFiles.logFile(stream), cursor.fileOffset(stream), wanted));
                        targets.add(result -> {
                            if (result.truncated()) { // requeued: the new attempt is read from its start next round
                                store.restartedFile(cursor, stream, result.size());
                                return false;
                            }
                            return store.append(cursor, stream, result.bytes())
                                    && result.bytes().length < result.request().maxBytes();
                        });
                        readers.add(job.runId());
                        ofMessages.add(false);
                    }
                }
            }
            job.endpoints()
                    .filter(cursor -> !job.isOutputFinal() && cursor.wantsMore())
                    .ifPresent(cursor -> {
                        reads.add(new LogRead(
                                job.directory() + "/" + EndpointsCursor.FILE,
                                cursor.offset(),
                                EndpointsCursor.READ_SIZE));
                        targets.add(result -> {
                            cursor.take(result.bytes(), (name, url) -> store.publishEndpoint(job.runId(), name, url));
                            return true;
                        });
                        readers.add(job.runId());
                        ofMessages.add(false);
                    });
            if (endedBefore && job.hasSignalsToNote()) { // written before the job ended, so read once after
                reads.add(new LogRead(job.directory() + "/" + JobScript.SIGNALS_FILE, 0, SIGNALS_READ));
                targets.add(result -> {
                    noteSignals(job.runId(), result.bytes());
                    job.signalsNoted();
                    return true;
                });
                readers.add(job.runId());
                ofMessages.add(false);
            }
            if (!job.isMessagesFinal()) {
                job.pipesCursor().ifPresent(cursor -> {
                    reads.add(new LogRead(
                            job.directory() + "/" + PipesBootstrap.MESSAGES_FILE, cursor.readOffset(), perPipesRead));
                    targets.add(result -> {
                        boolean atEnd = result.bytes().length < result.request().maxBytes();
                        return pipes.relay(cursor, result.bytes(), endedBefore && atEnd) && atEnd;
                    });
                    readers.add(job.runId());
                    ofMessages.add(true);
                });
            }
        }
        Set<UUID> outputBehind = new HashSet<>(); // more may be there: read on before calling anything final
        Set<UUID> messagesBehind = new HashSet<>();
        if (!reads.isEmpty()) {
            List<LogRead.Result> results = slurm.read(reads);
            for (int i = 0; i < results.size(); i++) {
                boolean complete;
                try (MDC.MDCCloseable ignored =
                        MDC.putCloseable("runId", readers.get(i).toString())) {
                    complete = targets.get(i).accept(results.get(i));
                } catch (RuntimeException failed) { // one run's failure must not hold up the others' output and outcome
                    log.warn("storing what run {} wrote failed; it is read again next round", readers.get(i), failed);
                    complete = false;
                }
                if (!complete) {
                    (ofMessages.get(i) ? messagesBehind : outputBehind).add(readers.get(i));
                }
            }
        }
        boolean settled = false;
        for (ActiveJob job : ended) { // output and messages settle apart: the outcome needs only the messages
            if (!job.isOutputFinal() && !outputBehind.contains(job.runId())) {
                job.markOutputFinal();
                settled = true;
            }
            if (!job.isMessagesFinal() && !messagesBehind.contains(job.runId())) {
                job.markMessagesFinal();
                settled = true;
            }
        }
        return new Round(!outputBehind.isEmpty() || !messagesBehind.isEmpty(), settled);
    }

    /**
     * Records each pre-timeout signal the job's batch shell says it passed on to the payload: a line of the signal's
     * name and the epoch second. The file lies in the run's directory, so only well-formed lines of known signals
     * count, and a few of them at most.
     */
    private void noteSignals(UUID runId, byte[] signals) {
        String text = new String(signals, StandardCharsets.US_ASCII);
        text.lines()
                .map(SIGNAL_LINE::matcher)
                .filter(Matcher::matches)
                .limit(MAX_SIGNAL_NOTES)
                .forEach(line -> {
                    if (PreTimeoutSignal.SIGNALS.contains(line.group(1))) {
                        store.note(
                                runId,
                                "SIG" + line.group(1) + " passed on to the payload's process group at "
                                        + Instant.ofEpochSecond(Long.parseLong(line.group(2)))
                                        + " (signalBeforeTimeout)");
                    }
                });
    }

    private static int share(int readSize, long bytesPerTick, long readers) {
        return (int) Math.max(SMALLEST_READ, Math.min(readSize, bytesPerTick / Math.max(1, readers)));
    }
}
