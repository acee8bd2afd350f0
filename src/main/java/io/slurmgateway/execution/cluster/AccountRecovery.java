package io.slurmgateway.execution.cluster;

import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a cluster worker takes over the runs of its account that it owns: its own from before a restart, and those it
 * adopted from another instance with the account's lease. Submitted runs are followed again from their stored log
 * and message offsets; runs that were being submitted are checked by name before anything is submitted, and those
 * another instance was submitting only once that submission has certainly ended.
 */
final class AccountRecovery {

    private static final Logger log = LoggerFactory.getLogger(AccountRecovery.class);

    private final String cluster;
    private final String identity;
    private final String owner;
    private final Set<UUID> stagingElsewhere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Duration elsewhereCheckDelay;
    private final RunWorkQueue queue;
    private final SlurmSubmitter submitter;
    private final RemoteLogTailer tailer;
    private final Submissions submissions;
    private boolean recoveredOnce; // on the polling thread only

    /**
     * @param stagingElsewhere runs another instance was submitting when this one took the lease over
     * @param elsewhereCheckDelay how long such a submission may still be under way on the other instance
     */
    AccountRecovery(
            String cluster,
            String identity,
            String owner,
            List<UUID> stagingElsewhere,
            Duration elsewhereCheckDelay,
            RunWorkQueue queue,
            SlurmSubmitter submitter,
            RemoteLogTailer tailer,
            Submissions submissions) {
        this.cluster = cluster;
        this.identity = identity;
        this.owner = owner;
        this.stagingElsewhere.addAll(stagingElsewhere);
        this.elsewhereCheckDelay = elsewhereCheckDelay;
        this.queue = queue;
        this.submitter = submitter;
        this.tailer = tailer;
        this.submissions = submissions;
    }

    /** Runs the sweep adopted later, of which these were being submitted elsewhere: the next recovery takes them. */
    void adopted(List<UUID> stagingElsewhere) {
        this.stagingElsewhere.addAll(stagingElsewhere);
    }

    /**
     * Adds to {@code active} the owned runs it does not hold yet, and hands runs being submitted to be checked: at the
     * first recovery all of them; later (after the sweep adopted runs) only those adopted, since the worker may be
     * submitting its own at that very moment.
     */
    void recover(Map<UUID, ActiveJob> active) throws IOException {
        for (ClaimedRun run : queue.drainingOnCluster(owner, cluster, identity)) {
            if (!active.containsKey(run.id())) {
                follow(active, ActiveJob.draining(run.id(), run.slurmJobId(), submitter.directoryOf(run), run.state()));
            }
        }
        for (ClaimedRun run : queue.ownedOnCluster(
                owner, cluster, identity, List.of(RunState.STAGING, RunState.QUEUED, RunState.RUNNING))) {
            if (active.containsKey(run.id()) || submissions.isPending(run.id())) {
                continue;
            }
            if (run.state() == RunState.STAGING) {
                if (stagingElsewhere.remove(run.id())) {
                    submissions.checkAgain(run, elsewhereCheckDelay);
                } else if (!recoveredOnce) {
                    submissions.checkAgain(run, Duration.ZERO);
                }
            } else {
                follow(active, ActiveJob.of(run, run.slurmJobId(), submitter.directoryOf(run), run.state()));
            }
        }
        recoveredOnce = true;
        if (!active.isEmpty() || submissions.pendingChecks() > 0) {
            log.info(
                    "cluster '{}', identity '{}': following {} job(s), {} submission(s) to check",
                    cluster,
                    identity,
                    active.size(),
                    submissions.pendingChecks());
        }
    }

    private void follow(Map<UUID, ActiveJob> active, ActiveJob job) {
        tailer.resume(job);
        active.put(job.runId(), job);
    }
}
