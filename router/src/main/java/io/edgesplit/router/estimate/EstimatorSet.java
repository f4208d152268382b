package io.edgesplit.router.estimate;

import io.edgesplit.router.CostTable;
import io.edgesplit.router.Estimates;
import io.edgesplit.router.LinkConditions;
import java.util.function.LongSupplier;

/**
 * Live estimates of every remote target of a {@link CostTable}: uplink and downlink bandwidth from
 * observed transfers (the uplink also from timeouts, as upper bounds), RTT, server queue delay from
 * the servers' replies and their announced load (relaxing towards 0 without news, see
 * {@link QueueEstimate}), failure rate, availability, plus how long the radio has been idle and how
 * often requests come. Starts from the profiles' nominal values. The clock is injected
 * ({@code nanoClock}), so tests and the simulator control time. Thread-safe: feeds and reads are synchronized; {@link #snapshot()} gives an immutable copy
 * for the planner.
 */
public final class EstimatorSet implements LinkConditions {

    /** Half-life of the failure rate's memory. */
    public static final long FAILURE_HALF_LIFE_NANOS = 30_000_000_000L;
    /** Smoothing gain of queue delay and request interval. */
    public static final double EWMA_GAIN = 0.2;
    /**
     * Default half-life of a queue-delay estimate without news: 5 s, a few announcement intervals
     * (edge servers refresh their STATE every 2 s by default), so a busy server's estimate sags by at
     * most a quarter between two of its announcements, while a stale one from a burst is down to an
     * eighth in 15 s. See docs/design.md, "Queue estimate: decay and announced load".
     */
    public static final long QUEUE_HALF_LIFE_NANOS = 5_000_000_000L;

    private final int targets;
    private final String[] ids;
    private final LongSupplier nanoClock;
    private final BandwidthEstimator[] up;
    private final BandwidthEstimator[] down;
    private final RttEstimator[] rtt;
    private final long queueHalfLifeNanos;
    private final QueueEstimate[] queue;
    private final DecayingRate[] failures;
    private final boolean[] available;
    private long lastRadioNanos = Long.MIN_VALUE;
    private long lastRequestNanos = Long.MIN_VALUE;
    private double intervalMillis = Double.POSITIVE_INFINITY;

    public EstimatorSet(CostTable table, LongSupplier nanoClock) {
        this(table, nanoClock, null);
    }

    /**
     * Estimators for a rebuilt cost table (servers came or went) that keep what {@code previous}
     * learned about every target still present, matched by target id, and its queue half-life.
     */
    public EstimatorSet(CostTable table, LongSupplier nanoClock, EstimatorSet previous) {
        this(table, nanoClock, previous, previous == null ? QUEUE_HALF_LIFE_NANOS : previous.queueHalfLifeNanos);
    }

    /**
     * As {@link #EstimatorSet(CostTable, LongSupplier, EstimatorSet)}, with queue-delay estimates that
     * halve every {@code queueHalfLifeNanos} without news.
     */
    public EstimatorSet(CostTable table, LongSupplier nanoClock, EstimatorSet previous, long queueHalfLifeNanos) {
        if (queueHalfLifeNanos <= 0) {
            throw new IllegalArgumentException("queueHalfLifeNanos: must be > 0, was " + queueHalfLifeNanos);
        }
        this.queueHalfLifeNanos = queueHalfLifeNanos;
        this.targets = table.targets().size();
        this.ids = new String[targets];
        for (int t = 0; t < targets; t++) {
            ids[t] = table.targets().get(t).kind() + ":" + table.targets().get(t).id();
        }
        this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
        up = new BandwidthEstimator[targets];
        down = new BandwidthEstimator[targets];
        rtt = new RttEstimator[targets];
        queue = new QueueEstimate[targets];
        failures = new DecayingRate[targets];
        available = new boolean[targets];
        for (int t = 1; t < targets; t++) {
            int old = previous == null ? -1 : previous.indexOf(ids[t]);
            if (old > 0) {
                synchronized (previous) {
                    up[t] = previous.up[old];
                    down[t] = previous.down[old];
                    rtt[t] = previous.rtt[old];
                    queue[t] = previous.queue[old].copy();
                    failures[t] = previous.failures[old];
                    available[t] = previous.available[old];
                }
            } else {
                up[t] = new BandwidthEstimator(table.nominalUplinkBitsPerSecond(t));
                down[t] = new BandwidthEstimator(table.nominalDownlinkBitsPerSecond(t));
                rtt[t] = new RttEstimator(table.nominalRttMillis(t));
                queue[t] = new QueueEstimate(queueHalfLifeNanos);
                failures[t] = new DecayingRate(FAILURE_HALF_LIFE_NANOS);
                available[t] = true;
            }
        }
        if (previous != null) {
            synchronized (previous) {
                lastRadioNanos = previous.lastRadioNanos;
                lastRequestNanos = previous.lastRequestNanos;
                intervalMillis = previous.intervalMillis;
            }
        }
    }

    private int indexOf(String id) {
        for (int t = 1; t < targets; t++) {
            if (ids[t].equals(id)) {
                return t;
            }
        }
        return -1;
    }

    private void check(int t) {
        if (t < 1 || t >= targets) {
            throw new IllegalArgumentException("target: must be 1.." + (targets - 1) + ", was " + t);
        }
    }

