package io.edgesplit.profile;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A measured latency of one model segment (a head or tail file of a model package, identified by
 * the sha256 of its bytes) on the profile's hardware with a given thread count and delegate. The
 * on-device profiler writes these; the router's cost table reads them.
 *
 * @param segmentSha256 64 lower-case hex digits
 * @param threads threads the measurement used, >= 1
 * @param delegate delegate the measurement used
 * @param medianMillis median latency of one invoke, > 0
 * @param p95Millis 95th percentile, >= median
 * @param runs number of timed runs, >= 1
 */
public record SegmentLatency(String segmentSha256, int threads, Delegate delegate, double medianMillis,
        double p95Millis, int runs) {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Validates every component; see the record description for the rules. */
    public SegmentLatency {
        Objects.requireNonNull(segmentSha256, "segmentSha256");
        Objects.requireNonNull(delegate, "delegate");
        if (!SHA256.matcher(segmentSha256).matches()) {
            throw new IllegalArgumentException("segmentSha256: must be 64 lower-case hex digits, was '"
                    + segmentSha256 + "'");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, was " + threads);
        }
        if (!(medianMillis > 0) || Double.isInfinite(medianMillis)) {
            throw new IllegalArgumentException("medianMillis: must be > 0, was " + medianMillis);
        }
        if (!(p95Millis >= medianMillis) || Double.isInfinite(p95Millis)) {
            throw new IllegalArgumentException("p95Millis: must be >= medianMillis " + medianMillis + ", was " + p95Millis);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs: must be >= 1, was " + runs);
        }
    }

    /** Whether this and {@code other} measure the same segment, threads and delegate. */
    public boolean sameKey(SegmentLatency other) {
        return segmentSha256.equals(other.segmentSha256) && threads == other.threads && delegate == other.delegate;
    }
}
