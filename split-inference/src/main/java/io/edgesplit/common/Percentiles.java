package io.edgesplit.common;

import java.util.Arrays;

/**
 * Nearest-rank percentiles: the one definition that latency reports (simulation, runtime telemetry,
 * demo) use, so their p50/p95/p99 mean the same thing.
 *
 * <p>For a sample of {@code n >= 1} values sorted ascending, {@code x[1] <= ... <= x[n]}, percentile
 * {@code p} (0 to 100) is {@code x[k]} with {@code k = ceil(p * n / 100)}, raised to 1 when it is 0:
 * the smallest sample value that at least {@code p}% of the sample is less than or equal to. So
 *
 * <ul>
 *   <li>the result is always a value of the sample; there is no interpolation (p50 of an even count is
 *       the lower of the two middle values, not their mean);
 *   <li>p0 is the minimum and p100 the maximum; a one-value sample gives that value for every {@code p};
 *   <li>an empty sample gives NaN;
 *   <li>{@code p} outside [0, 100], or NaN, is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>{@code k} is computed as {@code ceil(p * n / 100)}, which is exact for whole-number {@code p}
 * (written {@code p / 100 * n} it is not: {@code 7 / 100.0 * 100} is 7.000000000000001, rank 8).
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The 0-based index of percentile {@code p} in a sorted sample of {@code size} values, that is
     * {@code k - 1} in the class description; for samples kept in other primitive types.
     *
     * @throws IllegalArgumentException when {@code size < 1} or {@code p} is not in [0, 100]
     */
    public static int index(int size, double p) {
        if (size < 1) {
            throw new IllegalArgumentException("percentile of an empty sample (size " + size + ")");
        }
        requirePercent(p);
        int rank = (int) Math.ceil(p * size / 100);
        return Math.max(1, Math.min(size, rank)) - 1;
    }

    /**
     * Percentile {@code p} of values already sorted ascending (not checked; unsorted input gives a
     * meaningless result); reads the array, never changes it. NaN when {@code sorted} is empty.
     *
     * @throws IllegalArgumentException when {@code p} is not in [0, 100]
     */
    public static double ofSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            requirePercent(p);
            return Double.NaN;
        }
        return sorted[index(sorted.length, p)];
    }

    /**
     * Percentile {@code p} of values in any order: sorts a copy, so {@code values} is left as it was.
     * NaN when {@code values} is empty. To take several percentiles of one sample, sort it once and
     * call {@link #ofSorted} instead.
     *
     * @throws IllegalArgumentException when {@code p} is not in [0, 100]
     */
    public static double of(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    private static void requirePercent(double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile: p must be in [0, 100], was " + p);
        }
    }
}