    /** A transfer of {@code bytes} to target {@code t} that took {@code nanos} on the wire. */
    public synchronized void onUplink(int t, long bytes, long nanos) {
        check(t);
        long now = nanoClock.getAsLong();
        up[t].sample(bytes, nanos, now);
        lastRadioNanos = now;
    }

    /**
     * {@code bytes} sent to target {@code t} got no answer in time: their transfer took longer than
     * {@code nanos} (the time waited minus what the rest of the round trip is estimated to take), so
     * the uplink carried less than {@code bytes / nanos}. A censored observation: it lowers an
     * estimate above that bound (see {@link BandwidthEstimator}) and leaves one below it alone.
     *
     * @return true when the estimate changed
     */
    public synchronized boolean onUplinkTimeout(int t, long bytes, long nanos) {
        check(t);
        long now = nanoClock.getAsLong();
        lastRadioNanos = now;
        return up[t].bound(bytes, nanos, now);
    }

    /**
     * {@code bytes} sent to target {@code t} were answered, within {@code nanos} of network time: the
     * uplink carried at least {@code bytes / nanos}. Undoes what timeouts imputed below that; the
     * estimate itself comes from {@link #onUplink}.
     */
    public synchronized void onUplinkDelivered(int t, long bytes, long nanos) {
        check(t);
        up[t].delivered(bytes, nanos);
    }

    /** A transfer of {@code bytes} from target {@code t} that took {@code nanos} on the wire. */
    public synchronized void onDownlink(int t, long bytes, long nanos) {
        check(t);
        long now = nanoClock.getAsLong();
        down[t].sample(bytes, nanos, now);
        lastRadioNanos = now;
    }

    public synchronized void onRtt(int t, double millis) {
        check(t);
        rtt[t].sample(millis);
    }

    /** The server's reply to target {@code t}, received now, says the request waited {@code millis} in its queue. */
    public synchronized void onQueueDelay(int t, double millis) {
        check(t);
        queue[t].reply(millis, nanoClock.getAsLong());
    }

    /**
     * Target {@code t}'s server announced, at {@code atNanos} on this estimator's clock, that a new
     * request would wait {@code millis} in its queue. The fresher observation wins: applied (replacing
     * the estimate, then decaying from {@code atNanos}) only when made after the last observation of
     * that queue, reply or announcement; a time in the future counts as now.
     *
     * @return true when applied
     * @throws IllegalArgumentException when {@code millis} is negative, infinite or NaN
     */
    public synchronized boolean onAnnouncedQueue(int t, double millis, long atNanos) {
        check(t);
        return queue[t].announced(millis, atNanos, nanoClock.getAsLong());
    }

    public synchronized void onSuccess(int t) {
        check(t);
        failures[t].record(false, nanoClock.getAsLong());
        available[t] = true;
    }

    public synchronized void onFailure(int t) {
        check(t);
        failures[t].record(true, nanoClock.getAsLong());
    }

    /** Marks a target up or down (circuit breaker state, a server's death notice). */
    public synchronized void setAvailable(int t, boolean isUp) {
        check(t);
        available[t] = isUp;
    }

    /** A request started: tracks the interval between requests. */
    public synchronized void onRequest() {
        long now = nanoClock.getAsLong();
        if (lastRequestNanos != Long.MIN_VALUE) {
            double ms = (now - lastRequestNanos) / 1e6;
            intervalMillis = Double.isInfinite(intervalMillis) ? ms : (1 - EWMA_GAIN) * intervalMillis + EWMA_GAIN * ms;
        }
        lastRequestNanos = now;
    }

    @Override
    public synchronized double uplinkBitsPerSecond(int t) {
        return up[t].bitsPerSecond(nanoClock.getAsLong());
    }

    @Override
    public synchronized double downlinkBitsPerSecond(int t) {
        return down[t].bitsPerSecond(nanoClock.getAsLong());
    }

    @Override
    public synchronized double rttMillis(int t) {
        return rtt[t].millis();
    }

    @Override
    public synchronized double queueMillis(int t) {
        return t == 0 ? 0 : queue[t].millis(nanoClock.getAsLong());
    }

    @Override
    public synchronized double failureRate(int t) {
        return failures[t].rate(nanoClock.getAsLong());
    }

    @Override
    public synchronized boolean available(int t) {
        return available[t];
    }

    @Override
    public synchronized double radioIdleMillis() {
        return lastRadioNanos == Long.MIN_VALUE ? Double.POSITIVE_INFINITY
                : (nanoClock.getAsLong() - lastRadioNanos) / 1e6;
    }

    @Override
    public synchronized double requestIntervalMillis() {
        return intervalMillis;
    }

    /** An immutable copy of every estimate now. */
    public synchronized Estimates snapshot() {
        return Estimates.copyOf(this, targets);
    }

    /** Number of bandwidth samples behind target {@code t}'s uplink estimate (0: still nominal). */
    public synchronized int uplinkSamples(int t) {
        check(t);
        return up[t].sampleCount();
    }

    /** The queue half-life of these estimators, ns. */
    public long queueHalfLifeNanos() {
        return queueHalfLifeNanos;
    }

    /** How many of those were imputed from timeouts ({@link #onUplinkTimeout}) rather than measured. */
    public synchronized int uplinkImputed(int t) {
        check(t);
        return up[t].imputedCount();
    }
}
