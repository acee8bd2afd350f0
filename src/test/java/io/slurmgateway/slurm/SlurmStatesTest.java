package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The published state table (docs/slurm.md, "Slurm states"), row by row. */
class SlurmStatesTest {

    @ParameterizedTest(name = "{0} with batch exit {1} -> {2}")
    @CsvSource(
            nullValues = "-",
            value = {
                "PENDING, -, QUEUED",
                "CONFIGURING, -, QUEUED",
                "REQUEUED, -, QUEUED",
                "REQUEUE_HOLD, -, QUEUED",
                "RESV_DEL_HOLD, -, QUEUED",
                "RUNNING, -, RUNNING",
                "COMPLETING, -, RUNNING",
                "SUSPENDED, -, RUNNING",
                "STOPPED, -, RUNNING",
                "COMPLETED, 0, COMPLETED",
                "COMPLETED, -, COMPLETED",
                "COMPLETED, 2, FAILED",
                "FAILED, 3, FAILED",
                "OUT_OF_MEMORY, 0, FAILED",
                "NODE_FAIL, 0, FAILED",
                "BOOT_FAIL, -, FAILED",
                "PREEMPTED, 0, FAILED",
                "TIMEOUT, 0, TIMED_OUT",
                "DEADLINE, -, TIMED_OUT",
                "CANCELLED, 0, CANCELLED",
                "CANCELLED by 1001, 0, CANCELLED",
                "CANCELLED+, -, CANCELLED",
            })
    void mapsEveryKnownState(String slurmState, Integer batchExit, JobPhase expected) {
        assertThat(SlurmStates.phaseOf(slurmState, batchExit)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"SOMETHING_NEW", "''"})
    void anUnknownStateMapsToNothing(String slurmState) {
        assertThat(SlurmStates.phaseOf(slurmState, null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"3:0, 3", "0:15, 143", "0:9, 137", "0:0, 0"})
    void exitCodesReadLikeAShellsOnes(String slurm, int shell) {
        assertThat(SlurmExitCode.parse(slurm).asShellExitCode()).isEqualTo(shell);
    }

    @ParameterizedTest
    @CsvSource({"0:125", "''", "x:y"})
    void exitCodesWithoutAShellMeaningAreNull(String slurm) {
        SlurmExitCode parsed = SlurmExitCode.parse(slurm);
        assertThat(parsed == null ? null : parsed.asShellExitCode()).isNull();
    }
}
