package io.slurmgateway.runs;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How executors claim runs and record their progress. Each method is one short transaction; claims lock rows with
 * {@code SKIP LOCKED} so two workers never take the same run, and records are version-checked.
 *
 * <p>Every write is flushed before its events are stored ({@code saveAndFlush}): the run's version check then decides
 * a race, instead of the loser's event colliding with the winner's on the {@code (run_id, seq)} key.
 */
@Service
public class RunWorkQueue {

    private final RunRepository runs;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ConflictRetry retry;
    private final LiveUsageStore liveUsage;
    private final RunSpecJson json;
    private final SubmissionGate gate;

    RunWorkQueue(
            RunRepository runs,
            Clock clock,
            PlatformTransactionManager transactionManager,
            ConflictRetry retry,
            LiveUsageStore liveUsage,
            RunSpecJson json,
            SubmissionGate gate) {
        this.runs = runs;
        this.gate = gate;
        this.json = json;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactionManager);
        this.retry = retry;
        this.liveUsage = liveUsage;
    }

    /** Stores the latest live sample of running runs, in one batch (see {@link LiveUsageStore}). */
    public void recordLiveUsage(Map<UUID, LiveUsage> samples) {
        liveUsage.record(samples);
    }

    /** Forgets the live samples of runs {@code owner} follows on a cluster that no longer samples them. */
    public void forgetLiveUsage(String owner, String cluster) {
        liveUsage.forget(owner, cluster);
    }

    /** Moves up to {@code limit} of the oldest accepted runs of a mode to STAGING, owned by {@code owner}. */
    @Transactional
    public List<ClaimedRun> claimForStaging(String mode, String owner, int limit) {
        List<Run> claimed = runs.lockOldest(RunState.ACCEPTED.name(), mode, limit);
        Instant now = clock.instant();
        claimed.forEach(run -> run.startStaging(owner, now));
        return claimed(runs.saveAllAndFlush(claimed));
    }

    /**
     * Moves up to {@code limit} of the oldest queued runs that {@code owner} staged to RUNNING: a local run's files are
     * on the disk of the instance that staged it, so only that instance can start it.
     */
    @Transactional
    public List<ClaimedRun> claimForStart(String mode, String owner, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Run> claimed = runs.lockOldestOwned(RunState.QUEUED.name(), mode, owner, limit);
        Instant now = clock.instant();
        claimed.forEach(run -> run.markStarting(owner, now));
        return claimed(runs.saveAllAndFlush(claimed));
    }

    /** Moves accepted runs of a cluster account to STAGING for {@code owner}, as its {@link SubmissionGate} admits. */
    public List<ClaimedRun> claimForSubmission(String cluster, String identity, String owner, int limit) {
        return claimed(gate.claim(cluster, identity, limit, run -> run.startStaging(owner, clock.instant())));
    }

    /**
     * Records the Slurm job of a run being submitted (again is harmless) and returns the job the run follows now:
     * {@code jobId}, or the other job it already has; empty when the run ended meanwhile (cancelled while staged).
     */
    public Optional<String> recordSubmitted(UUID id, String cluster, String jobId) {
        return update(id, run -> {
            if (run.getState() == RunState.STAGING) {
                run.recordSubmission(cluster, jobId, clock.instant());
            }
            return run.getState().isTerminal()
                    ? Optional.<String>empty()
                    : Optional.ofNullable(run.getSlurmJob().jobId());
        });
    }

    /** The Slurm job a run has recorded, while the run has not ended. */
    @Transactional(readOnly = true)
    public Optional<String> followedJob(UUID id) {
        return runs.findById(id).filter(run -> !run.getState().isTerminal()).map(run -> run.getSlurmJob()
                .jobId());
    }

    /** Records what Slurm says about a run's job, and moves the run between QUEUED and RUNNING accordingly. */
    public void observeSlurm(UUID id, RunState next, String rawState, String rawReason, String description) {
        update(id, run -> {
            run.observeSlurm(next, rawState, rawReason, description, clock.instant());
            return null;
        });
    }

    /**
     * Ends a Slurm run with the outcome its job's final state maps to, keeping Slurm's raw state and what the job used
     * ({@code usage} is null when accounting did not say).
     */
    public void finishSlurm(
            UUID id,
            RunState outcome,
            Integer exitCode,
            String rawState,
            String rawReason,
            String description,
            ResourceUsage usage) {
        update(id, run -> {
            run.observeSlurm(null, rawState, rawReason, description, clock.instant());
            run.recordUsage(usage);
            run.finish(outcome, exitCode, description, clock.instant());
            return null;
        });
    }

    /** Submitted runs of a cluster account, followed by {@code owner}, that a client asked to cancel: one query. */
    @Transactional(readOnly = true)
    public Set<UUID> cancelRequestedOnCluster(String owner, String cluster, String identity) {
        return Set.copyOf(runs.findCancelRequestedOnCluster(
                owner, cluster, identity, List.of(RunState.QUEUED, RunState.RUNNING)));
    }

    /** Slurm runs of a cluster account that {@code owner} submitted or was submitting, in the given states. */
    @Transactional(readOnly = true)
    public List<ClaimedRun> ownedOnCluster(String owner, String cluster, String identity, Collection<RunState> states) {
        return claimed(runs.findByOwnerAndModeAndClusterAndSlurmJobIdentityAndStateIn(
                owner, RunMode.SLURM, cluster, identity, states));
    }

    /** Ended runs of a cluster account, followed by {@code owner}, whose output is still being copied. */
    @Transactional(readOnly = true)
    public List<ClaimedRun> drainingOnCluster(String owner, String cluster, String identity) {
        return claimed(runs.findDrainingOnCluster(owner, cluster, identity));
    }

    /**
     * Ends the accepted runs of a cluster whose identity is no longer configured (no worker would submit them), and
     * returns how many of its runs being submitted or submitted execute as such an identity.
     */
    public long endRunsOfUnknownIdentities(String cluster, Collection<String> identities) {
        List<Run> stranded = runs.findByModeAndClusterAndStateInAndSlurmJobIdentityNotIn(
                RunMode.SLURM, cluster, RunState.ACTIVE, identities);
        for (Run run : stranded) {
            if (run.getState() != RunState.ACCEPTED) {
                continue;
            }
            String reason = "cluster '" + cluster + "' no longer has the identity '"
                    + run.getSlurmJob().identity() + "' this run was to execute as";
            update(run.getId(), accepted -> {
                if (accepted.getState() == RunState.ACCEPTED) { // not cancelled meanwhile
                    accepted.startStaging(null, clock.instant());
                    accepted.markSubmitFailed(reason, clock.instant());
                }
                return null;
            });
        }
        return stranded.stream()
                .filter(run -> run.getState() != RunState.ACCEPTED)
                .count();
    }

    /** Records that a staged run waits for its turn; false when it moved on meanwhile (it was cancelled). */
    public boolean markQueued(UUID id, String reason) {
        return update(id, run -> {
            if (run.getState() != RunState.STAGING) {
                return false;
            }
            run.markQueued(reason, clock.instant());
            return true;
        });
    }

    public void markSubmitFailed(UUID id, String reason) {
        update(id, run -> {
            if (run.getState() == RunState.STAGING) {
                run.markSubmitFailed(reason, clock.instant());
            }
            return null;
        });
    }

    /** Records the process of a run; {@code processStartedAt} is null when it ended before it could be read. */
    public void recordProcess(UUID id, long pid, Instant processStartedAt) {
        update(id, run -> {
            run.recordProcess(pid, processStartedAt);
            return null;
        });
    }

    /** Ends a run with an outcome; a run that has already ended keeps its first one. */
    public void finish(UUID id, RunState outcome, Integer exitCode, String reason) {
        finish(id, outcome, exitCode, reason, null);
    }

    /** Ends a run with an outcome and what its processes used ({@code usage} may be null). */
    public void finish(UUID id, RunState outcome, Integer exitCode, String reason, ResourceUsage usage) {
        update(id, run -> {
            run.recordUsage(usage);
            run.finish(outcome, exitCode, reason, clock.instant());
            return null;
        });
    }

    public void note(UUID id, String message) {
        update(id, run -> {
            run.note(message, clock.instant());
            return null;
        });
    }

    /** Records an address a run's launcher published; the same name at the same address again changes nothing. */
    public void publishEndpoint(UUID id, String name, String url) {
        update(id, run -> {
            run.publish(name, url, clock.instant());
            return null;
        });
    }

    /**
     * Stores the lines of a run's messages file between two byte offsets as events, in one transaction with the
     * offset, so each line is relayed exactly once.
     *
     * @return false, storing nothing, when the run's relayed offset is not {@code from}; see {@link #relayedPipesOffset}
     */
    public boolean relayPipes(UUID id, long from, long to, List<RelayedPipesLine> lines) {
        return update(id, run -> run.relayPipes(from, to, lines, clock.instant()));
    }

    /** How many bytes of a run's messages file are relayed, which is where reading resumes; 0 for no Pipes run. */
    @Transactional(readOnly = true)
    public long relayedPipesOffset(UUID id) {
        Long offset = runs.findById(id)
                .orElseThrow(() -> new RunNotFoundException(id))
                .getPipes()
                .offset();
        return offset == null ? 0 : offset;
    }

    /** Runs of a mode that {@code owner} was executing in the given states, for recovery after a restart. */
    @Transactional(readOnly = true)
    public List<ClaimedRun> ownedBy(String owner, String mode, Collection<RunState> states) {
        return claimed(runs.findByOwnerAndModeAndStateIn(owner, mode, states));
    }

    /** Who created a run: the principal its stored output counts against. */
    @Transactional(readOnly = true)
    public String createdBy(UUID id) {
        return runs.findById(id)
                .orElseThrow(() -> new RunNotFoundException(id))
                .getRequest()
                .createdBy();
    }

    /** Which of the given runs a client asked to cancel. */
    @Transactional(readOnly = true)
    public Set<UUID> cancelRequested(Collection<UUID> ids) {
        return ids.isEmpty() ? Set.of() : Set.copyOf(runs.findCancelRequested(ids));
    }

    /** Immutable copies for workers, each spec parsed once here. */
    private List<ClaimedRun> claimed(List<Run> stored) {
        return stored.stream()
                .map(run -> ClaimedRun.of(run, json.read(run.getRequest().spec())))
                .toList();
    }

    private <T> T update(UUID id, java.util.function.Function<Run, T> change) {
        return retry.onConflict(() -> transaction.execute(status -> {
            Run run = runs.findById(id).orElseThrow(() -> new RunNotFoundException(id));
            T result = change.apply(run);
            runs.saveAndFlush(run);
            return result;
        }));
    }
}
