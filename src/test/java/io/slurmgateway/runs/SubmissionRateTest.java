package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmissionRateTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void givesAtMostTheBurstAtOnce() {
        SubmissionRate rate = new SubmissionRate(2, 3, now::get);

        assertThat(rate.take(10)).isEqualTo(3);
        assertThat(rate.take(10)).isZero();
    }

    @Test
    void refillsAtTheRateUpToTheBurst() {
        SubmissionRate rate = new SubmissionRate(2, 3, now::get);
        rate.take(3);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        assertThat(rate.take(10)).isZero();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(rate.take(10)).isEqualTo(1);
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(rate.take(10)).isEqualTo(3);
    }

    @Test
    void takesFractionalRatesInWholeSubmissions() {
        SubmissionRate rate = new SubmissionRate(0.5, 1, now::get);
        rate.take(1);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_999));
        assertThat(rate.take(1)).isZero();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(rate.take(1)).isEqualTo(1);
    }

    @Test
    void tokensGivenBackServeTheNextClaimButNeverExceedTheBurst() {
        SubmissionRate rate = new SubmissionRate(1, 4, now::get);
        assertThat(rate.take(4)).isEqualTo(4);

        rate.giveBack(3); // only one run was there to submit
        assertThat(rate.take(10)).isEqualTo(3);
        rate.giveBack(100);
        assertThat(rate.take(10)).isEqualTo(4);
    }
}
