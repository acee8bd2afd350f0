package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Slurm over the local command runner ({@code transport: local}): a gateway deployed on a login node runs Slurm's
 * commands and writes run directories on its own machine, with no SSH at all. On the real rig, whose client commands
 * and slurm.conf this machine has once {@code sudo scripts/slurm-rig.sh up} ran; skips (saying so) without it.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigLocalTransportTest extends GatewayTestBase {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-local-transport");
        registry.add("gateway.clusters.here.transport", () -> "local");
        registry.add("gateway.clusters.here.poll-interval", () -> "300ms");
        registry.add("gateway.clusters.here.default-partition", () -> "debug");
        registry.add("gateway.clusters.here.default-memory", () -> "100M");
        registry.add("gateway.clusters.here.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
    }

    @Test
    void aRunOnAClusterWhoseLoginNodeIsThisMachineCompletesWithoutSsh() {
        String id = client.createRun(
                """
                {"asset": "demo/local_login", "mode": "slurm", "cluster": "here",
                 "payload": {"script": "echo \\"job $SLURM_JOB_ID in $SLURM_JOB_PARTITION\\"; echo to-stderr >&2"},
                 "resources": {"timeLimit": "2"}}""");

        JsonNode run = client.awaitState(id, "COMPLETED", Duration.ofSeconds(120));
        String jobId = run.get("slurmJobId").asString();
        assertThat(jobId).matches("\\d+");
        assertThat(run.get("cluster").asString()).isEqualTo("here");
        assertThat(client.log(id, "stdout")).isEqualTo("job " + jobId + " in debug\n");
        assertThat(client.log(id, "stderr")).isEqualTo("to-stderr\n");

        JsonNode cluster = client.json(client.get("/api/v1/clusters")).get(0);
        assertThat(cluster.get("name").asString()).isEqualTo("here");
        assertThat(cluster.get("health").asString()).isEqualTo("UP");
        assertThat(cluster.get("host").isNull()).isTrue();
        assertThat(cluster.get("pool").get("connectionsOpened").asLong()).isZero();
        assertThat(cluster.get("partitions").toString()).contains("\"debug\"");
        assertThat(client.get("/actuator/prometheus").body())
                .contains("gateway_slurm_command_duration_seconds_count{cluster=\"here\",command=\"sbatch\","
                        + "outcome=\"success\"}");
    }
}
