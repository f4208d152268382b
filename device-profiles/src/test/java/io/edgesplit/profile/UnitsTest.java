package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} is {1} bit/s")
    @CsvSource({
        "5mbit, 5000000",
        "5Mbit, 5000000",
        "5Mbit/s, 5000000",
        "5 Mbit/s, 5000000",
        "5Mbps, 5000000",
        "5Mb/s, 5000000",
        "100kbps, 100000",
        "1Gbps, 1000000000",
        "2kbits, 2000",
        "625kB/s, 5000000",
        "625kB, 5000000",
        "1MiB/s, 8388608",
        "1MByte/s, 8000000",
        "12bit/s, 12",
        "3B/s, 24",
        "1.5e3kbit, 1500000"})
    void parsesBandwidthWithBitsLowerCaseAndBytesUpperCase(String text, double bitsPerSecond) {
        assertEquals(bitsPerSecond, Units.bitsPerSecond(text));
    }

    @Test
    void rejectsLowerCaseMbpsAsAmbiguousAndProposesBothSpellings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bitsPerSecond("5mbps"));
        assertEquals("ambiguous unit 'mbps' in '5mbps': write '5Mbit/s' for megabits or '5MB/s' for megabytes per second",
                e.getMessage());
    }

    @Test
    void rejectsMBpsAsAmbiguousBecauseItIsOneLetterFromMbps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bitsPerSecond("5MBps"));
        assertEquals("ambiguous unit 'MBps' in '5MBps': write '5Mbit/s' for megabits or '5MB/s' for megabytes per second",
                e.getMessage());
    }

    @Test
    void rejectsUpperCaseKiloPrefixOnSymbols() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bitsPerSecond("64Kbps"));
        assertEquals("ambiguous unit 'Kbps' in '64Kbps': write '64kbit/s' for kilobits or '64kB/s' for kilobytes per second",
                e.getMessage());
    }

    @Test
    void bareNumberNamesTheExpectedKindOfUnit() {
        assertEquals("missing unit in '5': write a bandwidth such as '5Mbit/s' or '625kB/s'",
                assertThrows(IllegalArgumentException.class, () -> Units.bitsPerSecond("5")).getMessage());
        assertEquals("missing unit in '40': write a duration such as '40ms' or '1.5s'",
                assertThrows(IllegalArgumentException.class, () -> Units.millis("40")).getMessage());
        assertEquals("missing unit in '4': write a memory size such as '4GiB' or '512MB'",
                assertThrows(IllegalArgumentException.class, () -> Units.bytes("4")).getMessage());
    }

    @Test
    void wrongCaseOfAKnownUnitGetsADidYouMean() {
        assertEquals("unit 'mw' in '850mw' is case-sensitive: did you mean 'mW'?",
                assertThrows(IllegalArgumentException.class, () -> Units.watts("850mw")).getMessage());
        assertEquals("unit 'gib' in '4gib' is case-sensitive: did you mean 'GiB'?",
                assertThrows(IllegalArgumentException.class, () -> Units.bytes("4gib")).getMessage());
    }

    @Test
    void unknownUnitListsTheAcceptedOnes() {
        assertEquals("unknown unit 'sec' in '3sec': write a duration in ns, us, ms, s, min, h",
                assertThrows(IllegalArgumentException.class, () -> Units.millis("3sec")).getMessage());
    }

    @Test
    void textThatIsNotANumberSaysWhatToWrite() {
        assertEquals("not a power: 'lots'; write a number and a unit such as '1.2W' or '850mW'",
                assertThrows(IllegalArgumentException.class, () -> Units.watts("lots")).getMessage());
    }

    @Test
    void parsesTimePowerEnergyFrequencyMemoryAndTemperature() {
        assertEquals(40.0, Units.millis("40ms"));
        assertEquals(1500.0, Units.millis("1.5s"));
        assertEquals(0.25, Units.millis("250us"));
        assertEquals(1.2, Units.watts("1.2W"));
        assertEquals(0.85, Units.watts("850mW"));
        assertEquals(850.0, Units.milliwatts("0.85W"));
        assertEquals(150.0, Units.millijoules("150mJ"));
        assertEquals(1.2, Units.joules("1200mJ"));
        assertEquals(1_500_000_000L, Units.hertz("1.5GHz"));
        assertEquals(921_600_000L, Units.hertz("921.6MHz"));
        assertEquals(4L << 30, Units.bytes("4GiB"));
        assertEquals(512_000_000L, Units.bytes("512MB"));
        assertEquals(80.0, Units.celsius("80C"));
        assertEquals(85.0, Units.celsius("85°C"));
    }

    @Test
    void parsesRadioAlphaInMilliwattsPerMegabit() {
        assertEquals(438.39, Units.milliwattsPerMbps("438.39mW/Mbps"), 1e-9);
        assertEquals(438.39, Units.milliwattsPerMbps("0.43839W/Mbit/s"), 1e-9);
        assertEquals(51.97, Units.milliwattsPerMbps("51.97 mW/Mbit/s"), 1e-9);
    }

    @Test
    void fractionalHertzAndBytesAreRejected() {
        assertEquals("'1.5Hz' is not a whole number of hertz",
                assertThrows(IllegalArgumentException.class, () -> Units.hertz("1.5Hz")).getMessage());
        assertEquals("'0.5B' is not a whole number of bytes",
                assertThrows(IllegalArgumentException.class, () -> Units.bytes("0.5B")).getMessage());
    }

    @Test
    void hugeValuesAreOutOfRangeNotInfinite() {
        assertEquals("out of range: '1e400Gbit/s' is too large for a bandwidth",
                assertThrows(IllegalArgumentException.class, () -> Units.bitsPerSecond("1e400Gbit/s")).getMessage());
    }

    @Test
    void formatsWithReadablePrefixes() {
        assertEquals("5Mbit/s", Units.formatBitsPerSecond(5e6));
        assertEquals("5.9Mbit/s", Units.formatBitsPerSecond(5.9e6));
        assertEquals("1Gbit/s", Units.formatBitsPerSecond(1e9));
        assertEquals("40ms", Units.formatMillis(40));
        assertEquals("10.12s", Units.formatMillis(10_120));
        assertEquals("850mW", Units.formatWatts(0.85));
        assertEquals("1.2W", Units.formatWatts(1.2));
        assertEquals("1.06W", Units.formatMilliwatts(1060));
        assertEquals("1.5GHz", Units.formatHertz(1_500_000_000L));
        assertEquals("1785.6MHz", Units.formatHertz(1_785_600_000L));
        assertEquals("4GiB", Units.formatBytes(4L << 30));
        assertEquals("512MB", Units.formatBytes(512_000_000L));
        assertEquals("80C", Units.formatCelsius(80));
        assertEquals("0.38ns", Units.formatNanos(0.38));
        assertEquals("15.2us", Units.formatNanos(15_200));
        assertEquals("1.5ms", Units.formatNanos(1_500_000));
        assertEquals("2.61GMAC/s", Units.formatMacsPerSecond(2.61e9));
        assertEquals("850MMAC/s", Units.formatMacsPerSecond(8.5e8));
        assertEquals("4.2%", Units.formatPercent(4.2));
    }

    @Test
    void parsesCostModelQuantities() {
        assertEquals(0.38, Units.nanos("0.38ns"));
        assertEquals(15_200.0, Units.nanos("15.2us"));
        assertEquals(2_000_000.0, Units.nanos("2ms"));
        assertEquals(2.61e9, Units.macsPerSecond("2.61GMAC/s"));
        assertEquals(8.5e8, Units.macsPerSecond("850 MMAC/s"));
        assertEquals(4.2, Units.percent("4.2%"));
    }

    @Test
    void costModelQuantitiesSayWhatToWrite() {
        assertEquals("missing unit in '2.6': write a compute throughput such as '2.61GMAC/s' or '850MMAC/s'",
                assertThrows(IllegalArgumentException.class, () -> Units.macsPerSecond("2.6")).getMessage());
        assertEquals("unit 'gmac/s' in '2.6gmac/s' is case-sensitive: did you mean 'GMAC/s'?",
                assertThrows(IllegalArgumentException.class, () -> Units.macsPerSecond("2.6gmac/s")).getMessage());
        assertEquals("missing unit in '4.2': write a percentage such as '4.2%'",
                assertThrows(IllegalArgumentException.class, () -> Units.percent("4.2")).getMessage());
    }

    @Test
    void everyFormattedValueParsesBackToTheSameDouble() {
        Random random = new Random(20240501);
        for (int i = 0; i < 20_000; i++) {
            double v = Math.exp(random.nextDouble() * 40 - 15); // 3e-7 .. 7e10
            assertEquals(v, Units.bitsPerSecond(Units.formatBitsPerSecond(v)));
            assertEquals(v, Units.millis(Units.formatMillis(v)));
            assertEquals(v, Units.watts(Units.formatWatts(v)));
            assertEquals(v, Units.milliwatts(Units.formatMilliwatts(v)));
            assertEquals(v, Units.milliwattsPerMbps(Units.formatMilliwattsPerMbps(v)));
            assertEquals(v, Units.celsius(Units.formatCelsius(v)));
            assertEquals(v, Units.nanos(Units.formatNanos(v)));
            assertEquals(v, Units.macsPerSecond(Units.formatMacsPerSecond(v)));
            assertEquals(v, Units.percent(Units.formatPercent(v)));
            long n = 1 + (random.nextLong() >>> 20);
            assertEquals(n, Units.hertz(Units.formatHertz(n)));
            assertEquals(n, Units.bytes(Units.formatBytes(n)));
        }
    }
}
