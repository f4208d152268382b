package io.edgesplit.router.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceReadersTest {

    @TempDir
    Path tmp;

    /** Mean rates as SOURCES.md quotes them (mahimahi: lines x 12000 bit / last ms; cooked: mean of the samples). */
    @ParameterizedTest(name = "{0}: {1} mean {2} Mbit/s")
    @CsvSource({
        "mahimahi_cellular/Verizon-LTE-short.down, mahimahi, 5.0, 140",
        "mahimahi_cellular/TMobile-LTE-short.down, mahimahi, 16.7, 139.986",
        "mahimahi_cellular/Verizon-EVDO-driving.down, mahimahi, 0.52, 1062.016",
        "norway_3g_hsdpa/norway_bus_1, seconds-mbps, 3.3, 154.76",
        "norway_3g_hsdpa/norway_train_1, seconds-mbps, 1.6, 298.81",
        "fcc_broadband/trace_10022_http---www.yahoo.com, seconds-mbps, 1.0, 535.012",
    })
    void realTracesHaveTheMeanRatesOfTheirSources(String file, String format, double meanMbps, double seconds)
            throws IOException {
        Path path = SharedData.trace(file);
        assertEquals(format, TraceReaders.detect(path).format());
        LinkTrace trace = TraceReaders.read(path);
        assertEquals(meanMbps, trace.downlink().sampleMeanBitsPerSecond() / 1e6, meanMbps * 0.03, trace.toString());
        assertEquals(seconds, trace.downlink().periodMillis() / 1000, 0.01);
    }

    @Test
    void mahimahiPairGivesBothDirectionsAsCapacities() throws IOException {
        LinkTrace t = TraceReaders.read(SharedData.trace("mahimahi_cellular/Verizon-LTE-short.down"));
        assertTrue(t.uplinkIsCapacity());
        assertEquals("Verizon-LTE-short.up", t.uplink().orElseThrow().name());
        assertEquals(5.0, t.downlink().meanBitsPerSecond() / 1e6, 0.05);
        assertEquals(5.9, t.uplink().orElseThrow().meanBitsPerSecond() / 1e6, 0.05);
        assertSame(t.uplink().orElseThrow(), t.uplinkCapacity(LinkTrace.UplinkSource.AUTO));
        // mahimahi's own figure: lines x 12000 bit / last timestamp, exactly
        assertEquals(58655 * 12000.0 / 140.0, t.downlink().meanBitsPerSecond(), 1e-6);
        assertEquals(t.downlink().meanBitsPerSecond(), t.downlink().sampleMeanBitsPerSecond());
    }

    @Test
    void cookedTracesKeepBothTheSampleMeanAndTheTimeWeightedMean() throws IOException {
        BandwidthTrace bus = TraceReaders.read(SharedData.trace("norway_3g_hsdpa/norway_bus_1")).downlink();
        // the slow samples are the ones followed by long gaps: time-weighted, the bus sees less
        assertEquals(2.91, bus.meanBitsPerSecond() / 1e6, 0.01);
        assertEquals(3.34, bus.sampleMeanBitsPerSecond() / 1e6, 0.01);
    }

    @Test
    void gNetTrackLogReadsKbitPerSecondAndDoesNotTakeAcksForUplinkCapacity() throws IOException {
        Path csv = SharedData.trace("raca_5g_ireland/download_static_B_2020.01.16_10.43.34.csv");
        LinkTrace t = TraceReaders.read(csv);
        assertEquals("gnettrack", t.format());
        assertFalse(t.uplinkIsCapacity());
        assertEquals(72.8, t.downlink().sampleMeanBitsPerSecond() / 1e6, 0.1, "3080 distinct seconds of 3322 rows");
        assertEquals(71.6, t.downlink().meanBitsPerSecond() / 1e6, 0.1, "over 3679 s");
        assertEquals(3679, t.downlink().periodMillis() / 1000, 1, "10:43:34 to 11:44:53");
        assertTrue(t.uplink().orElseThrow().meanBitsPerSecond() < 1e6, "UL_bitrate is the ACK stream");
        assertSame(t.downlink(), t.uplinkCapacity(LinkTrace.UplinkSource.AUTO));
    }

    @Test
    void gNetTrackSameSecondRowsAreAveragedAndMissingValuesSkipped() throws IOException {
        Path f = write("log.csv", "Timestamp,Speed,DL_bitrate,UL_bitrate,State\n"
                + "2020.01.16_10.00.00,0,1000,10,D\n"
                + "2020.01.16_10.00.01,0,2000,-,D\n"
                + "2020.01.16_10.00.01,0,4000,30,D\n"
                + "2020.01.16_10.00.03,0,-,50,D\n"
                + "2020.01.16_10.00.04,0,8000,,D\n");
        LinkTrace t = new GNetTrackCsvReader().read(f);
        BandwidthTrace down = t.downlink();
        assertEquals(2, down.segmentCount());
        assertEquals(3e6, down.bitsPerSecondOfSegment(0), "average of the two rows of second 1");
        assertEquals(8e6, down.bitsPerSecondOfSegment(1), "second 4 covers the gap since second 1");
        assertEquals(1000, down.segmentStartMillis(1));
        assertEquals(4000, down.periodMillis());
        BandwidthTrace up = t.uplink().orElseThrow();
        assertEquals(30e3, up.bitsPerSecondAt(500));
        assertEquals(50e3, up.bitsPerSecondAt(2000));
    }

    @Test
    void secondsMbpsSampleHoldsOverTheIntervalEndingAtIt() throws IOException {
        Path f = write("t.txt", "# comment\n10.0\t1.0\n10.5 2.0\n\n12.5   0.5\n");
        BandwidthTrace t = TraceReaders.read(f).downlink();
        assertEquals(2500, t.periodMillis());
        assertEquals(2e6, t.bitsPerSecondAt(0));
        assertEquals(0.5e6, t.bitsPerSecondAt(600));
        assertEquals((2e6 * 0.5 + 0.5e6 * 2) / 2.5, t.meanBitsPerSecond(), 1e-6);
        assertEquals(3.5e6 / 3, t.sampleMeanBitsPerSecond(), 1e-6);
    }

    @Test
    void mahimahiBucketsCountPacketsAndTheLastTimestampOpensTheNextLoop() throws IOException {
        Path f = write("x.down", "0\n0\n1\n150\n200\n");
        BandwidthTrace t = new MahimahiTraceReader(100).readSeries(f);
        assertEquals(200, t.periodMillis());
        assertEquals(4 * 12000 / 0.1, t.bitsPerSecondOfSegment(0), 1e-6, "0, 0, 1 and 200 (= 0 of the next loop)");
        assertEquals(1 * 12000 / 0.1, t.bitsPerSecondOfSegment(1), 1e-6);
        assertEquals(5 * 12000 / 0.2, t.meanBitsPerSecond(), 1e-6);
        assertFalse(new MahimahiTraceReader().read(f).uplink().isPresent(), "no x.up beside it");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mahimahi letters   | m.down | 0\\n5\\nfive\\n | m.down:3: expected a millisecond timestamp (a non-negative integer), got 'five'",
        "mahimahi backwards | m.down | 0\\n5\\n4\\n | m.down:3: timestamps must not decrease: 4 after 5",
        "mahimahi no time   | m.down | 0\\n0\\n | m.down: every timestamp is 0: the trace spans no time (its period is its last timestamp)",
        "cooked three cols  | c.txt  | 0 1.0\\n1 2.0 3\\n | c.txt:2: expected '<seconds> <Mbit/s>', got '1 2.0 3'",
        "cooked negative    | c.txt  | 0 1.0\\n1 -2.0\\n | c.txt:2: bandwidth must be >= 0 Mbit/s, was -2.0",
        "cooked time stuck  | c.txt  | 0 1.0\\n1 2.0\\n1 3.0\\n | c.txt:3: time must increase: 1 s after 1.0 s",
        "cooked one sample  | c.txt  | 0 1.0\\n | c.txt: needs at least 2 samples (a sample holds over the interval since the previous one), found 1",
        "cooked all zero    | c.txt  | 0 1.0\\n1 0\\n2 0\\n | c.txt: every sample after the first is 0: the trace delivers nothing",
        "csv no DL column   | g.csv  | Timestamp,UL_bitrate,DL_rate\\n | g.csv: cannot tell the trace format from its first line 'Timestamp,UL_bitrate,DL_rate': expected a mahimahi packet trace (one millisecond timestamp per line), '<seconds> <Mbit/s>' rows, or a G-NetTrack CSV header with a DL_bitrate column",
        "csv short row      | g.csv  | Timestamp,DL_bitrate,UL_bitrate\\n2020.01.16_10.00.00,5\\n | g.csv:2: has 2 fields, the header has 3",
        "csv bad bitrate    | g.csv  | Timestamp,DL_bitrate,UL_bitrate\\n2020.01.16_10.00.00,fast,1\\n | g.csv:2: DL_bitrate: expected a bitrate in kbit/s, got 'fast'",
        "csv bad time       | g.csv  | Timestamp,DL_bitrate,UL_bitrate\\n16/01/2020 10:00,5,1\\n | g.csv:2: Timestamp: expected yyyy.MM.dd_HH.mm.ss, got '16/01/2020 10:00'",
        "csv time backwards | g.csv  | Timestamp,DL_bitrate,UL_bitrate\\n2020.01.16_10.00.05,5,1\\n2020.01.16_10.00.04,5,1\\n | g.csv:3: Timestamp: time goes backwards, 1579168804 s after 1579168805 s since the epoch",
        "unknown format     | u.txt  | hello world again\\n | u.txt: cannot tell the trace format from its first line 'hello world again': expected a mahimahi packet trace (one millisecond timestamp per line), '<seconds> <Mbit/s>' rows, or a G-NetTrack CSV header with a DL_bitrate column",
        "empty file         | e.txt  | \\n\\n | e.txt: no data: the file is empty or has only blank and '#' lines",
    })
    void malformedTracesAreRefusedNamingFileLineAndReason(String what, String name, String content, String message)
            throws IOException {
        Path f = write(name, content.replace("\\n", "\n"));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReaders.read(f));
        assertEquals(f.getParent() + "/" + message, e.getMessage(), what);
    }

    @Test
    void csvWithoutADownlinkColumnIsRefusedByItsOwnReader() throws IOException {
        Path f = write("g.csv", "Timestamp,UL_bitrate\n2020.01.16_10.00.00,1\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReaders.read(f, "gnettrack"));
        assertEquals(f + ":1: the header has no DL_bitrate column (a G-NetTrack log has Timestamp, DL_bitrate and "
                + "UL_bitrate)", e.getMessage());
    }

    @Test
    void overlongLinesAndOversizedFilesAreRefusedBeforeTheyAreRead() throws IOException {
        Path f = write("long.txt", "0 1\n" + "1".repeat(TraceLines.MAX_LINE_CHARS + 1) + " 2\n");
        assertEquals(f + ":2: line longer than 4096 characters",
                assertThrows(TraceFormatException.class, () -> TraceReaders.read(f, "seconds-mbps")).getMessage());
        Path missing = tmp.resolve("missing.txt");
        assertEquals(missing + ": no such file",
                assertThrows(TraceFormatException.class, () -> TraceReaders.read(missing)).getMessage());
    }

    @Test
    void unknownFormatNameListsTheKnownOnes() {
        assertEquals("trace format: 'pcap' is not one of auto, mahimahi, seconds-mbps, gnettrack",
                assertThrows(IllegalArgumentException.class, () -> TraceReaders.forFormat("pcap")).getMessage());
        assertNotNull(TraceReaders.forFormat("mahimahi"));
    }

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }
}
