package io.edgesplit.router.estimate;

/**
 * A fraction (failures among requests) with exponentially decaying weights: each observation's
 * weight halves every {@code halfLifeNanos}, so the rate reflects the recent past and recovers by
 * itself after an outage. The denominator is at least one observation's weight: with plenty of recent
 * requests the rate is the weighted fraction, and when requests stop (the planner avoids a target
 * that failed) the rate itself halves every half-life instead of staying at its last value, which a
 * plain ratio of two equally decaying sums would do. Not thread-safe.
 */
final class DecayingRate {

    private final double halfLifeNanos;
    private double hits;
    private double total;
    private long lastNanos;
    private boolean started;

    DecayingRate(long halfLifeNanos) {
        this.halfLifeNanos = halfLifeNanos;
    }

    void record(boolean hit, long nowNanos) {
        decay(nowNanos);
        total += 1;
        if (hit) {
            hits += 1;
        }
    }

    /**
     * Failures among the weighted requests; while less than one request's weight is left, the missing
     * weight counts as successes. Otherwise the ratio would never move without new observations: a
     * target that failed once is avoided by the planner, so nothing new is observed about it, and one
     * early failure would keep it at 1.0 for ever.
     */
    double rate(long nowNanos) {
        decay(nowNanos);
        return hits / Math.max(total, 1.0);
    }

    private void decay(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long dt = nowNanos - lastNanos;
        if (dt > 0) {
            double f = Math.pow(0.5, dt / halfLifeNanos);
            hits *= f;
            total *= f;
            lastNanos = nowNanos;
        }
    }
}
