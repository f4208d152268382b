package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads {@code seconds Mbps} traces (the "cooked" HSDPA and FCC traces of Pensieve and its
 * successors): one sample per line, a time in seconds and a bandwidth in Mbit/s separated by tabs or
 * spaces; blank lines and lines starting with '#' are skipped; sampling may be irregular.
 *
 * <p>Each sample's rate holds over the interval that ends at its timestamp (since the previous
 * sample), which is how Pensieve's simulator replays these traces and how a logger that measured
 * throughput over that interval meant it; the first sample only marks the start. The trace starts
 * at the first timestamp and loops after the last. Its time-weighted mean can differ from the plain
 * mean of the samples that trace catalogs quote (norway_bus_1: 2.9 vs 3.3 Mbit/s, because its long
 * gaps between samples are the slow ones); both are kept.
 */
public final class SecondsMbpsTraceReader implements TraceReader {

    /** At most this many samples are read. */
    public static final int MAX_SAMPLES = 10_000_000;

    @Override
    public String format() {
        return "seconds-mbps";
    }

    @Override
    public String description() {
        return "'<seconds> <Mbit/s>' rows (Pensieve-style cooked traces: HSDPA, FCC)";
    }

    @Override
    public boolean recognizes(String firstLine) {
        String[] f = firstLine.trim().split("\\s+");
        return f.length == 2 && isNumber(f[0]) && isNumber(f[1]);
    }

    private static boolean isNumber(String s) {
        return s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    }

    @Override
    public LinkTrace read(Path file) throws IOException {
        double[] seconds = new double[256];
        double[] mbps = new double[256];
        int n = 0;
        try (TraceLines in = new TraceLines(file)) {
            for (String line = in.next(); line != null; line = in.next()) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length != 2 || !isNumber(f[0]) || !isNumber(f[1])) {
                    throw in.error("expected '<seconds> <Mbit/s>', got " + TraceLines.quote(t));
                }
                double s = Double.parseDouble(f[0]);
                double r = Double.parseDouble(f[1]);
                if (!Double.isFinite(s) || !Double.isFinite(r)) {
                    throw in.error("values must be finite, got " + TraceLines.quote(t));
                }
                if (r < 0) {
                    throw in.error("bandwidth must be >= 0 Mbit/s, was " + f[1]);
                }
                if (n > 0 && !(s > seconds[n - 1])) {
                    throw in.error("time must increase: " + f[0] + " s after " + seconds[n - 1] + " s");
                }
                if (n == MAX_SAMPLES) {
                    throw in.error("more than " + MAX_SAMPLES + " samples");
                }
                if (n == seconds.length) {
                    seconds = Arrays.copyOf(seconds, n * 2);
                    mbps = Arrays.copyOf(mbps, n * 2);
                }
                seconds[n] = s;
                mbps[n] = r;
                n++;
            }
        }
        return LinkTrace.symmetric(format(), series(file, file.getFileName().toString(), seconds, mbps, n, 1e6));
    }

    /**
     * A series from samples whose rate holds over the interval ending at their timestamp.
     *
     * @param unitBitsPerSecond bits per second of one unit of {@code values} (1e6 for Mbit/s)
     */
    static BandwidthTrace series(Path file, String name, double[] seconds, double[] values, int n,
            double unitBitsPerSecond) throws TraceFormatException {
        if (n < 2) {
            throw TraceFormatException.of(file, "needs at least 2 samples (a sample holds over the interval since the "
                    + "previous one), found " + n);
        }
        double t0 = seconds[0];
        double[] starts = new double[n - 1];
        double[] rates = new double[n - 1];
        double sum = 0;
        boolean delivers = false;
        for (int i = 0; i < n; i++) {
            sum += values[i];
            if (i > 0) {
                starts[i - 1] = (seconds[i - 1] - t0) * 1000.0;
                rates[i - 1] = values[i] * unitBitsPerSecond;
                delivers |= values[i] > 0;
            }
        }
        if (!delivers) {
            throw TraceFormatException.of(file, "every sample after the first is 0: the trace delivers nothing");
        }
        return BandwidthTrace.of(name, starts, rates, (seconds[n - 1] - t0) * 1000.0, sum / n * unitBitsPerSecond);
    }
}
