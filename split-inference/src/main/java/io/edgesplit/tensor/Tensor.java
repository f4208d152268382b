package io.edgesplit.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A tensor: a {@link TensorSpec} plus its data in little-endian direct memory, accessed through an
 * Agrona {@link UnsafeBuffer} so that engines, codecs and transports read and write it without
 * copies.
 *
 * <p>A tensor either owns a direct {@link ByteBuffer} ({@link #allocate}, {@link #wrap(TensorSpec,
 * ByteBuffer)}) or is a view over memory owned by someone else, typically an engine session's input
 * or output buffer. A view is valid only while its owner is: a session's tensors must not be used
 * after the session is closed. Not thread-safe.
 */
public final class Tensor {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final TensorSpec spec;
    private final UnsafeBuffer data;
    private final int byteSize;

    private Tensor(TensorSpec spec, UnsafeBuffer data) {
        this.spec = spec;
        this.data = data;
        this.byteSize = data.capacity();
    }

    /** Allocates a zero-filled tensor in a new direct buffer. */
    public static Tensor allocate(TensorSpec spec) {
        int size = checkedSize(spec);
        ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(LE);
        return new Tensor(spec, new UnsafeBuffer(buffer));
    }

    /**
     * Wraps a direct buffer's remaining bytes, which must be exactly the tensor's byte size.
     */
    public static Tensor wrap(TensorSpec spec, ByteBuffer direct) {
        Objects.requireNonNull(direct, "direct");
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "': buffer must be direct");
        }
        int size = checkedSize(spec);
        if (direct.remaining() != size) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' " + spec.shapeAndType() + " needs "
                    + size + " bytes, buffer has " + direct.remaining());
        }
        return new Tensor(spec, new UnsafeBuffer(direct, direct.position(), size));
    }

    /**
     * Views {@code length} bytes of native memory at {@code address}. For engine implementations: the
     * caller guarantees the memory outlives the tensor.
     */
    public static Tensor wrapAddress(TensorSpec spec, long address, int length) {
        int size = checkedSize(spec);
        if (length != size) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' " + spec.shapeAndType() + " needs "
                    + size + " bytes, native buffer has " + length);
        }
        if (address == 0) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "': native buffer is not allocated");
        }
        return new Tensor(spec, new UnsafeBuffer(address, length));
    }

    private static int checkedSize(TensorSpec spec) {
        long size = spec.byteSize();
        if (size < 0) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "': " + spec.dataType()
                    + " tensors have no fixed size and are not supported here");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' " + spec.shapeAndType() + " is "
                    + size + " bytes, above the 2 GiB limit of one tensor");
        }
        return (int) size;
    }

    public TensorSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public int[] shape() {
        return spec.shape();
    }

    public DataType dataType() {
        return spec.dataType();
    }

    public Quantization quantization() {
        return spec.quantization();
    }

    /** The data, little-endian; index 0 is the first byte of the tensor. */
    public MutableDirectBuffer data() {
        return data;
    }

    public int byteSize() {
        return byteSize;
    }

    public int elementCount() {
        return (int) spec.elementCount();
    }

    public float getFloat(int index) {
        return data.getFloat(index * 4, LE);
    }

    public void putFloat(int index, float value) {
        data.putFloat(index * 4, value, LE);
    }

    /** Unsigned byte at element {@code index} (for UINT8 tensors). */
    public int getUint8(int index) {
        return data.getByte(index) & 0xff;
    }

    public void putUint8(int index, int value) {
        data.putByte(index, (byte) value);
    }

    public byte getInt8(int index) {
        return data.getByte(index);
    }

    public int getInt32(int index) {
        return data.getInt(index * 4, LE);
    }

    /**
     * Element {@code index} as a real number: floating types as they are, quantized integer types
     * dequantized with their (per-tensor or per-channel) scale and zero point.
     */
    public float getReal(int index) {
        float raw;
        switch (spec.dataType()) {
            case FP32:
                return data.getFloat(index * 4, LE);
            case FP16:
                return Float16.toFloat(data.getShort(index * 2, LE));
            case FP64:
                return (float) data.getDouble(index * 8, LE);
            case UINT8:
            case BOOL:
                raw = data.getByte(index) & 0xff;
                break;
            case INT8:
                raw = data.getByte(index);
                break;
            case INT16:
                raw = data.getShort(index * 2, LE);
                break;
            case UINT16:
                raw = data.getShort(index * 2, LE) & 0xffff;
                break;
            case INT32:
                raw = data.getInt(index * 4, LE);
                break;
            case UINT32:
                raw = data.getInt(index * 4, LE) & 0xffffffffL;
                break;
            case INT64:
            case UINT64:
                raw = data.getLong(index * 8, LE);
                break;
            default:
                throw new IllegalStateException("tensor '" + spec.name() + "': cannot read " + spec.dataType()
                        + " as numbers");
        }
        Quantization q = spec.quantization();
        if (!q.isQuantized()) {
            return raw;
        }
        int channel = q.isPerChannel() ? channelOf(index, q.axis()) : 0;
        return q.scale(channel) * (raw - q.zeroPoint(channel));
    }

    private int channelOf(int index, int axis) {
        int[] shape = spec.shape();
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return (index / inner) % shape[axis];
    }

    /** All elements as real numbers (see {@link #getReal}); allocates, not for hot paths. */
    public float[] toFloatArray() {
        int n = elementCount();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = getReal(i);
        }
        return out;
    }

    /** Index of the largest element (the first one on ties). */
    public int argMax() {
        int n = elementCount();
        if (n == 0) {
            throw new IllegalStateException("tensor '" + spec.name() + "' is empty");
        }
        int best = 0;
        float bestValue = getReal(0);
        for (int i = 1; i < n; i++) {
            float v = getReal(i);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /** Copies bytes into the tensor; {@code bytes.length} must equal {@link #byteSize()}. */
    public void putBytes(byte[] bytes) {
        if (bytes.length != byteSize) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' " + spec.shapeAndType() + " holds "
                    + byteSize + " bytes, got " + bytes.length);
        }
        data.putBytes(0, bytes);
    }

    /** A copy of the data as bytes; allocates, not for hot paths. */
    public byte[] toByteArray() {
        byte[] out = new byte[byteSize];
        data.getBytes(0, out);
        return out;
    }

    /**
     * Copies {@code source}'s data into this tensor after checking that shape and type match.
     *
     * @throws IllegalArgumentException showing both sides, e.g. {@code tensor 'x' expects
     *     [1,28,28,32] FP32, got [1,28,28,16] FP32}
     */
    public void copyFrom(Tensor source) {
        requireCompatible(source.spec);
        data.putBytes(0, source.data, 0, byteSize);
    }

    /** Throws the standard shape/type mismatch error when {@code actual} does not fit this tensor. */
    public void requireCompatible(TensorSpec actual) {
        if (!spec.isCompatibleWith(actual)) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' expects " + spec.shapeAndType()
                    + ", got " + actual.shapeAndType());
        }
    }

    /** True when both tensors have the same shape, type and bytes. */
    public boolean contentEquals(Tensor other) {
        if (!spec.isCompatibleWith(other.spec)) {
            return false;
        }
        return data.compareTo(other.data) == 0;
    }

    @Override
    public String toString() {
        return "Tensor" + spec;
    }
}
