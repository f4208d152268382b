package io.edgesplit.offload.protocol;

import io.edgesplit.tensor.DataType;

/**
 * INFER_RESPONSE: the tail's outputs for one request, with the time the request waited in the
 * server's queue and the time its tail took to compute. Flyweight; see {@link Frame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |               header (16 bytes, type = 4)                     |  0
 * +---------------------------------------------------------------+
 * |    queueNs (i64): receipt to start of compute, on the server  | 16
 * +---------------------------------------------------------------+
 * |    computeNs (i64): decode + Invoke + encode, on the server   | 24
 * +---------------------------------------------------------------+
 * |     codec name of the outputs (16 bytes, NUL-padded)          | 32
 * +-------------------------------+-------------------------------+
 * |      tensorCount (u16)        |   batchSize (u16, >= 1)       | 48
 * +-------------------------------+-------------------------------+
 * |                       reserved (i32 = 0)                      | 52
 * +---------------------------------------------------------------+
 * |  tensorCount descriptors + payloads, see TensorSection        | 56
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code batchSize} is how many requests for the same segment the server ran back to back on one
 * session with this one (micro-batching); 1 when it ran alone. Outputs come in the tail's output
 * order.
 */
public final class InferResponseFrame extends Frame {

    public static final int QUEUE_NS_OFFSET = 16;
    public static final int COMPUTE_NS_OFFSET = 24;
    public static final int CODEC_OFFSET = 32;
    public static final int CODEC_LENGTH = 16;
    public static final int TENSOR_COUNT_OFFSET = 48;
    public static final int BATCH_SIZE_OFFSET = 50;
    public static final int RESERVED_OFFSET = 52;
    public static final int DESCRIPTORS_OFFSET = 56;

    private final TensorSection tensors = new TensorSection(buffer, "INFER_RESPONSE");

    @Override
    public FrameType type() {
        return FrameType.INFER_RESPONSE;
    }

    @Override
    public InferResponseFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public InferResponseFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public InferResponseFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    /** Bytes an encode buffer needs for a response with these payload bounds, or -1 past 2 GiB. */
    public static int maxLength(int tensorCount, long payloadBytesSum) {
        long n = TensorSection.maxLength(DESCRIPTORS_OFFSET, tensorCount, payloadBytesSum);
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        if (queueNs() < 0) {
            throw malformed("INFER_RESPONSE.queueNs: " + queueNs() + ", must be >= 0");
        }
        if (computeNs() < 0) {
            throw malformed("INFER_RESPONSE.computeNs: " + computeNs() + ", must be >= 0");
        }
        InferRequestFrame.CodecNames.validate(buffer, CODEC_OFFSET, CODEC_LENGTH, "INFER_RESPONSE.codec");
        if (batchSize() < 1) {
            throw malformed("INFER_RESPONSE.batchSize: 0, must be >= 1");
        }
        requireZero(RESERVED_OFFSET, DESCRIPTORS_OFFSET - RESERVED_OFFSET, "reserved");
        tensors.validate(DESCRIPTORS_OFFSET, tensorCount(), limits);
    }

    public long queueNs() {
        return buffer.getLong(QUEUE_NS_OFFSET, LE);
    }

    public InferResponseFrame queueNs(long queueNs) {
        buffer.putLong(QUEUE_NS_OFFSET, queueNs, LE);
        return this;
    }

    public long computeNs() {
        return buffer.getLong(COMPUTE_NS_OFFSET, LE);
    }

    public InferResponseFrame computeNs(long computeNs) {
        buffer.putLong(COMPUTE_NS_OFFSET, computeNs, LE);
        return this;
    }

    /** The codec of the output payloads; allocates a String. */
    public String codecName() {
        return InferRequestFrame.CodecNames.read(buffer, CODEC_OFFSET, CODEC_LENGTH);
    }

    public InferResponseFrame codecName(String name) {
        InferRequestFrame.CodecNames.write(buffer, CODEC_OFFSET, CODEC_LENGTH, name);
        return this;
    }

    public int batchSize() {
        return buffer.getShort(BATCH_SIZE_OFFSET, LE) & 0xffff;
    }

    public InferResponseFrame batchSize(int batchSize) {
        buffer.putShort(BATCH_SIZE_OFFSET, (short) batchSize, LE);
        return this;
    }

    public int tensorCount() {
        return buffer.getShort(TENSOR_COUNT_OFFSET, LE) & 0xffff;
    }

    /** Sets the tensor count and clears the descriptors; then write each tensor in order. */
    public InferResponseFrame tensorCount(int count) {
        buffer.putShort(TENSOR_COUNT_OFFSET, (short) count, LE);
        buffer.putInt(RESERVED_OFFSET, 0, LE);
        tensors.beginEncode(DESCRIPTORS_OFFSET, count);
        return this;
    }

    public TensorSection tensors() {
        return tensors;
    }

    /** Writes descriptor {@code i} and returns the payload offset; follow with {@link #endTensor}. */
    public int beginTensor(int i, DataType type, int[] shape) {
        return tensors.beginTensor(i, type, shape);
    }

    public InferResponseFrame endTensor(int i, int payloadLength) {
        tensors.endTensor(i, payloadLength);
        return this;
    }

    @Override
    protected int encodedLength() {
        return tensors.end();
    }
}
