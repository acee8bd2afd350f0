package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.pipes.PipesMessage;
import io.slurmgateway.security.Caller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the gateway needs of its database, run against each database it supports: the migrations apply, claims skip
 * locked rows, concurrent writers lose instead of overwrite, keys stay unique, bytes come back as stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "gateway.execution.enabled=false")
abstract class PersistenceContract {

    /** Every run here is created as the unauthenticated gateway creates them. */
    private static final Caller ANYONE = Caller.UNAUTHENTICATED;

    @Autowired
    RunService runService;

    @Autowired
    RunWorkQueue queue;

    @Autowired
    RunRepository runs;

    @Autowired
    RunEventRepository events;

    @Autowired
    RunLogService logs;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ClusterLeases leases;

    @Autowired
    RunCustody custody;

    @Autowired
    PlatformTransactionManager transactionManager;

    private ExecutorService threads;

    @BeforeEach
    void emptyTables() {
        jdbc.update("DELETE FROM run_log_chunk");
        jdbc.update("DELETE FROM run_event");
        jdbc.update("DELETE FROM run");
        jdbc.update("DELETE FROM cluster_lease");
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void migrationsCreateTheSchema() {
        assertThat(jdbc.queryForList(
                        "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL",
                        String.class))
                .contains("1");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run", Integer.class))
                .isZero();
    }

    @Test
    void acceptedRunIsStoredWithItsFirstEvent() {
        Run run = runService.create(spec("demo/stored"), null, ANYONE).run();

        assertThat(runs.findById(run.getId())).hasValueSatisfying(stored -> {
            assertThat(stored.getState()).isEqualTo(RunState.ACCEPTED);
            assertThat(stored.getTimes().createdAt()).isEqualTo(run.getTimes().createdAt());
        });
        List<RunEvent> history = events.findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(run.getId(), 0, Limit.of(10));
        assertThat(history).extracting(RunEvent::getSeq).containsExactly(1L);
        assertThat(history.get(0).getData()).contains("\"to\":\"ACCEPTED\"");
    }

    @Test
    void claimsEachDueRunOnlyOnceWhileAnotherClaimHoldsItsRows() throws Exception {
        for (int i = 0; i < 10; i++) {
            runService.create(spec("demo/claim" + i), null, ANYONE);
        }
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        Future<Set<UUID>> first = threads.submit(() -> transaction.execute(status -> {
            Set<UUID> ids = ids(queue.claimForStaging("local", "worker-a", 5));
            firstClaimed.countDown();
            await(release);
            return ids;
        }));
        assertThat(firstClaimed.await(20, TimeUnit.SECONDS)).isTrue();

        Future<Set<UUID>> second = threads.submit(() -> ids(queue.claimForStaging("local", "worker-b", 10)));
        Set<UUID> secondIds = second.get(20, TimeUnit.SECONDS); // does not wait for the first claim's locks
        release.countDown();
        Set<UUID> firstIds = first.get(20, TimeUnit.SECONDS);
        Set<UUID> thirdIds = ids(queue.claimForStaging("local", "worker-c", 10));

        assertThat(firstIds).hasSize(5);
        if (locksOnlyTheRowsItReturns()) {
            assertThat(secondIds).hasSize(5);
        }
        List<UUID> everyClaim = new ArrayList<>(firstIds);
        everyClaim.addAll(secondIds);
        everyClaim.addAll(thirdIds);
        assertThat(everyClaim).doesNotHaveDuplicates().hasSize(10);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run WHERE state = 'STAGING'", Integer.class))
                .isEqualTo(10);
    }

    @Test
    void queuedLocalRunIsStartedOnlyByTheInstanceThatStagedIt() {
        UUID id = runService.create(spec("demo/owned"), null, ANYONE).run().getId();
        queue.claimForStaging("local", "instance-a", 10);
        queue.markQueued(id, "staged");

        assertThat(queue.claimForStart("local", "instance-b", 10)).isEmpty();
        assertThat(ids(queue.claimForStart("local", "instance-a", 10))).containsExactly(id);
    }

    @Test
    void concurrentWriterLosesInsteadOfOverwriting() {
        UUID id = runService.create(spec("demo/race"), null, ANYONE).run().getId();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    Run stale = runs.findById(id).orElseThrow();
                    await(threads.submit(() -> runService.cancel(id, ANYONE))); // another request commits meanwhile
                    stale.startStaging("late-worker", Instant.now());
                    runs.saveAndFlush(stale);
                }))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(runs.findById(id).orElseThrow().getState()).isEqualTo(RunState.CANCELLED);
    }

    @Test
    void concurrentRecordsOfOneRunAllLandWithAGaplessHistory() throws Exception {
        UUID id = runService.create(spec("demo/busy"), null, ANYONE).run().getId();
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String note = "note " + i;
            writers.add(threads.submit(() -> queue.note(id, note)));
        }
        for (Future<?> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }

        List<RunEvent> history = events.findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(id, 0, Limit.of(100));
        assertThat(history)
                .extracting(RunEvent::getSeq)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 13).boxed().toList());
        assertThat(runs.findById(id).orElseThrow().getEventCount()).isEqualTo(13);
    }

    @Test
    void relayedPipesLinesLandOnceAsOneBatchWithTheirOffsetWhateverTheRace() throws Exception {
        RunSpec spec = new RunSpec(
                "demo/pipes",
                null,
                null,
                null,
                null,
                new RunSpec.Payload("true", null),
                null,
                null,
                null,
                new RunSpec.Dagster(null, null, java.util.Map.of()));
        UUID id = runService.create(spec, null, ANYONE).run().getId();
        List<RelayedPipesLine> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String json = "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\", \"params\": {\"n\": " + i + "}}";
            lines.add(RelayedPipesLine.of(new PipesMessage(json, "log", null)));
        }
        lines.add(RelayedPipesLine.malformed("line 501 is \"bad\""));
        List<Future<Boolean>> relays = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // four relays of the same lines, as stale cursors would send them
            relays.add(threads.submit(() -> queue.relayPipes(id, 0, 40_000, lines)));
        }
        int stored = 0;
        for (Future<Boolean> relay : relays) {
            stored += relay.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(stored).isEqualTo(1);
        assertThat(queue.relayedPipesOffset(id)).isEqualTo(40_000);
        List<RunEvent> history = events.findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(id, 1, Limit.of(1000));
        assertThat(history).hasSize(501);
        assertThat(history.get(0).getData()).isEqualTo(lines.get(0).message().json());
        assertThat(history.get(0).getPipesMethod()).isEqualTo("log");
        assertThat(history.get(0).getOccurredAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(history.get(499).getData())
                .isEqualTo(lines.get(499).message().json());
        assertThat(history.get(500).getType()).isEqualTo(RunEventType.LOG);
        assertThat(history.get(500).getData()).isEqualTo("{\"message\":\"line 501 is \\\"bad\\\"\"}");
        assertThat(runs.findById(id).orElseThrow().getEventCount()).isEqualTo(502);
    }

    @Test
    void resourceUsageIsStoredWithTheOutcome() {
        UUID id = runService.create(spec("demo/usage"), null, ANYONE).run().getId();
        queue.claimForStaging("local", "me", 10);
        queue.markQueued(id, "staged");
        queue.claimForStart("local", "me", 10);
        ResourceUsage usage = new ResourceUsage(93_784L, 9.955, 221_011_968L, 2, 1, "400M", 4);

        queue.finishSlurm(id, RunState.COMPLETED, 0, "COMPLETED", "None", "ended", usage);

        Run stored = runs.findById(id).orElseThrow();
        assertThat(stored.getState()).isEqualTo(RunState.COMPLETED);
        assertThat(stored.getUsage()).isEqualTo(usage);
    }

    @Test
    void aLiveSampleNeitherConflictsWithNorIsOverwrittenByAConcurrentStateChange() {
        UUID id = runService.create(spec("demo/live"), null, ANYONE).run().getId();
        queue.claimForStaging("local", "me", 10);
        queue.markQueued(id, "staged");
        queue.claimForStart("local", "me", 10);
        UUID ended = runService.create(spec("demo/ended"), null, ANYONE).run().getId();
        runService.cancel(ended, ANYONE);
        LiveUsage sample = new LiveUsage(Instant.parse("2026-11-28T23:40:00.123Z"), 11_423_744L, 168_620_032L, 5.0);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        transaction.executeWithoutResult(status -> {
            Run stale = runs.findById(id).orElseThrow();
            await(threads.submit(() -> queue.recordLiveUsage(Map.of(id, sample, ended, sample))));
            stale.requestCancel(
                    "someone", Instant.now()); // written with the version read before the sample: it must still win
            runs.saveAndFlush(stale);
        });

        Run stored = runs.findById(id).orElseThrow();
        assertThat(stored.isCancelRequested()).isTrue();
        assertThat(stored.getLiveUsage()).isEqualTo(sample);
        assertThat(runs.findById(ended).orElseThrow().getLiveUsage()).isNull(); // only RUNNING runs take samples
    }

    @Test
    void aSampleIsDroppedWhenItsRunStopsRunningWithoutEndingOrItsClusterStopsSampling() {
        UUID requeued =
                runService.create(spec("demo/requeued"), null, ANYONE).run().getId();
        UUID other = runService.create(spec("demo/other"), null, ANYONE).run().getId();
        queue.claimForStaging("local", "me", 10);
        queue.markQueued(requeued, "staged");
        queue.markQueued(other, "staged");
        queue.claimForStart("local", "me", 10);
        LiveUsage sample = new LiveUsage(Instant.parse("2026-11-28T23:40:00Z"), 1L, 2L, 3.0);
        queue.recordLiveUsage(Map.of(requeued, sample, other, sample));

        queue.observeSlurm(requeued, RunState.QUEUED, "PENDING", "BeginTime", "requeued");
        assertThat(runs.findById(requeued).orElseThrow().getLiveUsage())
                .isNull(); // it described the allocation it lost
        assertThat(runs.findById(other).orElseThrow().getLiveUsage()).isEqualTo(sample);

        jdbc.update("UPDATE run SET cluster = 'hpc' WHERE id = ?", other);
        queue.forgetLiveUsage("someone-else", "hpc");
        assertThat(runs.findById(other).orElseThrow().getLiveUsage()).isEqualTo(sample);
        queue.forgetLiveUsage("me", "hpc");
        assertThat(runs.findById(other).orElseThrow().getLiveUsage()).isNull();
    }

    @Test
    void idempotencyKeysAreUnique() {
        runService.create(spec("demo/key"), "key-1", ANYONE);
        Run duplicate = Run.accept(
                UUID.randomUUID(),
                spec("demo/key"),
                new RunRequest("bash", "{}", "key-1", "other", ANYONE.name(), null),
                null,
                Instant.now());

        assertThatThrownBy(() -> runs.saveAndFlush(duplicate)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void concurrentCreatesWithOneKeyMakeOneRun() throws Exception {
        List<Future<UUID>> creates = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            creates.add(threads.submit(() -> runService
                    .create(spec("demo/once"), "same-key", ANYONE)
                    .run()
                    .getId()));
        }
        Set<UUID> ids = new HashSet<>();
        for (Future<UUID> create : creates) {
            ids.add(create.get(20, TimeUnit.SECONDS));
        }

        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void logBytesComeBackExactlyAsStored() {
        UUID id = runService.create(spec("demo/bytes"), null, ANYONE).run().getId();
        byte[] first = {(byte) 0xff, 0, 'a', (byte) 0xc3};
        byte[] second = {(byte) 0xa9, '\n'};

        logs.append(id, LogStream.STDOUT, 0, first);
        logs.append(id, LogStream.STDOUT, 4, second);

        assertThat(logs.storedLength(id, LogStream.STDOUT)).isEqualTo(6);
        assertThat(logs.read(id, LogStream.STDOUT, 0, 100).bytes())
                .containsExactly((byte) 0xff, 0, 'a', (byte) 0xc3, (byte) 0xa9, '\n');
        assertThat(logs.read(id, LogStream.STDOUT, 3, 2).bytes()).containsExactly((byte) 0xc3, (byte) 0xa9);
        assertThat(logs.read(id, LogStream.STDOUT, 3, 2).nextOffset()).isEqualTo(5);
        assertThat(logs.read(id, LogStream.STDERR, 0, 100).bytes()).isEmpty();
        assertThatThrownBy(() -> logs.append(id, LogStream.STDOUT, 4, second))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    /**
     * Whether {@code ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED} locks just the n rows it returns (PostgreSQL), rather
     * than every row it reads while sorting (H2, where a second claimer then gets nothing until the first commits).
     */
    protected boolean locksOnlyTheRowsItReturns() {
        return true;
    }

    private static Set<UUID> ids(List<ClaimedRun> claimed) {
        return claimed.stream().map(ClaimedRun::id).collect(Collectors.toSet());
    }

    private static void await(Future<?> elsewhere) {
        try {
            elsewhere.get(20, TimeUnit.SECONDS);
        } catch (Exception failed) {
            throw new AssertionError(failed);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void eachClusterAccountClaimsItsOwnRunsAndRunsOfARemovedIdentityEnd() {
        RunSpec onHpc = new RunSpec(
                "demo/tenant", "slurm", "hpc", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        Run ofTeamA = runs.saveAndFlush(slurmRun(onHpc, "team-a"));
        Run ofRemoved = runs.saveAndFlush(slurmRun(onHpc, "removed"));

        assertThat(ids(queue.claimForSubmission("hpc", "team-b", "worker-a", 10)))
                .isEmpty();
        assertThat(ids(queue.claimForSubmission("hpc", "team-a", "worker-a", 10)))
                .containsExactly(ofTeamA.getId());
        assertThat(queue.ownedOnCluster("worker-a", "hpc", "team-a", List.of(RunState.STAGING)))
                .singleElement()
                .satisfies(claimed -> assertThat(claimed.identity()).isEqualTo("team-a"));

        assertThat(queue.endRunsOfUnknownIdentities("hpc", Set.of("team-a", "team-b")))
                .as("the staging run of team-a is not stranded; the accepted one of 'removed' ends")
                .isZero();
        Run ended = runs.findById(ofRemoved.getId()).orElseThrow();
        assertThat(ended.getState()).isEqualTo(RunState.SUBMIT_FAILED);
        assertThat(ended.getReason())
                .isEqualTo("cluster 'hpc' no longer has the identity 'removed' this run was to" + " execute as");
        assertThat(queue.endRunsOfUnknownIdentities("hpc", Set.of("team-b")))
                .as("team-a's run is being submitted: reported, not ended")
                .isEqualTo(1);
        assertThat(runs.findById(ofTeamA.getId()).orElseThrow().getState()).isEqualTo(RunState.STAGING);
    }

    @Test
    void largeOutputIsStoredInChunksAndReadBackWhole() {
        Run run = runService.create(spec("demo/chunks"), null, ANYONE).run();
        byte[] output = new byte[RunLogService.CHUNK_SIZE * 5 / 2];
        for (int i = 0; i < output.length; i++) {
            output[i] = (byte) ('a' + i % 26);
        }
        logs.append(run.getId(), LogStream.STDOUT, 0, output);

        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM run_log_chunk WHERE run_id = ?", Integer.class, run.getId()))
                .isEqualTo(3);
        assertThat(logs.storedLength(run.getId(), LogStream.STDOUT)).isEqualTo(output.length);
        RunLogService.LogSlice across = logs.read(run.getId(), LogStream.STDOUT, RunLogService.CHUNK_SIZE - 10, 20);
        assertThat(across.bytes())
                .isEqualTo(java.util.Arrays.copyOfRange(
                        output, RunLogService.CHUNK_SIZE - 10, RunLogService.CHUNK_SIZE + 10));
        assertThat(logs.read(run.getId(), LogStream.STDOUT, 0, output.length).bytes())
                .isEqualTo(output);
    }

    @Test
    void anEndedRunsLogsAreCompleteOnlyOnceItsDrainIsOver() {
        RunSpec onHpc = new RunSpec(
                "demo/drain", "slurm", "hpc", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        Run run = runs.saveAndFlush(slurmRun(onHpc, "default"));
        UUID id = run.getId();
        queue.claimForSubmission("hpc", "default", "worker-a", 10);
        queue.recordSubmitted(id, "hpc", "42");

        assertThat(logs.complete(id, false)).isFalse();
        assertThat(logs.complete(id, true)).isTrue();
        logs.draining(id);
        logs.draining(id); // twice is harmless (a retry)
        queue.finishSlurm(id, RunState.COMPLETED, 0, "COMPLETED", "None", "ended", null);
        assertThat(logs.complete(id, true)).isFalse();
        assertThat(queue.drainingOnCluster("worker-a", "hpc", "default"))
                .singleElement()
                .satisfies(claimed -> {
                    assertThat(claimed.state()).isEqualTo(RunState.COMPLETED);
                    assertThat(claimed.slurmJobId()).isEqualTo("42");
                });
        assertThat(queue.drainingOnCluster("worker-b", "hpc", "default")).isEmpty();

        logs.drained(id);
        assertThat(logs.complete(id, true)).isTrue();
        assertThat(queue.drainingOnCluster("worker-a", "hpc", "default")).isEmpty();
    }

    @Test
    void aRunsResourcesAreReadWithoutItsSpecAndOlderRunsFallBackToIt() {
        RunSpec.Resources asked =
                new RunSpec.Resources("debug", 1, null, 2, "2G", null, "10", null, null, null, null, null, null);
        RunSpec spec = new RunSpec(
                "demo/resources", null, null, null, null, new RunSpec.Payload("true", null), null, null, asked, null);
        UUID id = runService.create(spec, null, ANYONE).run().getId();

        // a spec that no longer parses shows that a list's read of the resources never touches it
        jdbc.update("UPDATE run SET spec = 'not json' WHERE id = ?", id);
        assertThat(runService.resourcesOf(runs.findById(id).orElseThrow())).isEqualTo(asked);

        UUID older = runService.create(spec, null, ANYONE).run().getId();
        jdbc.update("UPDATE run SET resources = NULL WHERE id = ?", older);
        assertThat(runService.resourcesOf(runs.findById(older).orElseThrow())).isEqualTo(asked);
    }

    @Test
    void aLeaseHasOneHolderUntilItExpiresOrIsReleased() {
        Duration minute = Duration.ofMinutes(1);
        assertThat(leases.acquire("hpc", "default", "instance-a", minute)).isTrue();
        assertThat(leases.acquire("hpc", "default", "instance-b", minute)).isFalse();
        assertThat(leases.acquire("hpc", "default", "instance-a", minute)).isTrue(); // renewed
        assertThat(leases.acquire("hpc", "team-b", "instance-b", minute)).isTrue(); // another account is another lease
        assertThat(leases.all())
                .extracting(ClusterLeases.Lease::identity, ClusterLeases.Lease::holder, ClusterLeases.Lease::epoch)
                .containsExactly(tuple("default", "instance-a", 1L), tuple("team-b", "instance-b", 1L));

        // a lease that lapses goes to the next instance that asks, and its epoch counts the change of hands
        assertThat(leases.acquire("hpc", "default", "instance-a", Duration.ofMillis(1)))
                .isTrue();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> leases.acquire("hpc", "default", "instance-b", minute));
        assertThat(leases.acquire("hpc", "default", "instance-a", minute)).isFalse();
        assertThat(leases.all().get(0).epoch()).isEqualTo(2);

        // a released lease is free at once
        leases.release("hpc", "default", "instance-a"); // not the holder: changes nothing
        assertThat(leases.acquire("hpc", "default", "instance-a", minute)).isFalse();
        leases.release("hpc", "default", "instance-b");
        assertThat(leases.acquire("hpc", "default", "instance-a", minute)).isTrue();
    }

    @Test
    void concurrentFirstAcquisitionsOfALeaseMakeOneHolder() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String holder = "instance-" + i;
            attempts.add(threads.submit(() -> {
                start.await();
                return leases.acquire("hpc", "default", holder, Duration.ofMinutes(1));
            }));
        }
        start.countDown();
        int holders = 0;
        for (Future<Boolean> attempt : attempts) {
            holders += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(holders).isEqualTo(1);
        assertThat(leases.all()).hasSize(1);
    }

    @Test
    void anAdoptionTakesTheAccountsUnfinishedRunsAndNoOthers() {
        RunSpec onHpc = new RunSpec(
                "demo/adopt", "slurm", "hpc", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        UUID staging = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID queued = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID draining = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID ended = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID otherTenant = runs.saveAndFlush(slurmRun(onHpc, "team-b")).getId();
        UUID accepted = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        jdbc.update("UPDATE run SET state = 'STAGING', owner_id = 'dead' WHERE id = ?", staging);
        jdbc.update("UPDATE run SET state = 'QUEUED', owner_id = 'dead', slurm_job_id = '7' WHERE id = ?", queued);
        jdbc.update("UPDATE run SET state = 'COMPLETED', owner_id = 'dead', slurm_job_id = '8' WHERE id = ?", draining);
        jdbc.update("UPDATE run SET state = 'FAILED', owner_id = 'dead', slurm_job_id = '9' WHERE id = ?", ended);
        jdbc.update(
                "UPDATE run SET state = 'QUEUED', owner_id = 'dead', slurm_job_id = '10' WHERE id = ?", otherTenant);
        logs.draining(draining);
        long versionBefore = versionOf(queued);

        RunCustody.Adoption adoption = custody.adopt("hpc", "default", "heir");

        assertThat(adoption.runs()).isEqualTo(3);
        assertThat(adoption.stagingElsewhere()).containsExactly(staging);
        assertThat(ownerOf(staging)).isEqualTo("heir");
        assertThat(ownerOf(queued)).isEqualTo("heir");
        assertThat(ownerOf(draining)).isEqualTo("heir");
        assertThat(ownerOf(ended)).isEqualTo("dead");
        assertThat(ownerOf(otherTenant)).isEqualTo("dead");
        assertThat(ownerOf(accepted)).isNull();
        // a late write of the previous owner fails its version check instead of taking the run back
        assertThat(versionOf(queued)).isGreaterThan(versionBefore);
        assertThat(custody.adopt("hpc", "default", "heir").runs()).isZero(); // adopting again changes nothing
    }

    @Test
    void ownersOfJobsAndRemovableDirectoriesComeFromTheRunsAsStored() {
        RunSpec onHpc = new RunSpec(
                "demo/sweep", "slurm", "hpc", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        UUID ended = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID endedRecently = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID draining = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        UUID running = runs.saveAndFlush(slurmRun(onHpc, "default")).getId();
        Instant longAgo = Instant.now().minus(Duration.ofDays(30));
        jdbc.update(
                "UPDATE run SET state = 'COMPLETED', slurm_job_id = '1', finished_at = ? WHERE id IN (?, ?)",
                java.sql.Timestamp.from(longAgo),
                ended,
                draining);
        jdbc.update(
                "UPDATE run SET state = 'COMPLETED', slurm_job_id = '2', finished_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now()),
                endedRecently);
        jdbc.update("UPDATE run SET state = 'RUNNING', slurm_job_id = '3' WHERE id = ?", running);
        logs.draining(draining);

        UUID unknown = UUID.randomUUID();
        Map<UUID, RunCustody.JobOwner> owners = custody.owners(List.of(ended, running, unknown));
        assertThat(owners).containsOnlyKeys(ended, running);
        assertThat(owners.get(running))
                .isEqualTo(new RunCustody.JobOwner(running, "hpc", "default", RunState.RUNNING, "3"));

        assertThat(custody.removableDirectories("hpc", "default", Duration.ofDays(7), 10))
                .containsExactly(ended);
        assertThat(custody.removableDirectories("hpc", "team-b", Duration.ofDays(7), 10))
                .isEmpty();
        custody.directoriesRemoved(List.of(ended));
        assertThat(custody.removableDirectories("hpc", "default", Duration.ofDays(7), 10))
                .isEmpty();
        assertThat(custody.removableDirectories("hpc", "default", Duration.ZERO, 10))
                .containsExactly(endedRecently);
    }

    private long versionOf(UUID id) {
        return jdbc.queryForObject("SELECT version FROM run WHERE id = ?", Long.class, id);
    }

    private String ownerOf(UUID id) {
        return jdbc.queryForObject("SELECT owner_id FROM run WHERE id = ?", String.class, id);
    }

    private static Run slurmRun(RunSpec spec, String identity) {
        return Run.accept(
                UUID.randomUUID(),
                spec,
                new RunRequest("bash", "{}", null, "fingerprint", ANYONE.name(), null),
                identity,
                Instant.now());
    }

    private static RunSpec spec(String asset) {
        return new RunSpec(asset, null, null, null, null, new RunSpec.Payload("true", null), null, null, null, null);
    }
}
