package io.edgesplit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Pins the branch-light {@link Float16} conversions to the straightforward ones they replaced (kept
 * below as the reference). The replacement was checked against it on all 2^32 floats once; here a
 * dense sample keeps the test fast.
 */
class Float16Test {

    @Test
    void toFloatMatchesTheReferenceOnEveryHalfBitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            assertEquals(Float.floatToRawIntBits(Reference.toFloat((short) bits)),
                    Float.floatToRawIntBits(Float16.toFloat((short) bits)), "half 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void fromFloatMatchesTheReferenceOnADenseSampleOfAllFloats() {
        // a prime stride visits every exponent and many mantissa patterns: ~70 million floats
        for (long bits = 0; bits <= 0xffffffffL; bits += 61) {
            assertFromFloatMatches((int) bits);
        }
    }

    @Test
    void fromFloatMatchesTheReferenceAroundEveryRoundingBoundary() {
        // every half boundary (subnormal steps, binade edges, the largest half, infinity), +-3 ulps
        for (int half = 0; half < 0x7c01; half++) {
            int center = Float.floatToRawIntBits(Reference.toFloat((short) half));
            for (int delta = -3; delta <= 3; delta++) {
                assertFromFloatMatches(center + delta);
                assertFromFloatMatches((center + delta) | 0x80000000);
                // midpoints between this half and the next, where ties-to-even decides
                assertFromFloatMatches(center + 0x1000 + delta);
            }
        }
    }

    private static void assertFromFloatMatches(int floatBits) {
        float f = Float.intBitsToFloat(floatBits);
        short expected = Reference.fromFloat(f);
        short actual = Float16.fromFloat(f);
        if (expected != actual) {
            assertEquals(Integer.toHexString(expected & 0xffff), Integer.toHexString(actual & 0xffff),
                    "float 0x" + Integer.toHexString(floatBits) + " (" + f + ")");
        }
    }

    /** The original, branchy conversions: easy to check against IEEE 754 by reading. */
    private static final class Reference {

        static float toFloat(short bits) {
            int h = bits & 0xffff;
            int sign = (h & 0x8000) << 16;
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            if (exp == 0) {
                if (mant == 0) {
                    return Float.intBitsToFloat(sign);
                }
                float v = mant * 0x1p-24f;
                return sign == 0 ? v : -v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }

        static short fromFloat(float value) {
            int f = Float.floatToRawIntBits(value);
            int sign = (f >>> 16) & 0x8000;
            int exp = (f >>> 23) & 0xff;
            int mant = f & 0x7fffff;
            if (exp == 0xff) {
                return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
            }
            int e = exp - 127 + 15;
            if (e >= 0x1f) {
                return (short) (sign | 0x7c00);
            }
            if (e <= 0) {
                if (e < -10) {
                    return (short) sign;
                }
                int m = mant | 0x800000;
                int shift = 14 - e;
                int half = m >>> shift;
                int rem = m & ((1 << shift) - 1);
                int mid = 1 << (shift - 1);
                if (rem > mid || (rem == mid && (half & 1) != 0)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (e << 10) | (mant >>> 13);
            int rem = mant & 0x1fff;
            if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
    }
}
