package io.edgesplit.codec;

import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code int8}: FP32 tensors as 8-bit affine codes with one scale and zero point for the whole
 * tensor, a quarter of the bytes plus an 8-byte header.
 *
 * <pre>
 *  0               4               8                          8+n
 *  +---------------+---------------+-------- ... -------------+
 *  | scale         | zeroPoint     | q[0] q[1] ... q[n-1]     |
 *  | float32 LE    | int32 LE      | uint8 codes              |
 *  +---------------+---------------+-------- ... -------------+
 *  real[i] = scale * (q[i] - zeroPoint);  scale finite and > 0, zeroPoint in [0, 255]
 * </pre>
 *
 * <p>The range is the tensor's finite min/max widened to include 0, so 0 decodes exactly and every
 * finite value within {@code scale / 2}; a constant tensor (min == max) reconstructs to within
 * rounding of the float product, an all-zero one exactly (scale 1). +Infinity decodes as the top of
 * the range, -Infinity as the bottom, NaN as 0 (see {@link Affine8}).
 *
 * <p>Every type other than FP32 passes through as {@code raw} bytes, flagged
 * {@link CodecStats#passthrough()}: 8-bit quantized (UINT8/INT8) tensors are already as small as this
 * codec would make them, and re-quantizing them would only add error.
 */
final class Int8Codec implements TensorCodec {

    static final String NAME = "int8";
    static final int SCALE_OFFSET = 0;
    static final int ZERO_POINT_OFFSET = 4;
    static final int HEADER_LENGTH = 8;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxEncodedLength(TensorSpec spec) {
        if (!CodecSupport.isLossyTarget(spec)) {
            return CodecSupport.byteSize(NAME, spec);
        }
        return CodecSupport.checkedPayload(NAME, spec, HEADER_LENGTH + spec.elementCount());
    }

    @Override
    public int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull) {
        if (!CodecSupport.isLossyTarget(src.spec())) {
            return CodecSupport.encodeRaw(NAME, src, dst, dstOffset, statsOrNull, true);
        }
        int length = maxEncodedLength(src.spec());
        CodecSupport.requireCapacity(NAME, src.spec(), dst, dstOffset, length);
        DirectBuffer in = src.data();
        int n = src.elementCount();

        // NaN fails both comparisons, so it never becomes min or max; infinities would, and then a
        // second pass leaves them out. Keeping the finite check out of the common pass halves its cost.
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = in.getFloat(4 * i, LE);
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
        if (min == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float x = in.getFloat(4 * i, LE);
                if (CodecSupport.isFinite(x)) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        float scale = Affine8.scale(min, max);
        int zeroPoint = Affine8.zeroPoint(min, scale);
        float inverse = 1f / scale;
        dst.putFloat(dstOffset + SCALE_OFFSET, scale, LE);
        dst.putInt(dstOffset + ZERO_POINT_OFFSET, zeroPoint, LE);

        int codes = dstOffset + HEADER_LENGTH;
        if (statsOrNull == null) {
            for (int i = 0; i < n; i++) {
                dst.putByte(codes + i, (byte) Affine8.quantize(in.getFloat(4 * i, LE), inverse, zeroPoint));
            }
            return length;
        }
        double maxError = 0;
        double sumError = 0;
        long nonFinite = 0;
        for (int i = 0; i < n; i++) {
            float x = in.getFloat(4 * i, LE);
            int q = Affine8.quantize(x, inverse, zeroPoint);
            dst.putByte(codes + i, (byte) q);
            if (CodecSupport.isFinite(x)) {
                double error = Math.abs((double) Affine8.dequantize(q, scale, zeroPoint) - x);
                sumError += error;
                maxError = Math.max(maxError, error);
            } else {
                nonFinite++;
            }
        }
        statsOrNull.start(src.byteSize(), n, false);
        statsOrNull.addErrors(maxError, sumError, nonFinite);
        statsOrNull.encodedBytes(length);
        return length;
    }

    @Override
    public void decode(DirectBuffer src, int srcOffset, int length, Tensor dst) throws CodecException {
        CodecSupport.requireRange(NAME, src, srcOffset, length);
        if (!CodecSupport.isLossyTarget(dst.spec())) {
            CodecSupport.decodeRaw(NAME, src, srcOffset, length, dst);
            return;
        }
        int expected = maxEncodedLength(dst.spec());
        int n = dst.elementCount();
        if (length != expected) {
            throw new CodecException(NAME, dst.spec(), "payload is " + length + " bytes, expected " + expected
                    + " (" + HEADER_LENGTH + "-byte header + " + n + " codes)");
        }
        float scale = src.getFloat(srcOffset + SCALE_OFFSET, LE);
        int zeroPoint = src.getInt(srcOffset + ZERO_POINT_OFFSET, LE);
        String bad = Affine8.checkParameters(scale, zeroPoint);
        if (bad != null) {
            throw new CodecException(NAME, dst.spec(), bad);
        }
        MutableDirectBuffer out = dst.data();
        int codes = srcOffset + HEADER_LENGTH;
        for (int i = 0; i < n; i++) {
            out.putFloat(4 * i, Affine8.dequantize(src.getByte(codes + i) & 0xff, scale, zeroPoint), LE);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
