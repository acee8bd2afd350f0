package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubmissionAllowanceTest {

    @Test
    void withoutLimitsTheBatchSizeAloneBoundsAClaimAndHoldsNothingBack() {
        SubmissionAllowance allowance = SubmissionAllowance.of("hpc", 32, 0, 500, 0, null);

        assertThat(allowance).isEqualTo(new SubmissionAllowance(32, null, null));
    }

    @Test
    void takesNoMoreThanTheRoomLeftUnderTheCapAndSaysWhyTheRestWait() {
        SubmissionAllowance allowance = SubmissionAllowance.of("hpc", 32, 50, 47, 0, null);

        assertThat(allowance.runs()).isEqualTo(3);
        assertThat(allowance.limit()).isEqualTo("max-active-runs");
        assertThat(allowance.waitingReason())
                .isEqualTo("waiting: cluster 'hpc' is at its limit of 50 active runs (backpressure.max-active-runs)");
    }

    @Test
    void takesNothingAtOrPastTheCap() {
        assertThat(SubmissionAllowance.of("hpc", 32, 2, 2, 0, null).runs()).isZero();
        assertThat(SubmissionAllowance.of("hpc", 32, 2, 5, 0, null).runs()).isZero(); // the cap was lowered
    }

    @Test
    void aCapWithRoomForTheWholeBatchHoldsNothingBack() {
        assertThat(SubmissionAllowance.of("hpc", 4, 10, 6, 0, null)).isEqualTo(new SubmissionAllowance(4, null, null));
    }

    @Test
    void takesOnlyTheTokensTheRateHasAndSaysSo() {
        SubmissionAllowance allowance = SubmissionAllowance.of("hpc", 32, 0, 0, 0.5, wanted -> 1);

        assertThat(allowance.runs()).isEqualTo(1);
        assertThat(allowance.limit()).isEqualTo("max-submissions-per-second");
        assertThat(allowance.waitingReason())
                .isEqualTo("waiting: cluster 'hpc' takes at most 0.5 submissions a second"
                        + " (backpressure.max-submissions-per-second)");
    }

    @Test
    void asksTheRateOnlyForWhatTheCapLeavesAndNothingWhenItLeavesNothing() {
        AtomicInteger asked = new AtomicInteger(-1);
        SubmissionAllowance.of("hpc", 32, 5, 3, 10, wanted -> {
            asked.set(wanted);
            return wanted;
        });
        assertThat(asked).hasValue(2);

        asked.set(-1);
        SubmissionAllowance atCap = SubmissionAllowance.of("hpc", 32, 5, 5, 10, wanted -> {
            asked.set(wanted);
            return wanted;
        });
        assertThat(asked).hasValue(-1); // no token is spent on a claim the cap refuses
        assertThat(atCap.limit()).isEqualTo("max-active-runs");
    }
}
