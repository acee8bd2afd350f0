package io.slurmgateway.runs;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import io.slurmgateway.pipes.PipesMessage;
import io.slurmgateway.security.Audit;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.LimitExceededException;
import io.slurmgateway.security.NotPermittedException;
import io.slurmgateway.security.Role;
import io.slurmgateway.security.SecurityProperties;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** What clients do with runs: accept, look up, list, cancel, read their history. */
@Service
public class RunService {

    private final RunRepository runs;

    /** The Pipes methods that report results. */
    private static final List<String> REPORTED_RESULTS =
            List.of(PipesMessage.MATERIALIZATION, PipesMessage.ASSET_CHECK);

    private final RunEventRepository events;
    private final RunSpecValidator validator;
    private final RunsProperties properties;
    private final RunSpecJson json;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ConflictRetry retry;
    private final ClusterRegistry clusters;
    private final ClusterAdmission admission;
    private final AcceptLimits limits;
    private final RunBlobs blobs;

    RunService(
            RunRepository runs,
            RunEventRepository events,
            RunSpecValidator validator,
            RunsProperties properties,
            RunSpecJson json,
            Clock clock,
            PlatformTransactionManager transactionManager,
            ConflictRetry retry,
            ClusterRegistry clusters,
            SecurityProperties security,
            RunMetrics metrics,
            RunBlobs blobs) {
        this.blobs = blobs;
        this.limits = new AcceptLimits(runs, properties, security, metrics);
        this.clusters = clusters;
        this.admission = new ClusterAdmission(clusters);
        this.runs = runs;
        this.events = events;
        this.validator = validator;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactionManager);
        this.retry = retry;
    }

    /** A run, its spec, and whether this request created it (false: an earlier request with the same key did). */
    public record Created(Run run, RunSpec spec, boolean isNew) {}

    /** Filters for {@link #list}; a null filter matches everything. */
    public record RunFilter(RunState state, String asset, String cluster) {}

    /**
     * Validates and stores a new run of {@code caller} in state ACCEPTED. With an idempotency key, a repeat of the same
     * request by the same caller returns the first run and stores nothing; the same key with a different request is a
     * conflict. Keys are the caller's own: another caller's run is never found by one.
     *
     * @throws NotPermittedException for a local run of a caller without the role {@code local}
     * @throws LimitExceededException when the caller has {@code gateway.security.limits.max-active-runs} runs going,
     *     or the gateway {@code gateway.runs.max-backlog} accepted runs
     */
    public Created create(RunSpec requested, String idempotencyKey, Caller caller) {
        RunSpec defaulted = requested.withDefaults(
                properties.defaultMode(), clusters.defaultCluster().orElse(null));
        List<SpecViolation> violations = validator.violations(defaulted);
        if (!violations.isEmpty()) {
            throw new InvalidRunSpecException(violations);
        }
        if (RunMode.LOCAL.equals(defaulted.mode()) && !caller.has(Role.LOCAL)) {
            Audit.mutation(caller, "create", null, "refused: local mode needs the role local");
            throw new NotPermittedException(
                    "mode", "local runs execute on the gateway host and need the role 'local' besides 'submitter'");
        }
        // inline files become the caller's blobs: the stored spec names every file by digest
        RunSpec spec = blobs.storeInline(defaulted, caller);
        violations = blobs.violations(spec, caller);
        if (!violations.isEmpty()) {
            throw new InvalidRunSpecException(violations);
        }
        String identity = admission.identity(spec, caller);
        String fingerprint = json.fingerprint(spec);
        if (idempotencyKey != null) {
            Optional<Run> earlier = runs.findByRequestCreatedByAndRequestIdempotencyKey(caller.name(), idempotencyKey);
            if (earlier.isPresent()) {
                return repeatOf(earlier.get(), spec, fingerprint, caller);
            }
        }
        limits.check(caller);
        Run run = Run.accept(
                UUID.randomUUID(),
                spec,
                new RunRequest(
                        spec.launcher(),
                        json.write(spec),
                        idempotencyKey,
                        fingerprint,
                        caller.name(),
                        json.writeResources(spec.resources())),
                identity,
                clock.instant());
        try {
            Created created = new Created(
                    transaction.execute(status -> {
                        Run saved = runs.saveAndFlush(run);
                        blobs.reference(saved.getId(), spec);
                        return saved;
                    }),
                    spec,
                    true);
            Audit.mutation(caller, "create", run.getId(), "accepted");
            return created;
        } catch (DataIntegrityViolationException raced) {
            if (idempotencyKey == null) {
                throw raced;
            }
            // another request with the same key committed between our look-up and our insert
            return runs.findByRequestCreatedByAndRequestIdempotencyKey(caller.name(), idempotencyKey)
                    .map(winner -> repeatOf(winner, spec, fingerprint, caller))
                    .orElseThrow(() -> raced);
        }
    }

    /** The same fingerprint means the same spec, so the caller's spec describes the earlier run too. */
    private static Created repeatOf(Run earlier, RunSpec spec, String fingerprint, Caller caller) {
        if (!earlier.getRequest().fingerprint().equals(fingerprint)) {
            Audit.mutation(caller, "create", earlier.getId(), "refused: idempotency key reused with another request");
            throw new IdempotencyConflictException(earlier.getId());
        }
        Audit.mutation(caller, "create", earlier.getId(), "repeat");
        return new Created(earlier, spec, false);
    }

    /**
     * A run {@code caller} may see: its own, or any for a reader or admin.
     *
     * @throws RunNotFoundException for a run that does not exist and for one the caller may not see alike, so that a
     *     caller learns nothing of other callers' runs
     */
    public Run get(UUID id, Caller caller) {
        Run run = get(id);
        if (!caller.sees(run.getRequest().createdBy())) {
            throw new RunNotFoundException(id);
        }
        return run;
    }

    /** A run, for work on behalf of a caller who was already shown it ({@link #get(UUID, Caller)}). */
    public Run get(UUID id) {
        return runs.findById(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    /**
     * Whether a run has ended, read alone (no run row, spec and all): what an event stream asks at every poll. For a
     * caller who was already shown the run.
     */
    @Transactional(readOnly = true)
    public boolean hasEnded(UUID id) {
        return runs.findStateById(id)
                .orElseThrow(() -> new RunNotFoundException(id))
                .isTerminal();
    }

    /** The spec a run was accepted with. */
    public RunSpec specOf(Run run) {
        return json.read(run.getRequest().spec());
    }

    /** What the run asked of the cluster, read without its whole spec where it is stored apart. */
    public RunSpec.Resources resourcesOf(Run run) {
        String resources = run.getRequest().resources();
        return resources != null ? json.readResources(resources) : specOf(run).resources();
    }

    /** Runs matching the filter that {@code caller} may see, newest first. */
    @Transactional(readOnly = true)
    public Page<Run> list(RunFilter filter, Pageable page, Caller caller) {
        Specification<Run> matching = (root, query, cb) -> cb.conjunction();
        if (!caller.readsAll()) {
            matching = matching.and(
                    (root, query, cb) -> cb.equal(root.get("request").get("createdBy"), caller.name()));
        }
        if (filter.state() != null) {
            matching = matching.and((root, query, cb) -> cb.equal(root.get("state"), filter.state()));
        }
        if (filter.asset() != null) {
            matching = matching.and((root, query, cb) -> cb.equal(root.get("asset"), filter.asset()));
        }
        if (filter.cluster() != null) {
            matching = matching.and((root, query, cb) -> cb.equal(root.get("cluster"), filter.cluster()));
        }
        return runs.findAll(matching, page);
    }

    /**
     * Cancels a run that has not started executing, or asks its executor to stop it (the run then ends CANCELLED). A
     * caller cancels its own runs; an admin cancels any.
     *
     * @throws RunNotFoundException when the caller may not see the run
     * @throws NotPermittedException when the caller may see the run (a reader) but not cancel it
     * @throws RunNotCancellableException when the run has already ended
     */
    public Run cancel(UUID id, Caller caller) {
        Run cancelled = retry.onConflict(() -> transaction.execute(status -> {
            Run run = get(id, caller);
            if (!caller.has(Role.ADMIN)
                    && !caller.name().equals(run.getRequest().createdBy())) {
                Audit.mutation(caller, "cancel", id, "refused: not the caller's run");
                throw new NotPermittedException("id", "only its creator or an admin may cancel a run");
            }
            run.requestCancel(caller.name(), clock.instant());
            return runs.saveAndFlush(run); // version check before the events are stored; see RunWorkQueue
        }));
        Audit.mutation(caller, "cancel", id, cancelled.getState().isTerminal() ? "cancelled" : "requested");
        return cancelled;
    }

    /**
     * Events after {@code afterSeq}, in order, at most {@code limit} and, past the first, at most {@code maxBytes} of
     * event data: a Pipes message may be large, and a page of them is loaded whole. Callers read the run first (which
     * answers 404 and checks access), so this reads events only: a stream's every poll pays for no existence check.
     */
    @Transactional(readOnly = true)
    public EventPage events(UUID id, long afterSeq, int limit, long maxBytes) {
        List<Integer> sizes = events.dataLengthsAfter(id, afterSeq, PageRequest.of(0, limit));
        int count = countWithin(sizes, maxBytes);
        return new EventPage(
                count == 0
                        ? List.of()
                        : events.findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(id, afterSeq, Limit.of(count)),
                sizes.size() == limit || count < sizes.size());
    }

    /**
     * The asset materializations and asset-check results a run's payload reported over Dagster Pipes after
     * {@code afterSeq}, as their PIPES events, paged like {@link #events}.
     */
    @Transactional(readOnly = true)
    public EventPage reportedResults(UUID id, long afterSeq, int limit, long maxBytes) {
        if (!runs.existsById(id)) {
            throw new RunNotFoundException(id);
        }
        List<Integer> sizes = events.resultDataLengthsAfter(id, REPORTED_RESULTS, afterSeq, PageRequest.of(0, limit));
        int count = countWithin(sizes, maxBytes);
        return new EventPage(
                count == 0
                        ? List.of()
                        : events.findByRunIdAndPipesMethodInAndSeqGreaterThanOrderBySeq(
                                id, REPORTED_RESULTS, afterSeq, Limit.of(count)),
                sizes.size() == limit || count < sizes.size());
    }

    /** How many of the leading events fit in {@code maxBytes}; the first always does. */
    private static int countWithin(List<Integer> sizes, long maxBytes) {
        long total = 0;
        int count = 0;
        for (Integer size : sizes) {
            total += size == null ? 0 : size;
            if (count > 0 && total > maxBytes) {
                break;
            }
            count++;
        }
        return count;
    }
}
