package io.edgesplit.router.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The capacity of one direction of a link over time: a piecewise-constant rate in bits per second
 * that repeats with a period (traces loop, as mahimahi's do). Segment {@code i} holds
 * {@link #bitsPerSecondOfSegment(int)} from {@link #segmentStartMillis(int)} until the next
 * segment's start (the last one until {@link #periodMillis()}). Time 0 is the start of the trace.
 *
 * <p>Transfers integrate the rate exactly across segments and periods, so a transfer that starts in
 * a fast second and runs into an outage takes as long as the trace says. Immutable and thread-safe.
 */
public final class BandwidthTrace {

    private final String name;
    private final double[] startMillis;
    private final double[] bitsPerSecond;
    private final double periodMillis;
    /** Bits delivered from time 0 to the start of each segment; the last element is a whole period. */
    private final double[] cumulativeBits;
    private final double sampleMeanBitsPerSecond;

    private BandwidthTrace(String name, double[] startMillis, double[] bitsPerSecond, double periodMillis,
            double sampleMeanBitsPerSecond) {
        this.name = name;
        this.startMillis = startMillis;
        this.bitsPerSecond = bitsPerSecond;
        this.periodMillis = periodMillis;
        this.cumulativeBits = new double[startMillis.length + 1];
        for (int i = 0; i < startMillis.length; i++) {
            double end = i + 1 < startMillis.length ? startMillis[i + 1] : periodMillis;
            cumulativeBits[i + 1] = cumulativeBits[i] + bitsPerSecond[i] * (end - startMillis[i]) / 1000.0;
        }
        this.sampleMeanBitsPerSecond = sampleMeanBitsPerSecond;
    }

    /**
     * A trace from segment starts and rates.
     *
     * @param name where the trace came from, for reports ("Verizon-LTE-short.down")
     * @param startMillis segment starts: the first is 0, strictly increasing, all below {@code periodMillis}
     * @param bitsPerSecond each segment's rate, finite and >= 0; at least one > 0
     * @param periodMillis the length of the trace; it repeats after that
     * @throws IllegalArgumentException naming the first value that breaks a rule
     */
    public static BandwidthTrace of(String name, double[] startMillis, double[] bitsPerSecond, double periodMillis) {
        return of(name, startMillis, bitsPerSecond, periodMillis, Double.NaN);
    }

    /**
     * Like {@link #of(String, double[], double[], double)}, also keeping the plain mean of the samples
     * the trace was read from (which differs from the time-weighted {@link #meanBitsPerSecond()} when
     * sampling is irregular); NaN to use the time-weighted mean.
     */
    public static BandwidthTrace of(String name, double[] startMillis, double[] bitsPerSecond, double periodMillis,
            double sampleMeanBitsPerSecond) {
        Objects.requireNonNull(name, "name");
        if (startMillis.length == 0 || startMillis.length != bitsPerSecond.length) {
            throw new IllegalArgumentException("trace " + name + ": needs as many segment starts as rates and at "
                    + "least one, got " + startMillis.length + " starts and " + bitsPerSecond.length + " rates");
        }
        if (!(periodMillis > 0) || Double.isInfinite(periodMillis)) {
            throw new IllegalArgumentException("trace " + name + ": periodMillis must be finite and > 0, was "
                    + periodMillis);
        }
        if (startMillis[0] != 0) {
            throw new IllegalArgumentException("trace " + name + ": the first segment must start at 0 ms, was "
                    + startMillis[0]);
        }
        boolean delivers = false;
        for (int i = 0; i < startMillis.length; i++) {
            if (i > 0 && !(startMillis[i] > startMillis[i - 1])) {
                throw new IllegalArgumentException("trace " + name + ": segment " + i + " starts at " + startMillis[i]
                        + " ms, not after segment " + (i - 1) + " at " + startMillis[i - 1] + " ms");
            }
            if (!(startMillis[i] < periodMillis)) {
                throw new IllegalArgumentException("trace " + name + ": segment " + i + " starts at " + startMillis[i]
                        + " ms, not before the end of the period at " + periodMillis + " ms");
            }
            if (!(bitsPerSecond[i] >= 0) || Double.isInfinite(bitsPerSecond[i])) {
                throw new IllegalArgumentException("trace " + name + ": segment " + i + " has rate " + bitsPerSecond[i]
                        + " bit/s; rates must be finite and >= 0");
            }
            delivers |= bitsPerSecond[i] > 0;
        }
        if (!delivers) {
            throw new IllegalArgumentException("trace " + name + ": every segment has rate 0; a trace must deliver "
                    + "something");
        }
        return new BandwidthTrace(name, startMillis.clone(), bitsPerSecond.clone(), periodMillis,
                sampleMeanBitsPerSecond);
    }

    /** A link of constant rate (a period of one second). */
    public static BandwidthTrace constant(String name, double bitsPerSecond) {
        return of(name, new double[] {0}, new double[] {bitsPerSecond}, 1000);
    }

    /** The same trace with every rate multiplied by {@code factor} (> 0), named "name x factor". */
    public BandwidthTrace scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scale factor: must be finite and > 0, was " + factor);
        }
        if (factor == 1) {
            return this;
        }
        double[] rates = bitsPerSecond.clone();
        for (int i = 0; i < rates.length; i++) {
            rates[i] *= factor;
        }
        return new BandwidthTrace(String.format(Locale.ROOT, "%s x%s", name, factor), startMillis, rates,
                periodMillis, sampleMeanBitsPerSecond * factor);
    }

    /** Where the trace came from. */
    public String name() {
        return name;
    }

    /** Length of one pass of the trace; it loops after that. */
    public double periodMillis() {
        return periodMillis;
    }

    public int segmentCount() {
        return startMillis.length;
    }

    public double segmentStartMillis(int i) {
        return startMillis[i];
    }

    public double bitsPerSecondOfSegment(int i) {
        return bitsPerSecond[i];
    }

    /** Time-weighted mean rate over one period: what a long transfer sees on average. */
    public double meanBitsPerSecond() {
        return cumulativeBits[startMillis.length] * 1000.0 / periodMillis;
    }

    /**
     * The plain mean of the samples the trace was read from, as trace catalogs usually quote it; equal
     * to {@link #meanBitsPerSecond()} for traces without samples of their own (packet traces, hand-made).
     */
    public double sampleMeanBitsPerSecond() {
        return Double.isNaN(sampleMeanBitsPerSecond) ? meanBitsPerSecond() : sampleMeanBitsPerSecond;
    }

    /** The rate at time {@code millis} (any time, looping; negative times count back from 0). */
    public double bitsPerSecondAt(double millis) {
        return bitsPerSecond[segmentAt(positionInPeriod(millis))];
    }

    /** Bits the link can deliver between {@code fromMillis} and {@code toMillis} (0 when to <= from). */
    public double bitsDeliverable(double fromMillis, double toMillis) {
        if (!(toMillis > fromMillis)) {
            return 0;
        }
        return bitsUntil(toMillis) - bitsUntil(fromMillis);
    }

    /**
     * When a transfer of {@code bytes} that starts at {@code startMillis} ends: the first time by which
     * the link has delivered {@code bytes * 8} bits since the start. Exact across segments, outages
     * (rate 0) and loops.
     */
    public double transferEndMillis(double startMillis, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: must be >= 0, was " + bytes);
        }
        if (bytes == 0) {
            return startMillis;
        }
        double total = cumulativeBits[this.startMillis.length];
        double target = bitsUntil(startMillis) + bytes * 8.0;
        double periods = Math.floor(target / total);
        double remaining = target - periods * total;
        if (remaining <= 0) {
            // the last bit arrives at the end of the last delivering segment of the previous period
            periods -= 1;
            remaining = total;
        }
        // first segment whose end has delivered at least `remaining` bits
        int lo = 0;
        int hi = this.startMillis.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeBits[mid + 1] >= remaining) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        double within = this.startMillis[lo] + (remaining - cumulativeBits[lo]) * 1000.0 / bitsPerSecond[lo];
        double end = periods * periodMillis + within;
        // rounding must never make a transfer end before it started
        return Math.max(end, startMillis);
    }

    /** Bits delivered from time 0 to {@code millis}. */
    private double bitsUntil(double millis) {
        double periods = Math.floor(millis / periodMillis);
        double r = millis - periods * periodMillis;
        if (r >= periodMillis) { // rounding
            periods += 1;
            r = 0;
        }
        int i = segmentAt(r);
        return periods * cumulativeBits[startMillis.length] + cumulativeBits[i]
                + bitsPerSecond[i] * (r - startMillis[i]) / 1000.0;
    }

    private double positionInPeriod(double millis) {
        double r = millis - Math.floor(millis / periodMillis) * periodMillis;
        return r >= periodMillis ? 0 : r;
    }

    /** Index of the segment containing {@code r} in [0, period). */
    private int segmentAt(double r) {
        int i = Arrays.binarySearch(startMillis, r);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BandwidthTrace{%s, %d segments, %.1f s, mean %.2f Mbit/s}", name,
                startMillis.length, periodMillis / 1000, meanBitsPerSecond() / 1e6);
    }
}
