package io.slurmgateway.runs;

import java.math.BigDecimal;

/**
 * How many runs one claim on a cluster may take, and why the runs beyond them wait.
 *
 * @param runs how many runs the claim may take
 * @param waitingReason what the runs held back show while they wait; null when only the claim's own batch size
 *     bounded it, which holds nothing back
 * @param limit the property that holds them back, as the metric tag: {@code max-active-runs} or
 *     {@code max-submissions-per-second}; null with {@code waitingReason}
 */
record SubmissionAllowance(int runs, String waitingReason, String limit) {

    static final String MAX_ACTIVE_RUNS = "max-active-runs";
    static final String MAX_SUBMISSIONS_PER_SECOND = "max-submissions-per-second";

    /**
     * What a cluster admits of a claim for {@code requested} runs: no more than {@code maxActiveRuns} (0: no limit)
     * minus the {@code active} ones, and of those no more than the rate's tokens, which are taken here.
     *
     * @param takeTokens takes up to the given number of tokens of the rate and returns how many it took; null when the
     *     cluster limits no rate
     */
    static SubmissionAllowance of(
            String cluster,
            int requested,
            int maxActiveRuns,
            long active,
            double perSecond,
            java.util.function.IntUnaryOperator takeTokens) {
        int room = maxActiveRuns > 0 ? (int) Math.max(0, Math.min(requested, maxActiveRuns - active)) : requested;
        int tokens = takeTokens == null || room == 0 ? room : takeTokens.applyAsInt(room);
        if (room < requested) {
            return new SubmissionAllowance(
                    tokens,
                    "waiting: cluster '" + cluster + "' is at its limit of " + maxActiveRuns
                            + " active runs (backpressure." + MAX_ACTIVE_RUNS + ")",
                    MAX_ACTIVE_RUNS);
        }
        if (tokens < room) {
            return new SubmissionAllowance(
                    tokens,
                    "waiting: cluster '" + cluster + "' takes at most "
                            + BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString()
                            + " submissions a second (backpressure." + MAX_SUBMISSIONS_PER_SECOND + ")",
                    MAX_SUBMISSIONS_PER_SECOND);
        }
        return new SubmissionAllowance(tokens, null, null);
    }
}
