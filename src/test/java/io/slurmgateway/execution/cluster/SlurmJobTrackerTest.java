package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.ScriptedHost;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How the tracker reads squeue and sacct, with their output replayed in the rig's format. */
class SlurmJobTrackerTest {

    private static final Duration ACCOUNTING_WAIT = Duration.ofMinutes(2);
    private static final Duration LOST_JOB_TIMEOUT = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock();
    private String squeue = "";
    private String sacct = "";
    private boolean sacctFails;
    private boolean accountingDisabled;
    private final ScriptedHost slurm = new ScriptedHost(argv -> switch (argv.get(0)) {
        case "squeue" -> ScriptedHost.succeeded(squeue);
        case "sacct" ->
            accountingDisabled
                    ? ScriptedHost.failed("sacct: error: Slurm accounting storage is disabled")
                    : sacctFails
                            ? ScriptedHost.failed("sacct: error: slurmdbd: timeout")
                            : ScriptedHost.succeeded(sacct);
        default -> throw new AssertionError("unexpected command " + argv);
    });
    private final SlurmJobTracker tracker = new SlurmJobTracker(null, clock, ACCOUNTING_WAIT, LOST_JOB_TIMEOUT);
    private final SlurmClient client = new SlurmClient("c", slurm, new SlurmMetrics(new SimpleMeterRegistry()));

    @Test
    void aStateChangeInTheQueueIsAMoveAndCostsNoSacct() throws Exception {
        ActiveJob job = job("7", RunState.QUEUED, "PENDING", "Priority");
        squeue = "7|RUNNING|None\n";

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.moves()).singleElement().satisfies(move -> assertThat(move.next())
                .isEqualTo(RunState.RUNNING));
        assertThat(findings.ended()).isEmpty();
        assertThat(slurm.programs()).containsExactly("squeue");
    }

    @Test
    void anEndedJobEndsWithItsBatchStepsExitCode() throws Exception {
        ActiveJob job = job("8", RunState.RUNNING, "RUNNING", "None");
        squeue = "8|FAILED|NonZeroExitCode\n";
        sacct =
                "8|FAILED|3:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n8.batch|FAILED|3:0|00:00:04|00:00.256|215832K|2|1||cpu=2,mem=400M,node=1|\n";

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.FAILED);
        assertThat(job.ending().exitCode()).isEqualTo(3);
        assertThat(slurm.programs()).containsExactly("squeue", "sacct");
    }

    @Test
    void laggingAccountingNeitherMovesAFinishedJobBackNorEndsItEarly() throws Exception {
        ActiveJob job = job("9", RunState.RUNNING, "RUNNING", "None");
        squeue = "9|COMPLETED|None\n";
        sacct = "9|PENDING|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n"; // sacct has not
        // caught up yet

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));
        assertThat(findings.moves()).isEmpty();
        assertThat(findings.ended()).isEmpty();

        clock.advance(ACCOUNTING_WAIT.plusSeconds(1));
        findings = tracker.poll(client, List.of(job));
        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.COMPLETED);
        assertThat(job.ending().exitCode()).isNull();
        assertThat(job.ending().description()).contains("accounting gave no final record");
    }

    @Test
    void aJobMissingFromTheQueueIsNotTakenForFinished() throws Exception {
        ActiveJob job = job("10", RunState.RUNNING, "RUNNING", "None");
        squeue = "";
        sacct = "";

        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();
        clock.advance(LOST_JOB_TIMEOUT.minusSeconds(1));
        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();

        sacct =
                "10|COMPLETED|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n10.batch|COMPLETED|0:0|00:00:04|00:00.256|215832K|2|1||cpu=2,mem=400M,node=1|\n";
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));
        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.COMPLETED);
        assertThat(job.ending().exitCode()).isZero();
    }

    @Test
    void aJobNobodyKnowsAnyMoreFailsAfterTheLostJobTimeout() throws Exception {
        ActiveJob job = job("11", RunState.QUEUED, "PENDING", "None");
        squeue = "";
        sacct = "";

        tracker.poll(client, List.of(job));
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.FAILED);
        assertThat(job.ending().description()).contains("unknown to squeue, and not ended in sacct");
    }

    @Test
    void aRunawayAccountingRecordDoesNotKeepARunForever() throws Exception {
        ActiveJob job = job("13", RunState.RUNNING, "RUNNING", "None");
        squeue = "";
        sacct = "13|RUNNING|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n"; // slurmdbd still
        // says RUNNING;
        // no controller
        // knows the job

        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));
        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aJobRequeuedAfterSqueueShowedItEndedWaitsForItsRealEnd() throws Exception {
        ActiveJob job = job("14", RunState.RUNNING, "RUNNING", "None");
        squeue = "14|NODE_FAIL|NodeDown\n";
        sacct = "14|RUNNING|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n";
        tracker.poll(client, List.of(job));

        squeue = "14|PENDING|BeginTime\n"; // requeued
        clock.advance(ACCOUNTING_WAIT.plusSeconds(1));
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));
        assertThat(findings.ended()).isEmpty();
        assertThat(findings.moves()).singleElement().satisfies(move -> assertThat(move.next())
                .isEqualTo(RunState.QUEUED));

        squeue = "14|COMPLETED|None\n";
        sacct = "14|RUNNING|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n";
        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty(); // a fresh accounting wait, not the old one
    }

    @Test
    void aFailingSacctLeavesTheJobActive() throws Exception {
        ActiveJob job = job("12", RunState.RUNNING, "RUNNING", "None");
        squeue = "";
        sacctFails = true;

        clock.advance(Duration.ZERO);
        tracker.poll(client, List.of(job));
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();
    }

    @Test
    void withoutAccountingAJobEndsWithSqueuesStateAtOnceAndAVanishedOneIsLost() throws Exception {
        accountingDisabled = true;
        ActiveJob ended = job("15", RunState.RUNNING, "RUNNING", "None");
        ActiveJob vanished = job("16", RunState.RUNNING, "RUNNING", "None");
        squeue = "15|COMPLETED|None\n";

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(ended, vanished));

        assertThat(findings.ended()).containsExactly(ended); // no accounting-wait: no record will ever come
        assertThat(ended.ending().outcome()).isEqualTo(RunState.COMPLETED);
        assertThat(ended.ending().exitCode()).isNull();
        assertThat(ended.ending().usage()).isNull();
        assertThat(ended.ending().description()).contains("keeps no accounting");
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        squeue = "";
        assertThat(tracker.poll(client, List.of(vanished)).ended()).containsExactly(vanished);
        assertThat(vanished.ending().outcome()).isEqualTo(RunState.FAILED);
    }

    private static ActiveJob job(String jobId, RunState state, String slurmState, String reason) {
        ActiveJob job = new ActiveJob(UUID.randomUUID(), jobId, "/w/" + jobId, state, false);
        job.seen(state, slurmState, reason);
        return job;
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
