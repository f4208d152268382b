package io.edgesplit.modelpackage;

/**
 * A segment file of a package: content-addressed by its SHA-256, stored at
 * {@code segments/<sha256>.tflite}. A segment shared by several split points (the full model is both
 * the tail of "send the input" and the head of "run everything here") is stored once. Immutable.
 */
public final class SegmentRef {

    private final String sha256;
    private final long bytes;

    public SegmentRef(String sha256, long bytes) {
        this.sha256 = sha256;
        this.bytes = bytes;
    }

    public static String fileFor(String sha256) {
        return "segments/" + sha256 + ".tflite";
    }

    /** The segment's identity and the key of its measured latencies in device profiles. */
    public String sha256() {
        return sha256;
    }

    /** The path relative to the package directory. */
    public String file() {
        return fileFor(sha256);
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentRef && ((SegmentRef) o).sha256.equals(sha256) && ((SegmentRef) o).bytes == bytes;
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return file() + " (" + bytes + " bytes)";
    }
}
