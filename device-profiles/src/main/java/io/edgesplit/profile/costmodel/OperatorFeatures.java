package io.edgesplit.profile.costmodel;

/**
 * What the operators of one type in one segment add up to: how many there are, their
 * multiply-accumulates and the activation bytes they move (non-constant inputs read plus outputs
 * written). The inputs of the per-type regression of {@link OperatorCostModel}.
 *
 * @param count operators of this type, >= 0
 * @param macs their multiply-accumulates, >= 0
 * @param bytes their activation bytes read and written, >= 0
 */
public record OperatorFeatures(long count, long macs, long bytes) {

    /** No operators. */
    public static final OperatorFeatures NONE = new OperatorFeatures(0, 0, 0);

    /** Validates every component; see the record description for the rules. */
    public OperatorFeatures {
        if (count < 0 || macs < 0 || bytes < 0) {
            throw new IllegalArgumentException("count, macs and bytes must be >= 0, were " + count + ", " + macs + ", "
                    + bytes);
        }
    }

    /** The sum of this and {@code other}. */
    public OperatorFeatures plus(OperatorFeatures other) {
        return new OperatorFeatures(count + other.count, macs + other.macs, bytes + other.bytes);
    }
}
