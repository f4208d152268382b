package io.edgesplit.router.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandwidthTraceTest {

    /** 1000 B/s for a second, an outage for a second, 2000 B/s for two seconds; loops every 4 s. */
    private static final BandwidthTrace STEPS = BandwidthTrace.of("steps", new double[] {0, 1000, 2000},
            new double[] {8000, 0, 16000}, 4000);

    @ParameterizedTest(name = "{1} bytes from {0} ms end at {2} ms")
    @CsvSource({
        "0, 0, 0",
        "0, 500, 500",
        "0, 1000, 1000",
        "500, 1500, 2500",      // 500 B, then the outage, then 1000 B at 2000 B/s
        "1200, 1, 2000.5",      // starts inside the outage
        "3500, 2000, 5000",     // 1000 B to the end of the period, then 1000 B at 1000 B/s in the next loop
        "0, 10000, 8000",       // two whole periods (5000 B each)
        "1000, 5000, 5000",     // ends exactly at the end of the next period's first segment
        "-500, 1500, 500"       // negative times count back from 0 (the previous loop)
    })
    void transferEndsWhereTheIntegratedRateReachesTheBytes(double start, long bytes, double end) {
        assertEquals(end, STEPS.transferEndMillis(start, bytes), 1e-9);
    }

    @ParameterizedTest(name = "from {0} to {1} ms: {2} bits")
    @CsvSource({"0, 1000, 8000", "500, 2500, 12000", "0, 4000, 40000", "3000, 9000, 64000", "2000, 1000, 0"})
    void bitsDeliverableIntegratesAcrossSegmentsAndLoops(double from, double to, double bits) {
        assertEquals(bits, STEPS.bitsDeliverable(from, to), 1e-9);
    }

    @Test
    void transferEndInvertsBitsDeliverableOnIrregularSegments() {
        BandwidthTrace t = BandwidthTrace.of("irregular", new double[] {0, 130, 370, 371, 900},
                new double[] {3.3e6, 0, 1e9, 0.25e6, 7e6}, 1234.5);
        for (long bytes = 1; bytes < 5_000_000; bytes = bytes * 3 + 7) {
            for (double start : new double[] {0, 100, 130, 370.5, 1000, 99_999}) {
                double end = t.transferEndMillis(start, bytes);
                assertEquals(bytes * 8.0, t.bitsDeliverable(start, end), Math.max(bytes * 8.0 * 1e-9, 1e-6),
                        bytes + " bytes from " + start);
            }
        }
    }

    @Test
    void meanIsTimeWeightedAndRateLookupLoops() {
        assertEquals(10_000, STEPS.meanBitsPerSecond(), 1e-9);
        assertEquals(10_000, STEPS.sampleMeanBitsPerSecond(), 1e-9);
        assertEquals(0, STEPS.bitsPerSecondAt(5500));
        assertEquals(16000, STEPS.bitsPerSecondAt(-1));
        assertEquals(20_000, STEPS.scaled(2).meanBitsPerSecond(), 1e-9);
        assertEquals(5000, STEPS.scaled(2).transferEndMillis(3500, 4000), 1e-9);
    }

    @Test
    void malformedSegmentsAreRefusedNamingTheValue() {
        assertEquals("trace t: segment 1 starts at 0.0 ms, not after segment 0 at 0.0 ms",
                assertThrows(IllegalArgumentException.class, () -> BandwidthTrace.of("t", new double[] {0, 0},
                        new double[] {1, 1}, 10)).getMessage());
        assertEquals("trace t: every segment has rate 0; a trace must deliver something",
                assertThrows(IllegalArgumentException.class, () -> BandwidthTrace.of("t", new double[] {0},
                        new double[] {0}, 10)).getMessage());
        assertEquals("trace t: segment 0 has rate -1.0 bit/s; rates must be finite and >= 0",
                assertThrows(IllegalArgumentException.class, () -> BandwidthTrace.of("t", new double[] {0},
                        new double[] {-1}, 10)).getMessage());
        assertEquals("trace t: segment 1 starts at 10.0 ms, not before the end of the period at 10.0 ms",
                assertThrows(IllegalArgumentException.class, () -> BandwidthTrace.of("t", new double[] {0, 10},
                        new double[] {1, 1}, 10)).getMessage());
    }
}
