package io.edgesplit.offload.protocol;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.TensorSpec;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tensor part of INFER_REQUEST and INFER_RESPONSE frames: {@code count} fixed-size descriptors,
 * then each tensor's encoded payload. Payload 0 starts right after the descriptors; payload
 * {@code i+1} starts at the next multiple of 8 (from the frame start) after payload {@code i} ends,
 * the gap zero-filled; the frame ends exactly where the last payload ends.
 *
 * <pre>
 * descriptor (40 bytes)
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * | dataType (u8) |  rank (u8)    |     reserved (u16 = 0)        |  +0
 * +---------------+---------------+-------------------------------+
 * |                   payloadLength (i32)                         |  +4
 * +---------------------------------------------------------------+
 * |          dims[0..7] (i32 each; dims at and after rank are 0)  |  +8 .. +40
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Data type codes: 1 BOOL, 2 UINT8, 3 UINT16, 4 UINT32, 5 UINT64, 6 INT8, 7 INT16, 8 INT32,
 * 9 INT64, 10 FP16, 11 FP32, 12 FP64 (BYTES is not carried). The shape and type describe the
 * decoded tensor; the payload is the codec's encoding of it, so its length may differ from the
 * tensor's byte size. Names and quantization are not sent: both sides know them from the model
 * package. Not thread-safe; owned by its frame flyweight.
 */
public final class TensorSection {

    public static final int DESCRIPTOR_LENGTH = 40;
    public static final int TYPE_OFFSET = 0;
    public static final int RANK_OFFSET = 1;
    public static final int RESERVED_OFFSET = 2;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int DIMS_OFFSET = 8;
    public static final int MAX_RANK = 8;

    /** Bound on one dimension, so that element counts stay far from overflow while checked. */
    public static final int MAX_DIMENSION = 1 << 24;

    private static final DataType[] BY_CODE = {
        null, DataType.BOOL, DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64, DataType.INT8,
        DataType.INT16, DataType.INT32, DataType.INT64, DataType.FP16, DataType.FP32, DataType.FP64};

    private final UnsafeBuffer buffer;
    private final String frameName;
    private final int[] payloadOffsets = new int[FrameLimits.MAX_TENSORS];
    private int descriptorsOffset;
    private int count;
    private int end;

    TensorSection(UnsafeBuffer buffer, String frameName) {
        this.buffer = buffer;
        this.frameName = frameName;
    }

