package io.edgesplit.codec;

/**
 * The 8-bit affine mapping shared by {@code int8} and {@code int8c}: {@code real = scale * (q -
 * zeroPoint)} with {@code q} and {@code zeroPoint} in [0, 255], as TensorFlow Lite's uint8
 * quantization.
 *
 * <p>The range is the min/max of the finite values, widened to include 0 (as TensorFlow Lite and
 * gemmlowp do), so that 0 has an exact code: ReLU zeros decode as exact zeros and stay one repeated
 * byte for the LZ4 stage. Every finite value in the range then decodes within {@code scale / 2} of
 * itself, up to float rounding (a relative 1e-5 of the scale at most). Non-finite values have no 8-bit code: {@code +Infinity} clamps to the top of the range
 * (code 255), {@code -Infinity} to the bottom (code 0) and NaN decodes as 0 (the zero point's code).
 */
final class Affine8 {

    static final int Q_MAX = 255;

    private Affine8() {
    }

    /**
     * Scale for finite values in [{@code min}, {@code max}]; pass {@code min = +Infinity, max =
     * -Infinity} when there were none. A range of zero width (all zeros, no finite values) gets
     * scale 1; the scale never drops below the smallest normal float, so its inverse stays finite.
     */
    static float scale(float min, float max) {
        double lo = Math.min(min, 0f);
        double hi = Math.max(max, 0f);
        if (!(hi > lo)) {
            return 1f;
        }
        // in double: hi - lo may exceed Float.MAX_VALUE before the division brings it back
        float scale = (float) ((hi - lo) / Q_MAX);
        return Math.max(scale, Float.MIN_NORMAL);
    }

    /** The code of 0.0 for a range starting at {@code min} (the range includes 0, so it is in [0, 255]). */
    static int zeroPoint(float min, float scale) {
        float lo = Math.min(min, 0f);
        int zp = Math.round(-lo / scale);
        return Math.max(0, Math.min(Q_MAX, zp));
    }

    /**
     * Nearest code of {@code x} (ties up), clamped to [0, 255]; NaN maps to {@code zeroPoint}. Written
     * without data-dependent branches (ternaries become conditional moves): ReLU data alternates
     * zeros and non-zeros at random, which a branch would mispredict. NaN is rare, so its branch is not.
     */
    static int quantize(float x, float inverseScale, int zeroPoint) {
        float v = x * inverseScale + zeroPoint;
        if (v != v) {
            v = zeroPoint;
        }
        v += 0.5f;
        v = v < 0f ? 0f : v;
        v = v > Q_MAX + 0.5f ? Q_MAX + 0.5f : v;
        return (int) v; // v >= 0, so truncation is floor
    }

    /** The decoder's reconstruction; encoders use the same expression so reported errors are exact. */
    static float dequantize(int q, float scale, int zeroPoint) {
        return scale * (float) (q - zeroPoint);
    }

    /** Null when the header's scale and zero point are usable, else the reason. */
    static String checkParameters(float scale, int zeroPoint) {
        if (!(scale > 0f) || scale == Float.POSITIVE_INFINITY) {
            return "scale is " + scale + ", must be a finite number > 0";
        }
        if (zeroPoint < 0 || zeroPoint > Q_MAX) {
            return "zero point is " + zeroPoint + ", must be within [0, " + Q_MAX + "]";
        }
        return null;
    }
}
