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
 */
final class BandwidthEstimator {

    static final int WINDOW = 5;
    static final long MIN_SAMPLE_BYTES = 4096;
    static final long STALE_AFTER_NANOS = 10_000_000_000L;
    static final long STALE_HALF_LIFE_NANOS = 30_000_000_000L;

    private final double nominalBitsPerSecond;
    private final double[] samples = new double[WINDOW];
    private int count;
    private int next;
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
        samples[next] = bytes * 8e9 / nanos;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        lastSampleNanos = nowNanos;
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

    int sampleCount() {
        return count;
    }
}
