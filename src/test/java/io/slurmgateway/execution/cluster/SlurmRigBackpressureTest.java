package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code max-active-runs} on the real rig: six sleeping jobs through a cluster that takes two at once. Every snapshot of
 * the runs (one list read, so one consistent query) while they flow shows at most two submitted and not ended, the
 * runs that wait say why, and all six complete.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigBackpressureTest extends GatewayTestBase {

    private static final int CAP = 2;
    private static final Set<String> ACTIVE = Set.of("STAGING", "QUEUED", "RUNNING");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-backpressure");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
        registry.add("gateway.clusters.rig.backpressure.max-active-runs", () -> Integer.toString(CAP));
    }

    @Test
    void neverMoreThanTheCapAreActiveAndTheOthersWaitSayingWhyUntilAllComplete() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(client.createRun("{\"asset\": \"rig/held" + i + "\", \"mode\": \"slurm\","
                    + " \"payload\": {\"script\": \"sleep 3; echo done " + i + "\"}}"));
        }
        AtomicInteger mostActive = new AtomicInteger();
        Set<String> seenWaiting = ConcurrentHashMap.newKeySet();

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int active = 0;
                    int ended = 0;
                    for (JsonNode run :
                            client.json(client.get("/api/v1/runs?size=50")).get("items")) {
                        String state = run.get("state").asString();
                        active += ACTIVE.contains(state) ? 1 : 0;
                        ended += state.equals("COMPLETED") ? 1 : 0;
                        if (state.equals("ACCEPTED")
                                && String.valueOf(run.get("reason")).contains("max-active-runs")) {
                            seenWaiting.add(run.get("id").asString());
                        }
                        if (!ACTIVE.contains(state) && !state.equals("ACCEPTED") && !state.equals("COMPLETED")) {
                            throw new AssertionError("a run ended otherwise: " + run);
                        }
                    }
                    mostActive.accumulateAndGet(active, Math::max);
                    return ended == ids.size();
                });

        assertThat(mostActive).hasValueLessThanOrEqualTo(CAP);
        assertThat(mostActive).hasValue(CAP); // the cap was used, not just respected
        assertThat(seenWaiting).isNotEmpty();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String expected = "done " + i + "\n";
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.log(id, "stdout").equals(expected));
        }
        for (String waited : seenWaiting) {
            assertThat(client.get("/api/v1/runs/" + waited + "/events").body())
                    .contains("waiting: cluster 'rig' is at its limit of 2 active runs");
        }
    }
}
