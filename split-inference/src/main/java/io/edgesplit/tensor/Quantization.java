package io.edgesplit.tensor;

import java.util.Arrays;

/**
 * Affine quantization of a tensor: {@code real = scale * (q - zeroPoint)}, per tensor or per
 * channel along {@link #axis()}. Immutable.
 */
public final class Quantization {

    /** No quantization: values are used as they are. */
    public static final Quantization NONE = new Quantization(new float[0], new long[0], 0);

    private final float[] scales;
    private final long[] zeroPoints;
    private final int axis;

    private Quantization(float[] scales, long[] zeroPoints, int axis) {
        this.scales = scales;
        this.zeroPoints = zeroPoints;
        this.axis = axis;
    }

    /** Per-tensor quantization. */
    public static Quantization perTensor(float scale, long zeroPoint) {
        checkScale(scale, 0);
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    /**
     * Per-channel quantization along {@code axis}; {@code zeroPoints} has one entry per scale, or a
     * single entry shared by every channel.
     */
    public static Quantization perChannel(float[] scales, long[] zeroPoints, int axis) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("scales: must not be empty");
        }
        if (zeroPoints.length != scales.length && zeroPoints.length != 1) {
            throw new IllegalArgumentException("zeroPoints: expected " + scales.length
                    + " entries (one per scale) or 1, was " + zeroPoints.length);
        }
        if (axis < 0) {
            throw new IllegalArgumentException("axis: must be >= 0, was " + axis);
        }
        for (int i = 0; i < scales.length; i++) {
            checkScale(scales[i], i);
        }
        long[] zps = zeroPoints.length == scales.length ? zeroPoints.clone() : filled(scales.length, zeroPoints[0]);
        return new Quantization(scales.clone(), zps, axis);
    }

    /**
     * Builds from TensorFlow Lite's representation, where missing or empty scale arrays mean "not
     * quantized".
     */
    public static Quantization of(float[] scales, long[] zeroPoints, int axis) {
        if (scales == null || scales.length == 0) {
            return NONE;
        }
        long[] zps = zeroPoints == null || zeroPoints.length == 0 ? new long[] {0} : zeroPoints;
        if (scales.length == 1) {
            return perTensor(scales[0], zps[0]);
        }
        return perChannel(scales, zps, axis);
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void checkScale(float scale, int index) {
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale[" + index + "]: must be a finite number > 0, was " + scale);
        }
    }

    public boolean isQuantized() {
        return scales.length > 0;
    }

    public boolean isPerChannel() {
        return scales.length > 1;
    }

    /** Number of (scale, zero point) pairs: 0 when not quantized, 1 per tensor, else channels. */
    public int channelCount() {
        return scales.length;
    }

    /** Scale of the tensor (or of channel 0). */
    public float scale() {
        requireQuantized();
        return scales[0];
    }

    /** Zero point of the tensor (or of channel 0). */
    public long zeroPoint() {
        requireQuantized();
        return zeroPoints[0];
    }

    public float scale(int channel) {
        return scales[channel];
    }

    public long zeroPoint(int channel) {
        return zeroPoints[channel];
    }

    /** The quantized dimension for per-channel quantization. */
    public int axis() {
        return axis;
    }

    public float[] scales() {
        return scales.clone();
    }

    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    private void requireQuantized() {
        if (!isQuantized()) {
            throw new IllegalStateException("tensor is not quantized");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Quantization)) {
            return false;
        }
        Quantization q = (Quantization) o;
        return axis == q.axis && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints)) + axis;
    }

    @Override
    public String toString() {
        if (!isQuantized()) {
            return "none";
        }
        if (!isPerChannel()) {
            return "scale=" + scales[0] + " zeroPoint=" + zeroPoints[0];
        }
        return "per-channel(axis=" + axis + ", channels=" + scales.length + ")";
    }
}
