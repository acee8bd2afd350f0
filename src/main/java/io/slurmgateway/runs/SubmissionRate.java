package io.slurmgateway.runs;

import java.util.function.LongSupplier;

/**
 * A token bucket for one cluster's submissions on this instance: {@code burst} tokens at most, refilled at
 * {@code perSecond}. Shared by the submitting threads of all the cluster's identities, so each call is atomic.
 */
final class SubmissionRate {

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    SubmissionRate(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate needs tokens a second and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes up to {@code wanted} whole tokens and returns how many it took (0 when none is there). */
    synchronized int take(int wanted) {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        int taken = (int) Math.min(Math.max(wanted, 0), Math.floor(tokens));
        tokens -= taken;
        return taken;
    }

    /** Returns tokens taken for submissions that did not happen (there were fewer runs waiting). */
    synchronized void giveBack(int unused) {
        tokens = Math.min(burst, tokens + Math.max(unused, 0));
    }
}
