package io.slurmgateway.runs;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import io.slurmgateway.pipes.PipesMessage;
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

    RunService(
            RunRepository runs,
            RunEventRepository events,
            RunSpecValidator validator,
            RunsProperties properties,
            RunSpecJson json,
            Clock clock,
            PlatformTransactionManager transactionManager,
            ConflictRetry retry,
            ClusterRegistry clusters) {
        this.clusters = clusters;
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
     * Validates and stores a new run in state ACCEPTED. With an idempotency key, a repeat of the same request returns
     * the first run and stores nothing; the same key with a different request is a conflict.
     */
    public Created create(RunSpec requested, String idempotencyKey) {
        RunSpec spec = requested.withDefaults(
                properties.defaultMode(), clusters.defaultCluster().orElse(null));
        List<SpecViolation> violations = validator.violations(spec);
        if (!violations.isEmpty()) {
            throw new InvalidRunSpecException(violations);
        }
        String fingerprint = json.fingerprint(spec);
        if (idempotencyKey != null) {
            Optional<Run> earlier = runs.findByRequestIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return repeatOf(earlier.get(), spec, fingerprint);
            }
        }
        Run run = Run.accept(UUID.randomUUID(), spec, json.write(spec), idempotencyKey, fingerprint, clock.instant());
        try {
            return new Created(transaction.execute(status -> runs.saveAndFlush(run)), spec, true);
        } catch (DataIntegrityViolationException raced) {
            if (idempotencyKey == null) {
                throw raced;
            }
            // another request with the same key committed between our look-up and our insert
            return runs.findByRequestIdempotencyKey(idempotencyKey)
                    .map(winner -> repeatOf(winner, spec, fingerprint))
                    .orElseThrow(() -> raced);
        }
    }

    /** The same fingerprint means the same spec, so the caller's spec describes the earlier run too. */
    private static Created repeatOf(Run earlier, RunSpec spec, String fingerprint) {
        if (!earlier.getRequest().fingerprint().equals(fingerprint)) {
            throw new IdempotencyConflictException(earlier.getId());
        }
        return new Created(earlier, spec, false);
    }

    public Run get(UUID id) {
        return runs.findById(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    /** The spec a run was accepted with. */
    public RunSpec specOf(Run run) {
        return json.read(run.getRequest().spec());
    }

    /** Runs matching the filter, newest first. */
    @Transactional(readOnly = true)
    public Page<Run> list(RunFilter filter, Pageable page) {
        Specification<Run> matching = (root, query, cb) -> cb.conjunction();
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
     * Cancels a run that has not started executing, or asks its executor to stop it (the run then ends CANCELLED).
     *
     * @throws RunNotCancellableException when the run has already ended
     */
    public Run cancel(UUID id) {
        return retry.onConflict(() -> transaction.execute(status -> {
            Run run = get(id);
            run.requestCancel(clock.instant());
            return runs.saveAndFlush(run); // version check before the events are stored; see RunWorkQueue
        }));
    }

    /**
     * Events after {@code afterSeq}, in order, at most {@code limit} and, past the first, at most {@code maxBytes} of
     * event data: a Pipes message may be large, and a page of them is loaded whole.
     */
    @Transactional(readOnly = true)
    public EventPage events(UUID id, long afterSeq, int limit, long maxBytes) {
        if (!runs.existsById(id)) {
            throw new RunNotFoundException(id);
        }
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
