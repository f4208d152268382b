package io.edgesplit.router.estimate;

/**
 * The expected wait in one server's queue, from two kinds of observation: the queue time a reply
 * reports (one request's wait: smoothed) and the expected wait the server announces (its own
 * aggregate over every queued request: taken as it is). Not thread-safe (the {@link EstimatorSet}
 * synchronizes).
 *
 * <p>Without news the estimate relaxes towards 0, halving every {@code halfLifeNanos} since the last
 * observation: a wait measured during a burst says less and less about the queue now, and a planner
 * that avoids a server it believes busy sends it nothing that could report otherwise. The freshest
 * observation wins: an announcement made before the last observation (a reply, or a later
 * announcement) changes nothing. A reply is smoothed with what is left of the estimate: with gain
 * {@link EstimatorSet#EWMA_GAIN} right after the previous observation, with (nearly) all the weight
 * after a long silence, since the value it would be averaged with has decayed for lack of evidence.
 */
final class QueueEstimate {

    private final double halfLifeNanos;
    /** The estimate at {@link #atNanos}, ms. */
    private double millis;
    private long atNanos;
    private boolean observed;

    QueueEstimate(long halfLifeNanos) {
        if (halfLifeNanos <= 0) {
            throw new IllegalArgumentException("queue half-life: must be > 0 ns, was " + halfLifeNanos);
        }
        this.halfLifeNanos = halfLifeNanos;
    }

    QueueEstimate copy() {
        QueueEstimate c = new QueueEstimate((long) halfLifeNanos);
        c.millis = millis;
        c.atNanos = atNanos;
        c.observed = observed;
        return c;
    }

    /** What is left at {@code nowNanos} of an observation's weight (1 right after it). */
    private double weight(long nowNanos) {
        long dt = nowNanos - atNanos;
        return dt <= 0 ? 1 : Math.pow(0.5, dt / halfLifeNanos);
    }

    /** A reply observed at {@code nowNanos} says its request waited {@code sampleMillis}; ignored unless finite and >= 0. */
    void reply(double sampleMillis, long nowNanos) {
        if (!(sampleMillis >= 0) || Double.isInfinite(sampleMillis)) {
            return;
        }
        // Before any observation the estimate is 0 with a full sample's weight, as the plain EWMA started.
        double keep = (1 - EstimatorSet.EWMA_GAIN) * (observed ? weight(nowNanos) : 1);
        millis = keep * millis + (1 - keep) * sampleMillis;
        atNanos = observed ? Math.max(atNanos, nowNanos) : nowNanos;
        observed = true;
    }

    /**
     * The server announced, at {@code atNanos}, that a new request would wait {@code announcedMillis}.
     *
     * @return true when applied; false when not fresher than the last observation
     */
    boolean announced(double announcedMillis, long atNanos, long nowNanos) {
        if (!(announcedMillis >= 0) || Double.isInfinite(announcedMillis)) {
            throw new IllegalArgumentException("announced queue: must be finite and >= 0 ms, was " + announcedMillis);
        }
        long at = Math.min(atNanos, nowNanos); // not in the future
        if (observed && at - this.atNanos <= 0) {
            return false;
        }
        millis = announcedMillis;
        this.atNanos = at;
        observed = true;
        return true;
    }

    /** The estimate at {@code nowNanos}, ms. */
    double millis(long nowNanos) {
        return observed ? millis * weight(nowNanos) : 0;
    }

    /** When the last observation was made (on the estimators' clock), or {@link Long#MIN_VALUE} before any. */
    long observedAtNanos() {
        return observed ? atNanos : Long.MIN_VALUE;
    }
}
