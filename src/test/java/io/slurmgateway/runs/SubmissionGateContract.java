package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.security.Caller;
import io.slurmgateway.support.TestClusters;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Claims on a cluster with {@code max-active-runs}: the cap holds however many claimers race (the count and the claim
 * are serialized by the cluster's admission row), and the runs held back show why once, until they move on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "gateway.execution.enabled=false")
abstract class SubmissionGateContract {

    static final int CAP = 3;
    static final String REASON =
            "waiting: cluster 'hpc' is at its limit of 3 active runs (backpressure.max-active-runs)";

    @Autowired
    RunService runService;

    @Autowired
    RunWorkQueue queue;

    @Autowired
    RunRepository runs;

    @Autowired
    RunEventRepository events;

    @Autowired
    JdbcTemplate jdbc;

    private ExecutorService threads;

    static void capped(DynamicPropertyRegistry registry) throws java.io.IOException {
        TestClusters.unreachable(registry, "hpc", Files.createTempDirectory("gateway-gate-"));
        registry.add("gateway.clusters.hpc.backpressure.max-active-runs", () -> Integer.toString(CAP));
    }

    @BeforeEach
    void emptyTables() {
        jdbc.update("DELETE FROM run_event");
        jdbc.update("DELETE FROM run");
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void racingClaimersNeverTakeMoreThanTheCap() throws Exception {
        for (int i = 0; i < 20; i++) {
            accept("demo/race" + i);
        }
        List<Callable<Integer>> claimers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String owner = "instance-" + (i % 2);
            claimers.add(
                    () -> queue.claimForSubmission("hpc", "default", owner, 2).size());
        }
        int claimed = 0;
        for (Future<Integer> result : threads.invokeAll(claimers)) {
            claimed += result.get();
        }

        assertThat(claimed).isEqualTo(CAP);
        assertThat(runs.countByModeAndClusterAndStateIn("slurm", "hpc", List.of(RunState.STAGING)))
                .isEqualTo(CAP);
    }

    @Test
    void heldBackRunsShowTheReasonOnceAndLoseItWhenTheyMoveOn() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(accept("demo/wait" + i));
        }
        assertThat(queue.claimForSubmission("hpc", "default", "me", 32)).hasSize(CAP);
        queue.claimForSubmission("hpc", "default", "me", 32); // a second tick at the cap writes nothing new

        UUID waiting = ids.get(CAP);
        assertThat(runs.findById(waiting).orElseThrow().getReason()).isEqualTo(REASON);
        assertThat(notes(waiting)).containsExactly(REASON);
        assertThat(runs.findById(ids.get(0)).orElseThrow().getReason()).isEqualTo("staging");

        queue.markSubmitFailed(ids.get(0), "gave up"); // one place frees
        assertThat(queue.claimForSubmission("hpc", "default", "me", 32))
                .extracting(ClaimedRun::id)
                .containsExactly(waiting);

        Run moved = runs.findById(waiting).orElseThrow();
        assertThat(moved.getState()).isEqualTo(RunState.STAGING);
        assertThat(moved.getReason()).isEqualTo("staging");
        assertThat(runs.findById(ids.get(CAP + 1)).orElseThrow().getReason()).isEqualTo(REASON);
    }

    private List<String> notes(UUID id) {
        return events.findByRunIdAndSeqGreaterThanOrderByRunIdAscSeqAsc(id, 0, Limit.of(100)).stream()
                .filter(event -> event.getType() == RunEventType.LOG)
                .map(event -> event.getData())
                .map(data -> data.replaceAll("^\\{\"message\":\"(.*)\"}$", "$1"))
                .toList();
    }

    private UUID accept(String asset) {
        RunSpec spec = new RunSpec(
                asset, "slurm", "hpc", null, null, new RunSpec.Payload("true", null), null, null, null, null);
        return runService.create(spec, null, Caller.UNAUTHENTICATED).run().getId();
    }
}
