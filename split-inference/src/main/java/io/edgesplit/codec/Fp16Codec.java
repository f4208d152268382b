package io.edgesplit.codec;

import io.edgesplit.tensor.Float16;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code fp16}: FP32 tensors as IEEE 754 half precision (round to nearest even), half the bytes.
 *
 * <pre>
 *  0        2        4                    2n
 *  +--------+--------+-- ... --+--------+
 *  | h[0]   | h[1]   |         | h[n-1] |   n = element count, each an IEEE binary16, little-endian
 *  +--------+--------+-- ... --+--------+
 * </pre>
 *
 * <p>Relative error is at most 2<sup>-11</sup> for normal values; magnitudes below 6.1e-5 lose
 * precision (subnormal halves) and below 3e-8 become 0. Finite values beyond &plusmn;65504 overflow
 * to &plusmn;Infinity, which {@link CodecStats#maxAbsError()} reports as an infinite error. NaN and
 * infinities are preserved.
 *
 * <p>Every type other than FP32 (notably 8-bit quantized tensors) passes through as {@code raw}
 * bytes, flagged {@link CodecStats#passthrough()}.
 */
final class Fp16Codec implements TensorCodec {

    static final String NAME = "fp16";
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
        return CodecSupport.checkedPayload(NAME, spec, spec.elementCount() * 2);
    }

    @Override
    public int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull) {
        if (!CodecSupport.isLossyTarget(src.spec())) {
            return CodecSupport.encodeRaw(NAME, src, dst, dstOffset, statsOrNull, true);
        }
        int length = maxEncodedLength(src.spec());
        CodecSupport.requireCapacity(NAME, src.spec(), dst, dstOffset, length);
        int n = src.elementCount();
        DirectBuffer in = src.data();
        if (statsOrNull == null) {
            for (int i = 0; i < n; i++) {
                dst.putShort(dstOffset + 2 * i, Float16.fromFloat(in.getFloat(4 * i, LE)), LE);
            }
            return length;
        }
        double maxError = 0;
        double sumError = 0;
        long nonFinite = 0;
        for (int i = 0; i < n; i++) {
            float x = in.getFloat(4 * i, LE);
            short h = Float16.fromFloat(x);
            dst.putShort(dstOffset + 2 * i, h, LE);
            if (CodecSupport.isFinite(x)) {
                double error = Math.abs((double) Float16.toFloat(h) - x);
                sumError += error;
                if (error > maxError) {
                    maxError = error;
                }
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
        if (length != expected) {
            throw new CodecException(NAME, dst.spec(), "payload is " + length + " bytes, expected " + expected
                    + " (2 bytes per element)");
        }
        MutableDirectBuffer out = dst.data();
        int n = dst.elementCount();
        for (int i = 0; i < n; i++) {
            out.putFloat(4 * i, Float16.toFloat(src.getShort(srcOffset + 2 * i, LE)), LE);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
