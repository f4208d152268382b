package io.edgesplit.profile;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Neurosurgeon-style latency model of one device at one thread count and delegate, as stored in a
 * profile's {@code costModels} section: a segment's median latency is {@link #perInvokeNanos()} plus,
 * for each of its operators, the {@link OperatorCost} of the operator's type applied to its MACs and
 * activation bytes. The profiler fits the coefficients to measured segments
 * ({@code io.edgesplit.profile.costmodel.OperatorCostModel}); {@link #macsPerSecond()} is the device's
 * measured compute throughput, used to scale predictions to devices that were not measured.
 *
 * <p>A cost model may have no operator coefficients at all: then it only states a throughput (for
 * example a server's, written by hand from a benchmark) and serves as the target of scaling.
 * Immutable and thread-safe; build with {@link #builder(int, Delegate)}.
 */
public final class CostModel {

    /**
     * Operator type names as {@code io.edgesplit.graph.ModelGraph#operatorCounts()} spells them:
     * TensorFlow Lite builtin names ({@code CONV_2D}), {@code BUILTIN_<code>} for codes this reader
     * does not name, {@code CUSTOM:<name>} for custom operators.
     */
    public static final Pattern OPERATOR_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}(?::[A-Za-z0-9_.-]{1,64})?");

    private final int threads;
    private final Delegate delegate;
    private final double macsPerSecond;
    private final double perInvokeNanos;
    private final Map<String, OperatorCost> operators;
    private final OptionalInt fittedSegments;
    private final OptionalDouble heldOutErrorPercent;

    private CostModel(Builder b) {
        this.threads = b.threads;
        this.delegate = b.delegate;
        this.macsPerSecond = b.macsPerSecond;
        this.perInvokeNanos = b.perInvokeNanos;
        this.operators = Collections.unmodifiableMap(new TreeMap<>(b.operators));
        this.fittedSegments = b.fittedSegments;
        this.heldOutErrorPercent = b.heldOutErrorPercent;
    }

    /** A builder for the model of {@code threads} threads (>= 1) on {@code delegate}. */
    public static Builder builder(int threads, Delegate delegate) {
        return new Builder(threads, delegate);
    }

    /** A builder holding this model's values. */
    public Builder toBuilder() {
        Builder b = new Builder(threads, delegate).macsPerSecond(macsPerSecond).perInvokeNanos(perInvokeNanos);
        operators.forEach(b::operator);
        fittedSegments.ifPresent(b::fittedSegments);
        heldOutErrorPercent.ifPresent(b::heldOutErrorPercent);
        return b;
    }

    /** Threads the model was measured with. */
    public int threads() {
        return threads;
    }

    /** Delegate the model was measured with. */
    public Delegate delegate() {
        return delegate;
    }

    /**
     * Measured compute throughput in multiply-accumulates per second: the MACs of the largest
     * measured segment over its median latency (for a profiled package, the widest whole model).
     */
    public double macsPerSecond() {
        return macsPerSecond;
    }

    /** Fixed nanoseconds of one invoke of any segment, whatever its operators. */
    public double perInvokeNanos() {
        return perInvokeNanos;
    }

    /** Coefficients by operator type, sorted by name; empty for a throughput-only model. */
    public Map<String, OperatorCost> operators() {
        return operators;
    }

    /** True when the model has operator coefficients and can predict a segment by itself. */
    public boolean hasOperatorCosts() {
        return !operators.isEmpty();
    }

    /** Number of measured segments the coefficients were fitted to, if recorded. */
    public OptionalInt fittedSegments() {
        return fittedSegments;
    }

    /**
     * The model's own error, if recorded: median absolute percentage error on segments held out of a
     * fit (fit on half the cuts, predict the others).
     */
    public OptionalDouble heldOutErrorPercent() {
        return heldOutErrorPercent;
    }

    /** Whether this and {@code other} describe the same thread count and delegate. */
    public boolean sameKey(CostModel other) {
        return threads == other.threads && delegate == other.delegate;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CostModel)) {
            return false;
        }
        CostModel c = (CostModel) o;
        return threads == c.threads && delegate == c.delegate && Double.compare(macsPerSecond, c.macsPerSecond) == 0
                && Double.compare(perInvokeNanos, c.perInvokeNanos) == 0 && operators.equals(c.operators)
                && fittedSegments.equals(c.fittedSegments) && heldOutErrorPercent.equals(c.heldOutErrorPercent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(threads, delegate, macsPerSecond, perInvokeNanos, operators, fittedSegments,
                heldOutErrorPercent);
    }

    @Override
    public String toString() {
        return "CostModel{threads=" + threads + ", delegate=" + delegate + ", macsPerSecond=" + macsPerSecond
                + ", perInvokeNanos=" + perInvokeNanos + ", operators=" + operators + ", fittedSegments="
                + fittedSegments + ", heldOutErrorPercent=" + heldOutErrorPercent + '}';
    }

    /** Builder for {@link CostModel}; the throughput is required. */
    public static final class Builder {
        private final int threads;
        private final Delegate delegate;
        private double macsPerSecond;
        private double perInvokeNanos;
        private final Map<String, OperatorCost> operators = new TreeMap<>();
        private OptionalInt fittedSegments = OptionalInt.empty();
        private OptionalDouble heldOutErrorPercent = OptionalDouble.empty();

        private Builder(int threads, Delegate delegate) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("threads: must be between 1 and 1024, was " + threads);
            }
            this.threads = threads;
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Measured throughput, > 0 and finite. */
        public Builder macsPerSecond(double macsPerSecond) {
            if (!(macsPerSecond > 0) || Double.isInfinite(macsPerSecond)) {
                throw new IllegalArgumentException("macsPerSecond: must be > 0 and finite, was " + macsPerSecond);
            }
            this.macsPerSecond = macsPerSecond;
            return this;
        }

        /** Fixed cost of one invoke, >= 0 and finite; default 0. */
        public Builder perInvokeNanos(double perInvokeNanos) {
            if (!(perInvokeNanos >= 0) || Double.isInfinite(perInvokeNanos)) {
                throw new IllegalArgumentException("perInvokeNanos: must be >= 0 and finite, was " + perInvokeNanos);
            }
            this.perInvokeNanos = perInvokeNanos;
            return this;
        }

        /** Sets the coefficients of one operator type (see {@link #OPERATOR_TYPE}). */
        public Builder operator(String type, OperatorCost cost) {
            Objects.requireNonNull(type, "type");
            if (!OPERATOR_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("operators: '" + type + "' is not an operator type name such as "
                        + "CONV_2D or CUSTOM:MyOp");
            }
            operators.put(type, Objects.requireNonNull(cost, "cost"));
            return this;
        }

        /** Number of segments fitted, >= 1. */
        public Builder fittedSegments(int segments) {
            if (segments < 1) {
                throw new IllegalArgumentException("fittedSegments: must be >= 1, was " + segments);
            }
            this.fittedSegments = OptionalInt.of(segments);
            return this;
        }

        /** Held-out median absolute percentage error, >= 0 and finite. */
        public Builder heldOutErrorPercent(double percent) {
            if (!(percent >= 0) || Double.isInfinite(percent)) {
                throw new IllegalArgumentException("heldOutErrorPercent: must be >= 0 and finite, was " + percent);
            }
            this.heldOutErrorPercent = OptionalDouble.of(percent);
            return this;
        }

        /** @throws IllegalArgumentException when the throughput was not set */
        public CostModel build() {
            if (macsPerSecond == 0) {
                throw new IllegalArgumentException("macsPerSecond: is required");
            }
            return new CostModel(this);
        }
    }
}
