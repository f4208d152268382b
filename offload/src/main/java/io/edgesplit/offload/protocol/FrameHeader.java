package io.edgesplit.offload.protocol;

import io.edgesplit.offload.protocol.FrameException.Rejection;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The 16-byte header every frame of the native offload protocol starts with, and the check a
 * receiver runs on it before reading (or allocating for) the rest of the frame.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                  frameLength (i32, header included)           |  0
 * +-------------------------------+---------------+---------------+
 * |  magic (u16 = 0x5345, "ES")   | version (u8)  |  type (u8)    |  4
 * +-------------------------------+---------------+---------------+
 * |                                                               |  8
 * +                    requestId (i64)                            +
 * |                                                               | 12
 * +---------------------------------------------------------------+
 * |                 type-specific body ...                        | 16
 * </pre>
 *
 * <p>All fields are little-endian. Frames are sent back to back on a TCP (or TLS) stream; a receiver
 * needs the first {@link #PREFIX_LENGTH} bytes to know whether the frame is acceptable and how long it
 * is, and rejects it at that point (before buffering the body) when the magic, version or type is
 * wrong or the length is outside the type's bounds. Request ids are chosen by the client, unique among
 * its in-flight requests on a connection; replies carry the id of their request.
 */
public final class FrameHeader {

    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int LENGTH_OFFSET = 0;
    public static final int MAGIC_OFFSET = 4;
    public static final int VERSION_OFFSET = 6;
    public static final int TYPE_OFFSET = 7;
    public static final int REQUEST_ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    /** Bytes a receiver needs to validate a frame's header and learn its length. */
    public static final int PREFIX_LENGTH = 8;

    /** "ES" in little-endian: the bytes 0x45 0x53 on the wire. */
    public static final short MAGIC = 0x5345;

    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;

    private FrameHeader() {
    }

    /**
     * Checks the 8-byte prefix of a frame at {@code offset}: magic, version, a known type, and a
     * length within the type's minimum and {@code limits}.
     *
     * @return the frame's total length in bytes
     * @throws FrameException with {@link Rejection#BAD_MAGIC}, {@link Rejection#UNSUPPORTED_VERSION},
     *     {@link Rejection#UNKNOWN_TYPE}, {@link Rejection#FRAME_TOO_SHORT} or
     *     {@link Rejection#FRAME_TOO_LONG}
     */
    public static int checkPrefix(DirectBuffer buffer, int offset, FrameLimits limits) throws FrameException {
        short magic = buffer.getShort(offset + MAGIC_OFFSET, BYTE_ORDER);
        if (magic != MAGIC) {
            throw new FrameException(Rejection.BAD_MAGIC, "expected magic 0x5345, got 0x"
                    + Integer.toHexString(magic & 0xffff));
        }
        int version = buffer.getByte(offset + VERSION_OFFSET) & 0xff;
        if (version != VERSION) {
            throw new FrameException(Rejection.UNSUPPORTED_VERSION, "version " + version + ", this side speaks "
                    + VERSION);
        }
        FrameType type = type(buffer, offset);
        int length = buffer.getInt(offset + LENGTH_OFFSET, BYTE_ORDER);
        if (length < type.minLength()) {
            throw new FrameException(Rejection.FRAME_TOO_SHORT, type + " frame of " + length
                    + " bytes, the minimum is " + type.minLength());
        }
        int max = limits.maxLength(type);
        if (length > max) {
            throw new FrameException(Rejection.FRAME_TOO_LONG, type + " frame of " + length
                    + " bytes, the limit is " + max);
        }
        return length;
    }

    /**
     * The frame type at {@code offset}.
     *
     * @throws FrameException with {@link Rejection#UNKNOWN_TYPE} for an unknown type byte
     */
    public static FrameType type(DirectBuffer buffer, int offset) throws FrameException {
        int code = buffer.getByte(offset + TYPE_OFFSET) & 0xff;
        FrameType type = FrameType.fromCode(code);
        if (type == null) {
            throw new FrameException(Rejection.UNKNOWN_TYPE, "type byte " + code);
        }
        return type;
    }

    public static int frameLength(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + LENGTH_OFFSET, BYTE_ORDER);
    }

    public static long requestId(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + REQUEST_ID_OFFSET, BYTE_ORDER);
    }
}
