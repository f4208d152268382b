package io.edgesplit.offload.protocol;

import io.edgesplit.offload.protocol.FrameException.Rejection;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Base of the frame flyweights: a reusable view over one frame in a buffer, with the
 * {@link FrameHeader} accessors. A flyweight allocates nothing after construction; wrap it over the
 * next frame to reuse it. Not thread-safe.
 *
 * <p>Reading: {@code wrap(buffer, offset, length)} then {@code validate(limits)} (each subclass
 * checks every count, length and reserved field of its body against the frame length and the
 * limits, so that the accessors stay in bounds afterwards). Writing: {@code wrapForEncode(buffer,
 * offset, capacity)} writes the header, the setters fill the body, {@code finish()} writes the length.
 */
public abstract class Frame {

    protected static final ByteOrder LE = FrameHeader.BYTE_ORDER;

    /** A view of exactly this frame: index 0 is the first byte of the frame. */
    protected final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    protected Frame() {
    }

    /** The frame type this flyweight reads and writes. */
    public abstract FrameType type();

    /** Views {@code length} bytes of {@code source} at {@code offset} as this frame, for reading. */
    public Frame wrap(DirectBuffer source, int offset, int length) {
        buffer.wrap(source, offset, length);
        return this;
    }

    /**
     * Views {@code capacity} bytes of {@code target} at {@code offset} and writes the header (magic,
     * version, type; length 0 until {@link #finish}).
     */
    public Frame wrapForEncode(MutableDirectBuffer target, int offset, int capacity) {
        buffer.wrap(target, offset, capacity);
        buffer.putInt(FrameHeader.LENGTH_OFFSET, 0, LE);
        buffer.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, LE);
        buffer.putByte(FrameHeader.VERSION_OFFSET, (byte) FrameHeader.VERSION);
        buffer.putByte(FrameHeader.TYPE_OFFSET, (byte) type().code());
        buffer.putLong(FrameHeader.REQUEST_ID_OFFSET, 0L, LE);
        return this;
    }

    /** The wrapped bytes (the frame itself when reading, the capacity when writing). */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int frameLength() {
        return buffer.getInt(FrameHeader.LENGTH_OFFSET, LE);
    }

    protected void frameLength(int length) {
        buffer.putInt(FrameHeader.LENGTH_OFFSET, length, LE);
    }

    public long requestId() {
        return buffer.getLong(FrameHeader.REQUEST_ID_OFFSET, LE);
    }

    public Frame requestId(long requestId) {
        buffer.putLong(FrameHeader.REQUEST_ID_OFFSET, requestId, LE);
        return this;
    }

    /**
     * Checks the header against the wrapped length and the body against its own rules.
     *
     * @throws FrameException naming the field, the value and the bound it broke
     */
    public final void validate(FrameLimits limits) throws FrameException {
        int wrapped = buffer.capacity();
        if (wrapped < FrameHeader.HEADER_LENGTH) {
            throw new FrameException(Rejection.FRAME_TOO_SHORT, "frame of " + wrapped + " bytes is shorter than the header");
        }
        int length = FrameHeader.checkPrefix(buffer, 0, limits);
        if (length != wrapped) {
            throw new FrameException(Rejection.MALFORMED, "frameLength says " + length + " bytes, the frame has "
                    + wrapped);
        }
        FrameType actual = FrameHeader.type(buffer, 0);
        if (actual != type()) {
            throw new FrameException(Rejection.UNEXPECTED_TYPE, "expected a " + type() + " frame, got " + actual);
        }
        validateBody(limits);
    }

    /** Checks the body; the header is already known to be valid and the length exact. */
    protected abstract void validateBody(FrameLimits limits) throws FrameException;

    /** Writes the frame length and returns it; the frame is ready to send. */
    public int finish() {
        int length = encodedLength();
        frameLength(length);
        return length;
    }

    /** The length of the frame as written so far. */
    protected abstract int encodedLength();

    protected final void requireZero(int offset, int length, String field) throws FrameException {
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(offset + i) != 0) {
                throw new FrameException(Rejection.MALFORMED, type() + "." + field + ": reserved bytes must be 0");
            }
        }
    }

    protected static FrameException malformed(String message) {
        return new FrameException(Rejection.MALFORMED, message);
    }
}
