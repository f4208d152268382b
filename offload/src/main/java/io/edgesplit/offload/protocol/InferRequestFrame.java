package io.edgesplit.offload.protocol;

import io.edgesplit.tensor.DataType;
import java.nio.charset.StandardCharsets;

/**
 * INFER_REQUEST: run the tail segment with this SHA-256 on these encoded crossing tensors within
 * this time budget. Flyweight; see {@link Frame} for the reading and writing protocol.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                 header (16 bytes, type = 3)                   |  0
 * +---------------------------------------------------------------+
 * |                      timeoutNs (i64)                          | 16
 * +---------------------------------------------------------------+
 * |           segment: SHA-256 of the tail segment (32 bytes)     | 24
 * +---------------------------------------------------------------+
 * |      codec name (16 bytes, US-ASCII, NUL-padded, e.g. "int8") | 56
 * +-------------------------------+-------------------------------+
 * |      tensorCount (u16)        |       reserved (u16 = 0)      | 72
 * +-------------------------------+-------------------------------+
 * |                       reserved (i32 = 0)                      | 76
 * +---------------------------------------------------------------+
 * |  tensorCount descriptors + payloads, see TensorSection        | 80
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code timeoutNs} is the time left until the request's deadline when the client wrote the frame,
 * in nanoseconds, 1 ns to {@link FrameLimits#MAX_TIMEOUT_NS}: a relative budget, because device and
 * server clocks are not synchronized. The server adds it to its clock on receipt; the one-way
 * transfer time is therefore not deducted, which the client may do by sending a smaller budget.
 * Tensors come in the tail's input order.
 */
public final class InferRequestFrame extends Frame {

    public static final int TIMEOUT_NS_OFFSET = 16;
    public static final int SEGMENT_OFFSET = 24;
    public static final int SEGMENT_LENGTH = 32;
    public static final int CODEC_OFFSET = 56;
    public static final int CODEC_LENGTH = 16;
    public static final int TENSOR_COUNT_OFFSET = 72;
    public static final int RESERVED_OFFSET = 74;
    public static final int DESCRIPTORS_OFFSET = 80;

    private final TensorSection tensors = new TensorSection(buffer, "INFER_REQUEST");

    @Override
    public FrameType type() {
        return FrameType.INFER_REQUEST;
    }

    @Override
    public InferRequestFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public InferRequestFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public InferRequestFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    /**
     * Bytes an encode buffer needs for a request with these tensor payload bounds (each tensor's
     * codec {@code maxEncodedLength}), or -1 when it would exceed {@code Integer.MAX_VALUE}.
     */
    public static int maxLength(int tensorCount, long payloadBytesSum) {
        long n = TensorSection.maxLength(DESCRIPTORS_OFFSET, tensorCount, payloadBytesSum);
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        long timeout = timeoutNs();
        if (timeout <= 0 || timeout > FrameLimits.MAX_TIMEOUT_NS) {
            throw malformed("INFER_REQUEST.timeoutNs: " + timeout + ", must be 1.." + FrameLimits.MAX_TIMEOUT_NS);
        }
        CodecNames.validate(buffer, CODEC_OFFSET, CODEC_LENGTH, "INFER_REQUEST.codec");
        requireZero(RESERVED_OFFSET, DESCRIPTORS_OFFSET - RESERVED_OFFSET, "reserved");
        int count = tensorCount();
        if (count == 0) {
            throw malformed("INFER_REQUEST.tensorCount: 0, a request carries at least one tensor");
        }
        tensors.validate(DESCRIPTORS_OFFSET, count, limits);
    }

    public long timeoutNs() {
        return buffer.getLong(TIMEOUT_NS_OFFSET, LE);
    }

    public InferRequestFrame timeoutNs(long timeoutNs) {
        buffer.putLong(TIMEOUT_NS_OFFSET, timeoutNs, LE);
        return this;
    }

