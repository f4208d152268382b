package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads G-NetTrack Pro CSV logs (as in the 5G/4G production datasets of Raca et al., MMSys 2020):
 * a header row naming the columns, then about one row per second with {@code Timestamp}
 * ({@code yyyy.MM.dd_HH.mm.ss}), {@code DL_bitrate} and {@code UL_bitrate} in kbit/s among many
 * radio measurements.
 *
 * <p>Irregular sampling: rows that share a timestamp (the logger's clock has one-second resolution)
 * are averaged into one sample; a sample's rate holds over the interval since the previous sample
 * (the logger measured throughput over it); gaps simply make that interval longer. Missing values
 * ({@code -}, empty, {@code NA}) drop that row from that column's series only. Anything else that is
 * not a non-negative number is an error naming the line and the column.
 *
 * <p>The bitrates are the throughput of whatever the phone was doing, not the link's capacity: in a
 * download session DL_bitrate is the capacity the download found, and UL_bitrate is its TCP
 * acknowledgements. The uplink series is therefore not marked as a capacity (see
 * {@link LinkTrace.UplinkSource}).
 */
public final class GNetTrackCsvReader implements TraceReader {

    public static final String TIMESTAMP = "Timestamp";
    public static final String DL_BITRATE = "DL_bitrate";
    public static final String UL_BITRATE = "UL_bitrate";
    /** At most this many columns in the header. */
    public static final int MAX_COLUMNS = 512;
    /** At most this many rows. */
    public static final int MAX_ROWS = 10_000_000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy.MM.dd_HH.mm.ss", Locale.ROOT);

    @Override
    public String format() {
        return "gnettrack";
    }

    @Override
    public String description() {
        return "G-NetTrack CSV log with Timestamp, DL_bitrate and UL_bitrate (kbit/s) columns";
    }

    @Override
    public boolean recognizes(String firstLine) {
        return firstLine.contains(",") && Arrays.asList(firstLine.split(",")).contains(DL_BITRATE);
    }

    @Override
    public LinkTrace read(Path file) throws IOException {
        Series down = new Series();
        Series up = new Series();
        try (TraceLines in = new TraceLines(file)) {
            String header = in.next();
            if (header == null) {
                throw TraceFormatException.of(file, "empty; a G-NetTrack log starts with a header row");
            }
            String[] columns = header.split(",", -1);
            if (columns.length > MAX_COLUMNS) {
                throw in.error("header has " + columns.length + " columns, more than " + MAX_COLUMNS);
            }
            int time = column(in, columns, TIMESTAMP);
            int dl = column(in, columns, DL_BITRATE);
            int ul = column(in, columns, UL_BITRATE);
            int rows = 0;
            for (String line = in.next(); line != null; line = in.next()) {
                if (line.trim().isEmpty()) {
                    continue;
                }
                if (++rows > MAX_ROWS) {
                    throw in.error("more than " + MAX_ROWS + " rows");
                }
                String[] f = line.split(",", -1);
                if (f.length != columns.length) {
                    throw in.error("has " + f.length + " fields, the header has " + columns.length);
                }
                double seconds = seconds(in, f[time].trim());
                down.add(in, seconds, value(in, f[dl].trim(), DL_BITRATE));
                up.add(in, seconds, value(in, f[ul].trim(), UL_BITRATE));
            }
        }
        String name = file.getFileName().toString();
        BandwidthTrace downlink = down.trace(file, name + " " + DL_BITRATE);
        BandwidthTrace uplink;
        try {
            uplink = up.trace(file, name + " " + UL_BITRATE);
        } catch (TraceFormatException e) {
            uplink = null; // a log without usable uplink figures still has its downlink
        }
        return new LinkTrace(format(), downlink, uplink, false);
    }

    private static int column(TraceLines in, String[] columns, String name) throws TraceFormatException {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].trim().equals(name)) {
                return i;
            }
        }
        throw in.error("the header has no " + name + " column (a G-NetTrack log has " + TIMESTAMP + ", "
                + DL_BITRATE + " and " + UL_BITRATE + ")");
    }

    private static double seconds(TraceLines in, String text) throws TraceFormatException {
        try {
            return LocalDateTime.parse(text, TIME).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw in.error(TIMESTAMP + ": expected yyyy.MM.dd_HH.mm.ss, got " + TraceLines.quote(text));
        }
    }

    /** kbit/s, or NaN when missing. */
    private static double value(TraceLines in, String text, String column) throws TraceFormatException {
        if (text.isEmpty() || text.equals("-") || text.equalsIgnoreCase("NA") || text.equalsIgnoreCase("NaN")) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw in.error(column + ": expected a bitrate in kbit/s, got " + TraceLines.quote(text));
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw in.error(column + ": bitrate must be a finite number >= 0 kbit/s, was " + text);
        }
        return v;
    }

    /** One column's samples, same-second rows averaged. */
    private static final class Series {
        private final List<double[]> samples = new ArrayList<>(); // {seconds, sum, count}
        private double lastSeconds = Double.NEGATIVE_INFINITY;

        void add(TraceLines in, double seconds, double kbps) throws TraceFormatException {
            if (seconds < lastSeconds) {
                throw in.error(TIMESTAMP + ": time goes backwards, " + (long) seconds + " s after " + (long) lastSeconds
                        + " s since the epoch");
            }
            lastSeconds = seconds;
            if (Double.isNaN(kbps)) {
                return;
            }
            double[] last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
            if (last != null && last[0] == seconds) {
                last[1] += kbps;
                last[2] += 1;
            } else {
                samples.add(new double[] {seconds, kbps, 1});
            }
        }

        BandwidthTrace trace(Path file, String name) throws TraceFormatException {
            int n = samples.size();
            double[] t = new double[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = samples.get(i)[0];
                v[i] = samples.get(i)[1] / samples.get(i)[2];
            }
            return SecondsMbpsTraceReader.series(file, name, t, v, n, 1e3);
        }
    }
}
