package io.edgesplit.profile;

import java.util.Objects;

/**
 * One problem found in a profile: where it is (source, 1-based line and column, field path) and
 * what is wrong. {@link #toString()} gives the one-line form users see:
 * {@code profiles/pi.yaml:12:5: links.lte.uplink: must be > 0, was -3mbit}.
 */
public final class ProfileError {

    private final String source;
    private final int line;
    private final int column;
    private final String path;
    private final String message;

    /**
     * @param source file name or label of the text, never null
     * @param line 1-based line, or 0 when the problem concerns the whole source (then column is 0 too)
     * @param column 1-based column, or 0
     * @param path dotted field path such as {@code compute.cpus[0].cores}, or empty for the document
     * @param message what is wrong and, where possible, what to write instead
     */
    public ProfileError(String source, int line, int column, String path, String message) {
        this.source = Objects.requireNonNull(source, "source");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, were " + line + ":" + column);
        }
        this.line = line;
        this.column = column;
        this.path = Objects.requireNonNull(path, "path");
        this.message = Objects.requireNonNull(message, "message");
    }

    /** The file name or label the profile was read from. */
    public String source() {
        return source;
    }

    /** 1-based line of the offending node, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending node, 0 when unknown. */
    public int column() {
        return column;
    }

    /** Field path such as {@code links.lte.uplink}; empty when the problem concerns the whole document. */
    public String path() {
        return path;
    }

    /** The reason, without location. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProfileError)) {
            return false;
        }
        ProfileError e = (ProfileError) o;
        return line == e.line && column == e.column && source.equals(e.source) && path.equals(e.path)
                && message.equals(e.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, line, column, path, message);
    }
}
