package io.slurmgateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How the tracker reads squeue and sacct, with their output replayed in the rig's format. */
class SlurmJobTrackerTest {

    private static final Duration ACCOUNTING_WAIT = Duration.ofMinutes(2);
    private static final Duration LOST_JOB_TIMEOUT = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock();
    private final Replaying slurm = new Replaying();
    private final SlurmJobTracker tracker = new SlurmJobTracker(null, clock, ACCOUNTING_WAIT, LOST_JOB_TIMEOUT);
    private final SlurmClient client = new SlurmClient("c", slurm, new SimpleMeterRegistry());

    @Test
    void aStateChangeInTheQueueIsAMoveAndCostsNoSacct() throws Exception {
        ActiveJob job = job("7", RunState.QUEUED, "PENDING", "Priority");
        slurm.squeue = "7|RUNNING|None\n";

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.moves()).singleElement().satisfies(move -> assertThat(move.next())
                .isEqualTo(RunState.RUNNING));
        assertThat(findings.ended()).isEmpty();
        assertThat(slurm.programs).containsExactly("squeue");
    }

    @Test
    void anEndedJobEndsWithItsBatchStepsExitCode() throws Exception {
        ActiveJob job = job("8", RunState.RUNNING, "RUNNING", "None");
        slurm.squeue = "8|FAILED|NonZeroExitCode\n";
        slurm.sacct = "8|FAILED|3:0|None\n8.batch|FAILED|3:0|\n";

        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.FAILED);
        assertThat(job.ending().exitCode()).isEqualTo(3);
        assertThat(slurm.programs).containsExactly("squeue", "sacct");
    }

    @Test
    void laggingAccountingNeitherMovesAFinishedJobBackNorEndsItEarly() throws Exception {
        ActiveJob job = job("9", RunState.RUNNING, "RUNNING", "None");
        slurm.squeue = "9|COMPLETED|None\n";
        slurm.sacct = "9|PENDING|0:0|None\n"; // sacct has not caught up yet

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
        slurm.squeue = "";
        slurm.sacct = "";

        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();
        clock.advance(LOST_JOB_TIMEOUT.minusSeconds(1));
        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();

        slurm.sacct = "10|COMPLETED|0:0|None\n10.batch|COMPLETED|0:0|\n";
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));
        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.COMPLETED);
        assertThat(job.ending().exitCode()).isZero();
    }

    @Test
    void aJobNobodyKnowsAnyMoreFailsAfterTheLostJobTimeout() throws Exception {
        ActiveJob job = job("11", RunState.QUEUED, "PENDING", "None");
        slurm.squeue = "";
        slurm.sacct = "";

        tracker.poll(client, List.of(job));
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        SlurmJobTracker.Findings findings = tracker.poll(client, List.of(job));

        assertThat(findings.ended()).containsExactly(job);
        assertThat(job.ending().outcome()).isEqualTo(RunState.FAILED);
        assertThat(job.ending().description()).contains("unknown to both squeue and sacct");
    }

    @Test
    void aFailingSacctLeavesTheJobActive() throws Exception {
        ActiveJob job = job("12", RunState.RUNNING, "RUNNING", "None");
        slurm.squeue = "";
        slurm.sacctFails = true;

        clock.advance(Duration.ZERO);
        tracker.poll(client, List.of(job));
        clock.advance(LOST_JOB_TIMEOUT.plusSeconds(1));
        assertThat(tracker.poll(client, List.of(job)).ended()).isEmpty();
    }

    private static ActiveJob job(String jobId, RunState state, String slurmState, String reason) {
        ActiveJob job = new ActiveJob(UUID.randomUUID(), jobId, "/w/" + jobId, state);
        job.seen(state, slurmState, reason);
        return job;
    }

    /** squeue and sacct answering with what the test sets. */
    private static final class Replaying implements CommandRunner {
        String squeue = "";
        String sacct = "";
        boolean sacctFails;
        final List<String> programs = new ArrayList<>();

        @Override
        public CommandResult execute(List<String> argv) {
            programs.add(argv.get(0));
            if (argv.get(0).equals("sacct") && sacctFails) {
                return new CommandResult(1, new byte[0], "sacct: error: slurmdbd: timeout".getBytes());
            }
            String out = argv.get(0).equals("squeue") ? squeue : sacct;
            return new CommandResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
        }

        @Override
        public void writeDirectory(String directory, List<FileToWrite> files) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] readFrom(String path, long offset, int maxBytes) {
            throw new UnsupportedOperationException();
        }
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
