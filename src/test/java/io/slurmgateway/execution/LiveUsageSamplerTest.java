package io.slurmgateway.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.ScriptedHost;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When live usage is sampled and what is asked, with sstat's output replayed in the rig's format. */
class LiveUsageSamplerTest {

    private Instant now = Instant.parse("2026-11-28T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private boolean sstatFails;
    private final ScriptedHost host = new ScriptedHost(argv -> {
        assertThat(argv.get(0)).isEqualTo("sstat");
        return sstatFails
                ? ScriptedHost.failed("sstat: error: slurm_persist_conn_open: timeout")
                : ScriptedHost.succeeded(
                        "7.batch|164668K|cpu=00:00:05,energy=0,fs/disk=52380,mem=11156K,pages=0,vmem=18316K\n");
    });
    private final SlurmClient slurm = new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry()));
    private final ActiveJob running = job("7", RunState.RUNNING);
    private final ActiveJob pending = job("8", RunState.QUEUED);

    @Test
    void offByDefaultNothingIsEverAsked() throws IOException {
        LiveUsageSampler off = new LiveUsageSampler(Duration.ZERO, clock);

        assertThat(off.sampleIfDue(slurm, List.of(running, pending))).isEmpty();
        now = now.plus(Duration.ofDays(1));
        assertThat(off.sampleIfDue(slurm, List.of(running, pending))).isEmpty();
        assertThat(host.calls()).isEmpty();
    }

    @Test
    void oneSstatForTheRunningJobsOnlyThenNothingUntilTheIntervalHasPassed() throws IOException {
        LiveUsageSampler sampler = new LiveUsageSampler(Duration.ofSeconds(30), clock);

        assertThat(sampler.sampleIfDue(slurm, List.of(running, pending)))
                .containsExactly(
                        java.util.Map.entry(running.runId(), new LiveUsage(now, 11156L * 1024, 164668L * 1024, 5.0)));
        assertThat(host.calls())
                .singleElement()
                .satisfies(argv -> assertThat(argv).contains("--jobs=7").noneMatch(argument -> argument.contains("8")));

        now = now.plusSeconds(29);
        assertThat(sampler.sampleIfDue(slurm, List.of(running, pending))).isEmpty();
        now = now.plusSeconds(1);
        assertThat(sampler.sampleIfDue(slurm, List.of(running, pending))).hasSize(1);
        assertThat(host.calls()).hasSize(2);
    }

    @Test
    void samplesTakenAtTheFirstTickPastTheirDueTimeKeepTheCadence() throws IOException {
        LiveUsageSampler sampler = new LiveUsageSampler(Duration.ofSeconds(5), clock);
        sampler.sampleIfDue(slurm, List.of(running)); // due times: 5, 10, 15, ... whatever the tick times

        for (int second = 2; second <= 60; second += 2) { // a 2 s poll tick
            now = now.plusSeconds(2);
            sampler.sampleIfDue(slurm, List.of(running));
        }

        assertThat(host.calls()).hasSize(1 + 12); // at 0, then at the first tick from each of 5, 10, ..., 60
    }

    @Test
    void withoutRunningJobsNothingIsAskedAndTheFirstToStartIsSampledAtOnce() throws IOException {
        LiveUsageSampler sampler = new LiveUsageSampler(Duration.ofSeconds(30), clock);

        assertThat(sampler.sampleIfDue(slurm, List.of(pending))).isEmpty();
        assertThat(host.calls()).isEmpty();
        now = now.plusSeconds(1);
        assertThat(sampler.sampleIfDue(slurm, List.of(pending, running))).hasSize(1);
    }

    @Test
    void aJobThatEndedIsNotSampledAndAFailedSampleWaitsForTheNextInterval() throws IOException {
        LiveUsageSampler sampler = new LiveUsageSampler(Duration.ofSeconds(30), clock);
        ActiveJob ended = job("9", RunState.RUNNING);
        ended.end(new ActiveJob.Ending(RunState.COMPLETED, 0, "COMPLETED", "None", "ended", null));
        sstatFails = true;

        assertThatThrownBy(() -> sampler.sampleIfDue(slurm, List.of(running, ended)))
                .hasMessageContaining("sstat failed on cluster 'c'");
        assertThat(host.calls()).singleElement().satisfies(argv -> assertThat(argv)
                .contains("--jobs=7"));
        now = now.plusSeconds(10);
        assertThat(sampler.sampleIfDue(slurm, List.of(running))).isEmpty();
        assertThat(host.calls()).hasSize(1);
    }

    private static ActiveJob job(String jobId, RunState state) {
        return new ActiveJob(UUID.randomUUID(), jobId, "slurm-gateway/" + jobId, state, false);
    }
}
