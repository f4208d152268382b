package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace formats the simulator reads, one {@link TraceReader} per format, registered by name;
 * and format detection from a file's first data line. Thread-safe (the registry is fixed).
 */
public final class TraceReaders {

    private static final Map<String, TraceReader> READERS;

    static {
        Map<String, TraceReader> m = new LinkedHashMap<>();
        register(m, new MahimahiTraceReader());
        register(m, new SecondsMbpsTraceReader());
        register(m, new GNetTrackCsvReader());
        READERS = Collections.unmodifiableMap(m);
    }

    private TraceReaders() {
    }

    private static void register(Map<String, TraceReader> m, TraceReader reader) {
        m.put(reader.format(), reader);
    }

    /** Format names: mahimahi, seconds-mbps, gnettrack. */
    public static List<String> formats() {
        return new ArrayList<>(READERS.keySet());
    }

    /**
     * The reader of a format, or of whatever the file holds for "auto".
     *
     * @throws IllegalArgumentException for an unknown format name, listing the known ones
     */
    public static TraceReader forFormat(String format) {
        TraceReader r = READERS.get(format);
        if (r == null) {
            throw new IllegalArgumentException("trace format: '" + format + "' is not one of auto, "
                    + String.join(", ", READERS.keySet()));
        }
        return r;
    }

    /**
     * The reader whose format the file's first data line matches.
     *
     * @throws TraceFormatException naming the file and quoting the line when no format matches
     */
    public static TraceReader detect(Path file) throws IOException {
        String first = TraceLines.firstDataLine(file);
        if (first == null) {
            throw TraceFormatException.of(file, "no data: the file is empty or has only blank and '#' lines");
        }
        for (TraceReader r : READERS.values()) {
            if (r.recognizes(first)) {
                return r;
            }
        }
        throw TraceFormatException.of(file, "cannot tell the trace format from its first line "
                + TraceLines.quote(first) + ": expected a mahimahi packet trace (one millisecond timestamp per "
                + "line), '<seconds> <Mbit/s>' rows, or a G-NetTrack CSV header with a " + GNetTrackCsvReader.DL_BITRATE
                + " column");
    }

    /** Reads a trace, detecting its format. */
    public static LinkTrace read(Path file) throws IOException {
        return detect(file).read(file);
    }

    /** Reads a trace in the named format, or detects it for "auto". */
    public static LinkTrace read(Path file, String format) throws IOException {
        return ("auto".equals(format) ? detect(file) : forFormat(format)).read(file);
    }
}
