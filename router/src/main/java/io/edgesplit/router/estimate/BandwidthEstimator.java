package io.edgesplit.router.estimate;

/**
 * Bandwidth of one direction of one link, from observed transfers. Not thread-safe (the
 * {@link EstimatorSet} synchronizes).
 *
 * <p>Robust to outliers: the estimate is the harmonic mean of the last {@link #WINDOW} samples
 * (bytes / transfer time), which follows sustained changes within a few transfers but is pulled
 * only a little by one very fast sample and stays conservative after a slow one, as in
 * throughput-based adaptive video. Tiny transfers (below {@link #MIN_SAMPLE_BYTES}) measure latency
 * rather than bandwidth and are ignored. Robust to idle gaps: when no sample arrived for
 * {@link #STALE_AFTER_NANOS}, the estimate relaxes towards the nominal value with a half-life of
 * {@link #STALE_HALF_LIFE_NANOS}, because an old measurement says less and less about a mobile link.
 * Before any sample it is the nominal value from the device profile (cold start).
 *
 * <p>Timeouts are censored observations ({@link #bound}): a transfer that was not answered in time
 * took longer than the time it had, so the throughput was below {@code U = bytes / time}. When the
 * estimate says otherwise (it is at least {@code U}), the samples at or above {@code U} are dropped,
 * since the link provably no longer delivers them, and {@code U / 2} is imputed in their place: the
 * mean of a throughput known only to lie in (0, U), and the cut TCP makes when a loss says its rate
 * was too high. (Imputing {@code U} itself would leave the request that timed out predicted to just
 * fit, so the planner would send it again.) An estimate already below {@code U} is consistent with the
 * timeout and stays. An imputed value stands until the link shows more: a measured sample replaces
 * it, and so does a delivered transfer whose lower bound ({@link #delivered}) reaches it.
 */
final class BandwidthEstimator {

    static final int WINDOW = 5;
    static final long MIN_SAMPLE_BYTES = 4096;
    static final long STALE_AFTER_NANOS = 10_000_000_000L;
    static final long STALE_HALF_LIFE_NANOS = 30_000_000_000L;

    private final double nominalBitsPerSecond;
    /** Oldest first: measured samples and imputed values, bits per second. */
    private final double[] samples = new double[WINDOW];
    private final boolean[] imputed = new boolean[WINDOW];
    private int count;
    private long lastSampleNanos;

    BandwidthEstimator(double nominalBitsPerSecond) {
        if (!(nominalBitsPerSecond > 0)) {
            throw new IllegalArgumentException("nominalBitsPerSecond: must be > 0, was " + nominalBitsPerSecond);
        }
        this.nominalBitsPerSecond = nominalBitsPerSecond;
    }

    /** Records a transfer of {@code bytes} that took {@code nanos}, observed at {@code nowNanos}. */
    void sample(long bytes, long nanos, long nowNanos) {
        if (bytes < MIN_SAMPLE_BYTES || nanos <= 0) {
            return;
        }
        drop(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true); // a measurement supersedes what was imputed
        add(bytes * 8e9 / nanos, false);
        lastSampleNanos = nowNanos;
    }

    /**
     * Records a transfer of {@code bytes} that took longer than {@code nanos} (it was not answered in
     * time), observed at {@code nowNanos}: the throughput was below {@code bytes / nanos}.
     *
     * @return true when the estimate changed (it was not below the bound)
     */
    boolean bound(long bytes, long nanos, long nowNanos) {
        if (bytes < MIN_SAMPLE_BYTES || nanos <= 0) {
            return false;
        }
        double upper = bytes * 8e9 / nanos;
        if (bitsPerSecond(nowNanos) < upper) {
            return false;
        }
        drop(upper, Double.POSITIVE_INFINITY, false);
        add(upper / 2, true);
        lastSampleNanos = nowNanos;
        return true;
    }

    /**
     * Records a transfer of {@code bytes} that was delivered and answered within {@code nanos}: the
     * throughput was at least {@code bytes / nanos} (infinite when {@code nanos <= 0}). Removes the
     * imputed values it exceeds; measured samples stay (this is a bound, not a measurement).
     */
    void delivered(long bytes, long nanos) {
        if (bytes < MIN_SAMPLE_BYTES) {
            return;
        }
        drop(Double.NEGATIVE_INFINITY, nanos <= 0 ? Double.POSITIVE_INFINITY : bytes * 8e9 / nanos, true);
    }

    private void add(double bitsPerSecond, boolean isImputed) {
        if (count == WINDOW) {
            System.arraycopy(samples, 1, samples, 0, WINDOW - 1);
            System.arraycopy(imputed, 1, imputed, 0, WINDOW - 1);
            count--;
        }
        samples[count] = bitsPerSecond;
        imputed[count] = isImputed;
        count++;
    }

    /** Drops the values in [{@code from}, {@code to}] bits per second; only imputed ones when {@code imputedOnly}. */
    private void drop(double from, double to, boolean imputedOnly) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean inRange = samples[i] >= from && samples[i] <= to;
            if (!(inRange && (imputed[i] || !imputedOnly))) {
                samples[kept] = samples[i];
                imputed[kept] = imputed[i];
                kept++;
            }
        }
        count = kept;
    }

    /** The estimate at {@code nowNanos}, bits per second. */
    double bitsPerSecond(long nowNanos) {
        if (count == 0) {
            return nominalBitsPerSecond;
        }
        double inverse = 0;
        for (int i = 0; i < count; i++) {
            inverse += 1 / samples[i];
        }
        double measured = count / inverse;
        long idle = nowNanos - lastSampleNanos;
        if (idle <= STALE_AFTER_NANOS) {
            return measured;
        }
        double weight = Math.pow(0.5, (idle - STALE_AFTER_NANOS) / (double) STALE_HALF_LIFE_NANOS);
        return weight * measured + (1 - weight) * nominalBitsPerSecond;
    }

    /** Values behind the estimate, measured or imputed (0: still nominal). */
    int sampleCount() {
        return count;
    }

    /** Imputed values (from timeouts) among them. */
    int imputedCount() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (imputed[i]) {
                n++;
            }
        }
        return n;
    }
}