    /** Word {@code i} (0..3) of the segment hash, little-endian; for allocation-free lookups. */
    public long segmentWord(int i) {
        return buffer.getLong(SEGMENT_OFFSET + 8 * i, LE);
    }

    /** Copies the 32-byte segment hash into {@code dst}. */
    public void segment(byte[] dst) {
        buffer.getBytes(SEGMENT_OFFSET, dst, 0, SEGMENT_LENGTH);
    }

    /** Writes the 32-byte segment hash. */
    public InferRequestFrame segment(SegmentId segment) {
        segment.write(buffer, SEGMENT_OFFSET);
        return this;
    }

    /** The codec name; allocates a String. */
    public String codecName() {
        return CodecNames.read(buffer, CODEC_OFFSET, CODEC_LENGTH);
    }

    public InferRequestFrame codecName(String name) {
        CodecNames.write(buffer, CODEC_OFFSET, CODEC_LENGTH, name);
        return this;
    }

    public int tensorCount() {
        return buffer.getShort(TENSOR_COUNT_OFFSET, LE) & 0xffff;
    }

    /** Sets the tensor count and clears the descriptors; then write each tensor in order. */
    public InferRequestFrame tensorCount(int count) {
        buffer.putShort(TENSOR_COUNT_OFFSET, (short) count, LE);
        buffer.putShort(RESERVED_OFFSET, (short) 0, LE);
        buffer.putInt(RESERVED_OFFSET + 2, 0, LE);
        tensors.beginEncode(DESCRIPTORS_OFFSET, count);
        return this;
    }

    /** Descriptors and payload positions; valid after {@link #validate} or while encoding. */
    public TensorSection tensors() {
        return tensors;
    }

    /**
     * Writes descriptor {@code i} and returns where (offset into {@link #buffer()}) its payload must be
     * written; follow with {@link #endTensor}.
     */
    public int beginTensor(int i, DataType type, int[] shape) {
        return tensors.beginTensor(i, type, shape);
    }

    public InferRequestFrame endTensor(int i, int payloadLength) {
        tensors.endTensor(i, payloadLength);
        return this;
    }

    @Override
    protected int encodedLength() {
        return tensors.end();
    }

    /** Codec names on the wire: 1..16 printable US-ASCII characters, NUL-padded. */
    static final class CodecNames {
        private CodecNames() {
        }

        static void validate(org.agrona.DirectBuffer b, int offset, int length, String field) throws FrameException {
            int n = 0;
            while (n < length && b.getByte(offset + n) != 0) {
                byte c = b.getByte(offset + n);
                if (c < 0x21 || c > 0x7e) {
                    throw malformed(field + ": byte " + (c & 0xff) + " at " + n + " is not printable US-ASCII");
                }
                n++;
            }
            if (n == 0) {
                throw malformed(field + ": empty");
            }
            for (int i = n; i < length; i++) {
                if (b.getByte(offset + i) != 0) {
                    throw malformed(field + ": bytes after the terminating NUL must be 0");
                }
            }
        }

        static String read(org.agrona.DirectBuffer b, int offset, int length) {
            int n = 0;
            while (n < length && b.getByte(offset + n) != 0) {
                n++;
            }
            byte[] bytes = new byte[n];
            b.getBytes(offset, bytes);
            return new String(bytes, StandardCharsets.US_ASCII);
        }

        static void write(org.agrona.MutableDirectBuffer b, int offset, int length, String name) {
            if (name == null || name.isEmpty() || name.length() > length) {
                throw new IllegalArgumentException("codec: name must be 1.." + length + " characters, was " + name);
            }
            for (int i = 0; i < length; i++) {
                char c = i < name.length() ? name.charAt(i) : 0;
                if (i < name.length() && (c < 0x21 || c > 0x7e)) {
                    throw new IllegalArgumentException("codec: name must be printable US-ASCII, was '" + name + "'");
                }
                b.putByte(offset + i, (byte) c);
            }
        }
    }
}
