package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads mahimahi packet-delivery traces (Winstein et al., NSDI 2013): one integer per line, a
 * millisecond timestamp at which one 1500-byte packet may be delivered; several packets in the same
 * millisecond repeat the line; the trace loops with a period of its last timestamp (so the mean rate
 * is lines x 12000 bit / last timestamp, as mm-link replays it).
 *
 * <p>Delivery opportunities are counted per bucket ({@value #DEFAULT_BUCKET_MILLIS} ms by default)
 * and each bucket becomes a segment of rate {@code packets * 12000 bit / bucket}; a timestamp equal
 * to the period belongs to the next loop's first bucket. A {@code NAME.down} / {@code NAME.up} pair
 * in one directory gives both directions (the uplink is a capacity: mahimahi traces are recorded by
 * saturating the link); a lone file gives one series.
 */
public final class MahimahiTraceReader implements TraceReader {

    public static final int PACKET_BYTES = 1500;
    public static final int DEFAULT_BUCKET_MILLIS = 100;
    /** Longest accepted trace: 30 days of timestamps. */
    public static final long MAX_TIMESTAMP_MILLIS = 30L * 24 * 3600 * 1000;

    private final int bucketMillis;

    public MahimahiTraceReader() {
        this(DEFAULT_BUCKET_MILLIS);
    }

    /** @param bucketMillis the width of the buckets packets are counted in, 1 to 60,000 ms */
    public MahimahiTraceReader(int bucketMillis) {
        if (bucketMillis < 1 || bucketMillis > 60_000) {
            throw new IllegalArgumentException("bucketMillis: must be in 1..60000, was " + bucketMillis);
        }
        this.bucketMillis = bucketMillis;
    }

    @Override
    public String format() {
        return "mahimahi";
    }

    @Override
    public String description() {
        return "mahimahi packet trace: one millisecond timestamp per 1500-byte delivery opportunity (.up/.down pairs)";
    }

    @Override
    public boolean recognizes(String firstLine) {
        return firstLine.matches("\\d{1,12}");
    }

    @Override
    public LinkTrace read(Path file) throws IOException {
        String name = file.getFileName().toString();
        Path down = file;
        Path up = null;
        if (name.endsWith(".down") || name.endsWith(".up")) {
            String base = name.substring(0, name.lastIndexOf('.'));
            Path downFile = file.resolveSibling(base + ".down");
            Path upFile = file.resolveSibling(base + ".up");
            if (Files.isRegularFile(downFile) && Files.isRegularFile(upFile)) {
                down = downFile;
                up = upFile;
            } else if (name.endsWith(".up")) {
                // only an uplink file: use it for both directions, as a lone file
                down = file;
            }
        }
        BandwidthTrace downlink = readSeries(down);
        BandwidthTrace uplink = up == null ? null : readSeries(up);
        return new LinkTrace(format(), downlink, uplink, true);
    }

    /** Reads one file into a series. */
    public BandwidthTrace readSeries(Path file) throws IOException {
        long last = -1;
        long lines = 0;
        long[] timestamps = new long[1 << 16];
        try (TraceLines in = new TraceLines(file)) {
            for (String line = in.next(); line != null; line = in.next()) {
                String t = line.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (!t.matches("\\d{1,12}")) {
                    throw in.error("expected a millisecond timestamp (a non-negative integer), got " + TraceLines.quote(t));
                }
                long ms = Long.parseLong(t);
                if (ms > MAX_TIMESTAMP_MILLIS) {
                    throw in.error("timestamp " + ms + " ms is beyond the " + MAX_TIMESTAMP_MILLIS
                            + " ms (30 days) this reader accepts");
                }
                if (ms < last) {
                    throw in.error("timestamps must not decrease: " + ms + " after " + last);
                }
                last = ms;
                if (lines == timestamps.length) {
                    timestamps = Arrays.copyOf(timestamps, timestamps.length * 2);
                }
                timestamps[(int) lines] = ms;
                lines++;
                if (lines >= Integer.MAX_VALUE - 8) {
                    throw in.error("more than " + (Integer.MAX_VALUE - 8) + " packets");
                }
            }
        }
        if (lines == 0) {
            throw TraceFormatException.of(file, "no timestamps: a mahimahi trace has one per line");
        }
        if (last == 0) {
            throw TraceFormatException.of(file, "every timestamp is 0: the trace spans no time (its period is its "
                    + "last timestamp)");
        }
        long period = last;
        int buckets = (int) ((period + bucketMillis - 1) / bucketMillis);
        int[] counts = new int[buckets];
        for (int i = 0; i < lines; i++) {
            long ms = timestamps[i] % period; // the last timestamp opens the next loop
            counts[(int) (ms / bucketMillis)]++;
        }
        double[] starts = new double[buckets];
        double[] rates = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            starts[b] = (double) b * bucketMillis;
            double width = Math.min(bucketMillis, period - starts[b]);
            rates[b] = counts[b] * PACKET_BYTES * 8.0 * 1000.0 / width;
        }
        return BandwidthTrace.of(file.getFileName().toString(), starts, rates, period);
    }
}
