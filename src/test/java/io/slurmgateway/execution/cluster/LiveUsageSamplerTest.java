package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.ScriptedHost;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a live usage sample asks and keeps, with sstat's output replayed in the rig's format. */
class LiveUsageSamplerTest {

    private final Instant now = Instant.parse("2026-11-28T12:00:00Z");
    private CommandResult answer = ScriptedHost.succeeded(
            "7.batch|164668K|cpu=00:00:05,energy=0,fs/disk=52380,mem=11156K,pages=0,vmem=18316K\n"
                    + "70.batch|1K|cpu=00:00:01,mem=1K\n"); // a job the sample did not ask about is not kept
    private final ScriptedHost host = new ScriptedHost(argv -> answer);
    private final SlurmClient slurm = new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry()));
    private final ActiveJob running = job("7", RunState.RUNNING);
    private final ActiveJob pending = job("8", RunState.QUEUED);

    @Test
    void offByDefaultNothingIsEverAsked() throws IOException {
        LiveUsageSampler off = sampler(Duration.ZERO);

        off.follow(List.of(running, pending));

        assertThat(off.sample()).isEmpty();
        assertThat(host.calls()).isEmpty();
    }

    @Test
    void oneSstatForTheRunningJobsOnlyKilledOnTheClusterPastItsLimit() throws IOException {
        LiveUsageSampler sampler = sampler(Duration.ofSeconds(30));
        sampler.follow(List.of(running, pending));

        assertThat(sampler.sample())
                .containsExactly(Map.entry(running.runId(), new LiveUsage(now, 11156L * 1024, 164668L * 1024, 5.0)));
        assertThat(host.calls()).singleElement().satisfies(argv -> assertThat(argv)
                .startsWith("timeout", "--signal=KILL", "45", "sstat")
                .contains("--jobs=7"));
    }

    @Test
    void withoutRunningJobsNothingIsAskedAndAnEndedJobIsNotSampled() throws IOException {
        LiveUsageSampler sampler = sampler(Duration.ofSeconds(30));
        ActiveJob ended = job("9", RunState.RUNNING);
        ended.end(new ActiveJob.Ending(RunState.COMPLETED, 0, "COMPLETED", "None", "ended", null));

        assertThat(sampler.sample()).isEmpty(); // told of no job yet
        sampler.follow(List.of(pending, ended));
        assertThat(sampler.sample()).isEmpty();
        assertThat(host.calls()).isEmpty();
    }

    @Test
    void aFailedOrKilledSstatIsAnError() {
        LiveUsageSampler sampler = sampler(Duration.ofSeconds(30));
        sampler.follow(List.of(running));

        answer = ScriptedHost.failed("sstat: error: slurm_persist_conn_open: timeout");
        assertThatThrownBy(sampler::sample).hasMessageContaining("sstat failed on cluster 'c'");
        answer = new CommandResult(137, new byte[0], new byte[0]);
        assertThatThrownBy(sampler::sample).hasMessageContaining("did not answer within 45 s and was killed");
    }

    private LiveUsageSampler sampler(Duration interval) {
        return new LiveUsageSampler(
                "c",
                slurm,
                null,
                Clock.fixed(now, ZoneOffset.UTC),
                interval,
                Duration.ofSeconds(45),
                new ExecutionMetrics(new SimpleMeterRegistry()));
    }

    private static ActiveJob job(String jobId, RunState state) {
        return new ActiveJob(UUID.randomUUID(), jobId, "slurm-gateway/" + jobId, state, false);
    }
}
