package io.edgesplit.router.sim;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a trace file line by line with every length bounded: the file's size is checked before it
 * is opened, and a line longer than {@link #MAX_LINE_CHARS} is refused without reading the rest of
 * it into memory. Not thread-safe.
 */
final class TraceLines implements Closeable {

    /** Trace files larger than this are refused before they are read. */
    static final long MAX_FILE_BYTES = 256L << 20;
    /** Longest accepted line, in characters. */
    static final int MAX_LINE_CHARS = 4096;

    private final Path file;
    private final BufferedReader reader;
    private final StringBuilder line = new StringBuilder(64);
    private int lineNumber;

    TraceLines(Path file) throws IOException {
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw TraceFormatException.of(file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw TraceFormatException.of(file, size + " bytes, above the trace size limit of " + MAX_FILE_BYTES);
        }
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** The next line without its terminator, or null at the end of the file. */
    String next() throws IOException {
        line.setLength(0);
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        lineNumber++;
        while (c >= 0 && c != '\n') {
            if (c != '\r') {
                if (line.length() >= MAX_LINE_CHARS) {
                    throw TraceFormatException.at(file, lineNumber, "line longer than " + MAX_LINE_CHARS
                            + " characters");
                }
                line.append((char) c);
            }
            c = reader.read();
        }
        return line.toString();
    }

    /** The number of the line {@link #next()} returned last, from 1. */
    int lineNumber() {
        return lineNumber;
    }

    Path file() {
        return file;
    }

    TraceFormatException error(String reason) {
        return TraceFormatException.at(file, lineNumber, reason);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** The first line that is neither blank nor a '#' comment, or null; for format detection. */
    static String firstDataLine(Path file) throws IOException {
        try (TraceLines lines = new TraceLines(file)) {
            for (int i = 0; i < 1000; i++) {
                String l = lines.next();
                if (l == null) {
                    return null;
                }
                String t = l.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Shortens a line for an error message. */
    static String quote(String s) {
        return "'" + (s.length() <= 60 ? s : s.substring(0, 57) + "...") + "'";
    }
}