    /** The wire code of a data type. */
    public static int code(DataType type) {
        for (int i = 1; i < BY_CODE.length; i++) {
            if (BY_CODE[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("dataType: " + type + " cannot be carried by the native protocol");
    }

    /** The data type of a wire code, or null when unknown. */
    public static DataType dataTypeOfCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    static int align8(int offset) {
        return (offset + 7) & ~7;
    }

    /** Bytes the descriptors and (aligned) payloads take at most, for sizing an encode buffer. */
    static long maxLength(int descriptorsOffset, int count, long payloadBytesSum) {
        return descriptorsOffset + (long) count * DESCRIPTOR_LENGTH + payloadBytesSum + 7L * count;
    }

    // ---- reading --------------------------------------------------------------------------------

    /** Validates {@code count} descriptors at {@code descriptorsOffset} and the payload layout. */
    void validate(int descriptorsOffset, int count, FrameLimits limits) throws FrameException {
        if (count < 0 || count > limits.maxTensors()) {
            throw Frame.malformed(frameName + ".tensorCount: " + count + ", must be 0.." + limits.maxTensors());
        }
        int length = buffer.capacity();
        long descriptorsEnd = descriptorsOffset + (long) count * DESCRIPTOR_LENGTH;
        if (descriptorsEnd > length) {
            throw Frame.malformed(frameName + ": " + count + " descriptors need " + descriptorsEnd
                    + " bytes, the frame has " + length);
        }
        this.descriptorsOffset = descriptorsOffset;
        this.count = count;
        int cursor = (int) descriptorsEnd;
        for (int i = 0; i < count; i++) {
            int d = descriptorsOffset + i * DESCRIPTOR_LENGTH;
            String where = frameName + ".tensor[" + i + "]";
            int typeCode = buffer.getByte(d + TYPE_OFFSET) & 0xff;
            DataType type = dataTypeOfCode(typeCode);
            if (type == null) {
                throw Frame.malformed(where + ".dataType: unknown code " + typeCode);
            }
            int rank = buffer.getByte(d + RANK_OFFSET) & 0xff;
            if (rank > MAX_RANK) {
                throw Frame.malformed(where + ".rank: " + rank + ", at most " + MAX_RANK);
            }
            if (buffer.getShort(d + RESERVED_OFFSET, FrameHeader.BYTE_ORDER) != 0) {
                throw Frame.malformed(where + ": reserved bytes must be 0");
            }
            long elements = 1;
            for (int k = 0; k < MAX_RANK; k++) {
                int dim = buffer.getInt(d + DIMS_OFFSET + 4 * k, FrameHeader.BYTE_ORDER);
                if (k < rank) {
                    if (dim < 0 || dim > MAX_DIMENSION) {
                        throw Frame.malformed(where + ".dims[" + k + "]: " + dim + ", must be 0.." + MAX_DIMENSION);
                    }
                    elements *= dim;
                    if (elements * type.byteSize() > limits.maxFrameBytes()) {
                        throw Frame.malformed(where + ": shape " + shapeString(d, rank) + " " + type + " is larger "
                                + "than the frame limit of " + limits.maxFrameBytes() + " bytes");
                    }
                } else if (dim != 0) {
                    throw Frame.malformed(where + ".dims[" + k + "]: " + dim + " beyond rank " + rank + ", must be 0");
                }
            }
            int payloadLength = buffer.getInt(d + PAYLOAD_LENGTH_OFFSET, FrameHeader.BYTE_ORDER);
            int start = i == 0 ? cursor : align8(cursor);
            if (payloadLength < 0 || start > length || payloadLength > length - start) {
                throw Frame.malformed(where + ".payloadLength: " + payloadLength + " at offset " + start
                        + " runs past the frame end " + length);
            }
            for (int p = cursor; p < start; p++) {
                if (buffer.getByte(p) != 0) {
                    throw Frame.malformed(where + ": padding before the payload must be 0");
                }
            }
            payloadOffsets[i] = start;
            cursor = start + payloadLength;
        }
        if (cursor != length) {
            throw Frame.malformed(frameName + ": the payloads end at " + cursor + ", the frame at " + length);
        }
        this.end = cursor;
    }

    public int count() {
        return count;
    }

    public DataType dataType(int i) {
        return BY_CODE[buffer.getByte(descriptor(i) + TYPE_OFFSET) & 0xff];
    }

    public int rank(int i) {
        return buffer.getByte(descriptor(i) + RANK_OFFSET) & 0xff;
    }

    public int dim(int i, int k) {
        return buffer.getInt(descriptor(i) + DIMS_OFFSET + 4 * k, FrameHeader.BYTE_ORDER);
    }

    /** The shape of tensor {@code i}; allocates. */
    public int[] shape(int i) {
        int[] shape = new int[rank(i)];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = dim(i, k);
        }
        return shape;
    }

    /** True when tensor {@code i} has exactly this spec's type and shape. Allocates nothing. */
    public boolean matches(int i, TensorSpec spec) {
        if (dataType(i) != spec.dataType() || rank(i) != spec.rank()) {
            return false;
        }
        for (int k = 0; k < spec.rank(); k++) {
            if (dim(i, k) != spec.dim(k)) {
                return false;
            }
        }
        return true;
    }

    /** "[1,7,7,320] FP32", the form of shape errors. */
    public String shapeAndType(int i) {
        return shapeString(descriptor(i), rank(i)) + " " + dataType(i);
    }

    /** Offset of payload {@code i} from the frame start. */
    public int payloadOffset(int i) {
        checkIndex(i);
        return payloadOffsets[i];
    }

    public int payloadLength(int i) {
        return buffer.getInt(descriptor(i) + PAYLOAD_LENGTH_OFFSET, FrameHeader.BYTE_ORDER);
    }

    private String shapeString(int d, int rank) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < rank; k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(buffer.getInt(d + DIMS_OFFSET + 4 * k, FrameHeader.BYTE_ORDER));
        }
        return sb.append(']').toString();
    }

    private int descriptor(int i) {
        checkIndex(i);
        return descriptorsOffset + i * DESCRIPTOR_LENGTH;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(frameName + ": tensor index " + i + ", the frame has " + count);
        }
    }

    // ---- writing --------------------------------------------------------------------------------

    /** Starts writing {@code count} descriptors at {@code descriptorsOffset}. */
    void beginEncode(int descriptorsOffset, int count) {
        if (count < 0 || count > FrameLimits.MAX_TENSORS) {
            throw new IllegalArgumentException("tensorCount: must be 0.." + FrameLimits.MAX_TENSORS + ", was " + count);
        }
        this.descriptorsOffset = descriptorsOffset;
        this.count = count;
        this.end = descriptorsOffset + count * DESCRIPTOR_LENGTH;
        buffer.setMemory(descriptorsOffset, count * DESCRIPTOR_LENGTH, (byte) 0);
    }

    /**
     * Writes descriptor {@code i} and returns the offset (from the frame start) where its payload
     * goes; call in index order, each followed by {@link #endTensor}.
     */
    int beginTensor(int i, DataType type, int[] shape) {
        checkIndex(i);
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("tensor " + i + ": rank " + shape.length + ", at most " + MAX_RANK);
        }
        int d = descriptorsOffset + i * DESCRIPTOR_LENGTH;
        buffer.putByte(d + TYPE_OFFSET, (byte) code(type));
        buffer.putByte(d + RANK_OFFSET, (byte) shape.length);
        for (int k = 0; k < shape.length; k++) {
            buffer.putInt(d + DIMS_OFFSET + 4 * k, shape[k], FrameHeader.BYTE_ORDER);
        }
        int start = i == 0 ? end : align8(end);
        if (start > end) {
            buffer.setMemory(end, start - end, (byte) 0);
        }
        payloadOffsets[i] = start;
        return start;
    }

    /** Records the payload length of tensor {@code i}, written at {@link #beginTensor}'s offset. */
    void endTensor(int i, int payloadLength) {
        checkIndex(i);
        int d = descriptorsOffset + i * DESCRIPTOR_LENGTH;
        buffer.putInt(d + PAYLOAD_LENGTH_OFFSET, payloadLength, FrameHeader.BYTE_ORDER);
        end = payloadOffsets[i] + payloadLength;
    }

    /** End of the section as written so far. */
    int end() {
        return end;
    }
}
