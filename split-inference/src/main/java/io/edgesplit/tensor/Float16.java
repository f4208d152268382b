package io.edgesplit.tensor;

/**
 * IEEE 754 binary16 conversions (Java 17 has no {@code Float.float16ToFloat}; Android API 26
 * neither). Round-to-nearest-even, with subnormals, infinities and NaN preserved.
 */
public final class Float16 {

    private Float16() {
    }

    /** Converts half-precision bits to a float. */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        // Exponent and mantissa moved into float position, then rescaled by 2^(127-15): one multiply
        // handles normal, subnormal and zero halves alike, without the branches that mispredict on
        // activations mixing zeros and non-zeros. The multiply is exact (a power of two, normal result).
        float magnitude = Float.intBitsToFloat((h & 0x7fff) << 13) * 0x1p112f;
        int f = Float.floatToRawIntBits(magnitude);
        if (magnitude >= 0x1p16f) {
            f |= 0x7f800000; // half exponent 31: infinity or NaN, mantissa (NaN payload) kept
        }
        return Float.intBitsToFloat(f | (h & 0x8000) << 16);
    }

    /** Converts a float to half-precision bits, rounding to nearest even. */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int a = f & 0x7fffffff;
        if (a >= 0x47800000) {
            // |value| >= 2^16, infinity or NaN: infinity, or a quiet NaN keeping the top of the payload
            return (short) (sign | (a > 0x7f800000 ? 0x7e00 | ((a & 0x7fffff) >>> 13) : 0x7c00));
        }
        // Both candidate results are computed and selected with a mask rather than a branch, which
        // mispredicts on activations mixing zeros and non-zeros.
        // |value| < 2^-14 (zero or subnormal half): adding 0.5f aligns the half's 2^-24 step with
        // the float's last mantissa bit, so the float addition itself rounds to nearest even.
        int subnormal = Float.floatToRawIntBits(Float.intBitsToFloat(a) + 0.5f) - 0x3f000000;
        // normal half: rebias the exponent and round the 13 dropped mantissa bits to nearest even;
        // a carry correctly moves into the exponent (up to infinity above 65504 + half a step)
        int normal = (a + ((15 - 127) << 23) + 0xfff + ((a >>> 13) & 1)) >>> 13;
        int small = (a - 0x38800000) >> 31; // all ones when |value| < 2^-14
        return (short) (sign | (subnormal & small) | (normal & ~small));
    }
}
