package io.edgesplit.offload.protocol;

import io.edgesplit.common.Sha256;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A segment's SHA-256 as four longs: what INFER_REQUEST frames carry and what the server looks tail
 * segments up by, without building hex strings per request. Immutable.
 */
public final class SegmentId {

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private SegmentId(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /**
     * Parses 64 lowercase hex characters.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static SegmentId fromHex(String sha256) {
        if (!Sha256.isValid(sha256)) {
            throw new IllegalArgumentException("segment: expected 64 lowercase hex characters (a SHA-256), was '"
                    + sha256 + "'");
        }
        long[] w = new long[4];
        for (int i = 0; i < 32; i++) {
            long b = Integer.parseInt(sha256.substring(2 * i, 2 * i + 2), 16);
            w[i / 8] |= b << (8 * (i % 8));
        }
        return new SegmentId(w[0], w[1], w[2], w[3]);
    }

    /** The id whose little-endian words are these (as {@link InferRequestFrame#segmentWord} reads them). */
    public static SegmentId ofWords(long w0, long w1, long w2, long w3) {
        return new SegmentId(w0, w1, w2, w3);
    }

    /** Reads the 32 bytes at {@code offset}. */
    public static SegmentId read(DirectBuffer buffer, int offset) {
        return new SegmentId(buffer.getLong(offset, FrameHeader.BYTE_ORDER),
                buffer.getLong(offset + 8, FrameHeader.BYTE_ORDER), buffer.getLong(offset + 16, FrameHeader.BYTE_ORDER),
                buffer.getLong(offset + 24, FrameHeader.BYTE_ORDER));
    }

    /** Writes the 32 bytes at {@code offset}, in the order of the hex string. */
    public void write(MutableDirectBuffer buffer, int offset) {
        buffer.putLong(offset, w0, FrameHeader.BYTE_ORDER);
        buffer.putLong(offset + 8, w1, FrameHeader.BYTE_ORDER);
        buffer.putLong(offset + 16, w2, FrameHeader.BYTE_ORDER);
        buffer.putLong(offset + 24, w3, FrameHeader.BYTE_ORDER);
    }

    /** True when this id has these words; lets a caller compare against a frame without allocating. */
    public boolean equalsWords(long a, long b, long c, long d) {
        return w0 == a && w1 == b && w2 == c && w3 == d;
    }

    /** The 64-character lowercase hex form. */
    public String toHex() {
        StringBuilder sb = new StringBuilder(64);
        long[] w = {w0, w1, w2, w3};
        for (int i = 0; i < 32; i++) {
            int b = (int) (w[i / 8] >>> (8 * (i % 8))) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentId && ((SegmentId) o).equalsWords(w0, w1, w2, w3);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0 ^ (w1 * 31) ^ (w2 * 961) ^ (w3 * 29791));
    }

    @Override
    public String toString() {
        return toHex();
    }
}
