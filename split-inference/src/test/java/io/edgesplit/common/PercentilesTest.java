package io.edgesplit.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercentilesTest {

    /** 1, 2, ..., n. */
    private static double[] oneTo(int n) {
        return IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    }

    @Test
    void anEmptySampleGivesNaN() {
        assertTrue(Double.isNaN(Percentiles.ofSorted(new double[0], 50)));
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 0)));
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 100)));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.index(0, 50));
    }

    @Test
    void oneValueIsEveryPercentile() {
        for (double p : new double[] {0, 0.1, 50, 99.9, 100}) {
            assertEquals(4.5, Percentiles.ofSorted(new double[] {4.5}, p), "p" + p);
            assertEquals(0, Percentiles.index(1, p), "p" + p);
        }
    }

    @Test
    void p0IsTheMinimumAndP100TheMaximum() {
        double[] sorted = {-3, -3, 0, 2, 7, 7.5};
        assertEquals(-3, Percentiles.ofSorted(sorted, 0));
        assertEquals(7.5, Percentiles.ofSorted(sorted, 100));
        assertEquals(0, Percentiles.index(6, 0));
        assertEquals(5, Percentiles.index(6, 100));
    }

    @Test
    void nearestRankWithoutInterpolation() {
        double[] ten = oneTo(10);
        assertEquals(1, Percentiles.ofSorted(ten, 10), "rank ceil(1.0) = 1");
        assertEquals(2, Percentiles.ofSorted(ten, 10.5), "rank ceil(1.05) = 2");
        assertEquals(5, Percentiles.ofSorted(ten, 50), "the lower middle value of an even count, not 5.5");
        assertEquals(6, Percentiles.ofSorted(ten, 51));
        assertEquals(9, Percentiles.ofSorted(ten, 90));
        assertEquals(10, Percentiles.ofSorted(ten, 95), "rank ceil(9.5) = 10");
        assertEquals(10, Percentiles.ofSorted(ten, 99));
        double[] odd = oneTo(5);
        assertEquals(3, Percentiles.ofSorted(odd, 50), "the middle value of an odd count");
        assertEquals(1, Percentiles.ofSorted(odd, 20));
        assertEquals(2, Percentiles.ofSorted(odd, 20.000001));
    }

    @Test
    void wholeNumberPercentsGiveExactRanks() {
        // p / 100 * n rounds up past the integer for these: 7 / 100.0 * 100 = 7.000000000000001
        assertEquals(7, Percentiles.ofSorted(oneTo(100), 7));
        assertEquals(7, Percentiles.ofSorted(oneTo(25), 28));
        assertEquals(14, Percentiles.ofSorted(oneTo(25), 56));
        for (int n = 1; n <= 400; n++) {
            for (int p = 0; p <= 100; p++) {
                int expectedRank = Math.max(1, (p * n + 99) / 100); // integer ceil(p * n / 100)
                assertEquals(expectedRank - 1, Percentiles.index(n, p), "p" + p + " of " + n);
            }
        }
    }

    @Test
    void theResultSatisfiesTheDefinitionOnRandomSamples() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double[] values = new double[1 + random.nextInt(60)];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(20); // ties on purpose
            }
            double p = random.nextInt(4) == 0 ? random.nextInt(101) : random.nextDouble() * 100;
            double r = Percentiles.of(values, p);
            long atMost = Arrays.stream(values).filter(v -> v <= r).count();
            long below = Arrays.stream(values).filter(v -> v < r).count();
            String what = "p" + p + " of " + Arrays.toString(values) + " = " + r;
            assertTrue(Arrays.stream(values).anyMatch(v -> v == r), what + ": a sample value");
            assertTrue(atMost * 100.0 >= p * values.length, what + ": at least p% are <= it");
            assertTrue(below == 0 || below * 100.0 < p * values.length, what + ": it is the smallest such value");
        }
    }

    @Test
    void unsortedInputIsSortedOnACopyAndLeftAsItWas() {
        double[] values = {9, 1, 5, 3, 7};
        double[] before = values.clone();
        assertEquals(1, Percentiles.of(values, 0));
        assertEquals(5, Percentiles.of(values, 50));
        assertEquals(9, Percentiles.of(values, 100));
        assertArrayEquals(before, values);
    }

    @Test
    void ofSortedReadsWithoutChanging() {
        double[] sorted = oneTo(8);
        double[] before = sorted.clone();
        Percentiles.ofSorted(sorted, 75);
        assertArrayEquals(before, sorted);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, 100.001, -100, 1e9, Double.NaN, Double.POSITIVE_INFINITY})
    void aPercentOutsideZeroToHundredIsRefused(double p) {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.ofSorted(oneTo(3), p));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.ofSorted(new double[0], p));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(oneTo(3), p));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.index(3, p));
    }
}
