package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.ResourceUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.support.SharedIdleGatewayTest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * How a Slurm run's usage reads over HTTP at each point of its life, with the run's progress recorded through the
 * work queue as the cluster worker records it (nothing executes here; SlurmRigTest shows the figures themselves come
 * from the real sstat and sacct).
 */
class RunUsageResponseTest extends SharedIdleGatewayTest {

    @Autowired
    RunWorkQueue queue;

    @Test
    void aRunningJobShowsItsLatestSampleAndAnEndedOneWithoutARecordSaysAccountingIsUnavailable() {
        UUID id = runningJob("101");
        assertThat(client.run(id.toString()).get("liveUsage").isNull()).isTrue(); // no sample yet

        Instant sampledAt = Instant.parse("2026-11-28T23:40:00Z");
        queue.recordLiveUsage(Map.of(id, new LiveUsage(sampledAt, 299_790_336L, 113_188_864L, 5.0)));
        JsonNode live = client.run(id.toString()).get("liveUsage");
        assertThat(Instant.parse(live.get("sampledAt").asString())).isEqualTo(sampledAt);
        assertThat(live.get("rssBytes").asLong()).isEqualTo(299_790_336L);
        assertThat(live.get("maxRssBytes").asLong()).isEqualTo(113_188_864L);
        assertThat(live.get("cpuSeconds").asDouble()).isEqualTo(5.0);
        assertThat(client.run(id.toString()).get("accounting").isNull()).isTrue();

        queue.finishSlurm(id, RunState.COMPLETED, null, "COMPLETED", "None", "accounting gave no record", null);
        JsonNode ended = client.run(id.toString());
        assertThat(ended.get("liveUsage").isNull()).isTrue(); // a sample describes a running job only
        JsonNode accounting = ended.get("accounting");
        assertThat(accounting.get("source").asString()).isEqualTo("GATEWAY_CLOCK");
        assertThat(accounting.get("elapsedSeconds").asLong()).isNotNegative();
        assertThat(accounting.get("unavailable").asString()).startsWith("Slurm accounting has no record of this job");
        assertThat(accounting.has("cpuSeconds")).isFalse();
    }

    @Test
    void anEndedJobWithARecordShowsSlurmsFigures() {
        UUID id = runningJob("102");

        queue.finishSlurm(
                id,
                RunState.COMPLETED,
                0,
                "COMPLETED",
                "None",
                "ended",
                new ResourceUsage(5L, 9.955, 38_301_696L, 2, 1, "512M", null));

        JsonNode accounting = client.run(id.toString()).get("accounting");
        assertThat(accounting.get("source").asString()).isEqualTo("SLURM_ACCOUNTING");
        assertThat(accounting.get("cpuEfficiency").asDouble()).isEqualTo(0.9955);
        assertThat(accounting.get("maxRssBytes").asLong()).isEqualTo(38_301_696L);
        assertThat(accounting.get("nodeHours").asDouble()).isEqualTo(5 / 3600.0);
        assertThat(accounting.has("unavailable")).isFalse();
        assertThat(accounting.has("gpus")).isFalse();
    }

    /** A Slurm run recorded as the worker records it: claimed, submitted as {@code jobId}, seen RUNNING. */
    private UUID runningJob(String jobId) {
        UUID id = UUID.fromString(
                client.createRun(
                        """
                {"asset": "demo/usage", "mode": "slurm", "payload": {"script": "true"}}
                """));
        assertThat(queue.claimForSubmission("hpc", "default", "test", 10)).hasSize(1);
        queue.recordSubmitted(id, "hpc", jobId);
        queue.observeSlurm(id, RunState.RUNNING, "RUNNING", "None", "Slurm job " + jobId + " is RUNNING");
        assertThat(client.run(id.toString()).get("state").asString()).isEqualTo("RUNNING");
        return id;
    }
}
