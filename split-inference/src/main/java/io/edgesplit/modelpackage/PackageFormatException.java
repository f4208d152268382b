package io.edgesplit.modelpackage;

import java.io.IOException;

/**
 * A model package is malformed or tampered with: the message names the file, the field path (e.g.
 * {@code variants[1].splits[3].tailSegment}) or the segment whose hash does not match, and the reason.
 */
public final class PackageFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public PackageFormatException(String message) {
        super(message);
    }

    public PackageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
