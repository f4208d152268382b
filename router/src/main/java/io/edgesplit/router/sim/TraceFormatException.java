package io.edgesplit.router.sim;

import java.io.IOException;
import java.nio.file.Path;

/** A trace file that cannot be read as its format says: the message names the file, the line and the reason. */
public final class TraceFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) {
        super(message);
    }

    /** "file:line: reason". */
    static TraceFormatException at(Path file, int line, String reason) {
        return new TraceFormatException(file + ":" + line + ": " + reason);
    }

    /** "file: reason", for problems of the whole file. */
    static TraceFormatException of(Path file, String reason) {
        return new TraceFormatException(file + ": " + reason);
    }
}
