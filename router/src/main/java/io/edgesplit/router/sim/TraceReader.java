package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one bandwidth trace format into a {@link LinkTrace}. One implementation per format,
 * registered in {@link TraceReaders}, which also picks the reader for a file by its content.
 * Implementations bound every length they read and report malformed input with a
 * {@link TraceFormatException} naming the file, the line and the reason.
 */
public interface TraceReader {

    /** The format's name on the command line ("mahimahi"). */
    String format();

    /** One line on what the format is. */
    String description();

    /** Whether a file whose first data line (not blank, not a '#' comment) is {@code firstLine} looks like this format. */
    boolean recognizes(String firstLine);

    /** Reads the file (and, where the format has them, its companion files). */
    LinkTrace read(Path file) throws IOException;
}
