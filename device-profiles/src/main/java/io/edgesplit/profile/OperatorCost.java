package io.edgesplit.profile;

/**
 * The fitted cost of one operator type in a {@link CostModel}: the latency an operator of this type
 * adds to a segment is {@code nanosPerMac * MACs + nanosPerByte * activation bytes + nanosPerOperator},
 * where activation bytes are the bytes of its non-constant inputs read plus its outputs written.
 *
 * @param nanosPerMac nanoseconds per multiply-accumulate, finite and >= 0
 * @param nanosPerByte nanoseconds per activation byte read or written, finite and >= 0
 * @param nanosPerOperator fixed nanoseconds per operator (dispatch, setup), finite and >= 0
 */
public record OperatorCost(double nanosPerMac, double nanosPerByte, double nanosPerOperator) {

    /** Validates every component; see the record description for the rules. */
    public OperatorCost {
        check("nanosPerMac", nanosPerMac);
        check("nanosPerByte", nanosPerByte);
        check("nanosPerOperator", nanosPerOperator);
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + ": must be >= 0 and finite, was " + v);
        }
    }

    /** The nanoseconds this type adds for operators totalling {@code count}, {@code macs} and {@code bytes}. */
    public double nanos(long count, long macs, long bytes) {
        return nanosPerMac * macs + nanosPerByte * bytes + nanosPerOperator * count;
    }
}
