package io.edgesplit.codec;

import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code int8c}: FP32 tensors as 8-bit affine codes with a scale and zero point per channel of the
 * last axis (the C of NHWC activations), so a channel of small values keeps its own resolution
 * next to a channel of large ones.
 *
 * <pre>
 *  0            4                    4+4C                 4+8C                        4+8C+n
 *  +------------+--------------------+--------------------+----------- ... -----------+
 *  | C          | scale[0..C-1]      | zeroPoint[0..C-1]  | q[0] q[1] ... q[n-1]      |
 *  | int32 LE   | float32 LE each    | int32 LE each      | uint8 codes, tensor order |
 *  +------------+--------------------+--------------------+----------- ... -----------+
 *  C = last dimension (1 for a scalar);  channel of element i = i mod C
 *  real[i] = scale[c] * (q[i] - zeroPoint[c]);  each scale finite and > 0, each zeroPoint in [0, 255]
 * </pre>
 *
 * <p>Meant for activations with many elements per channel. On a vector such as a [1,1001] softmax
 * every element is its own channel and the 8 header bytes per channel outweigh the codes (the
 * payload is larger than the FP32 tensor): use {@code int8} there; {@link CodecStats#ratio()} shows
 * it.
 *
 * <p>Per channel, the same rules as {@code int8} (see {@link Int8Codec} and {@link Affine8}): range
 * widened to include 0, error within {@code scale[c] / 2}, non-finite values clamped or mapped to 0.
 * Every type other than FP32 passes through as {@code raw} bytes, flagged
 * {@link CodecStats#passthrough()}.
 */
final class Int8ChannelCodec implements TensorCodec {

    static final String NAME = "int8c";
    static final int CHANNELS_OFFSET = 0;
    static final int SCALES_OFFSET = 4;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private float[] min = new float[0];
    private float[] max = new float[0];
    private float[] scale = new float[0];
    private float[] inverse = new float[0];
    private int[] zeroPoint = new int[0];

    static int zeroPointsOffset(int channels) {
        return SCALES_OFFSET + 4 * channels;
    }

    static int codesOffset(int channels) {
        return SCALES_OFFSET + 8 * channels;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxEncodedLength(TensorSpec spec) {
        if (!CodecSupport.isLossyTarget(spec)) {
            return CodecSupport.byteSize(NAME, spec);
        }
        long channels = CodecSupport.lastAxisChannels(spec);
        return CodecSupport.checkedPayload(NAME, spec, SCALES_OFFSET + 8 * channels + spec.elementCount());
    }

    private void ensureChannels(int channels) {
        if (scale.length < channels) {
            min = new float[channels];
            max = new float[channels];
            scale = new float[channels];
            inverse = new float[channels];
            zeroPoint = new int[channels];
        }
    }

    /**
     * Per-channel min/max into {@link #min}/{@link #max}. NaN fails both comparisons and is never
     * picked; infinities are, so when one shows up the caller repeats with {@code finiteOnly}, which
     * keeps the finite check out of the common pass.
     */
    private void findRanges(DirectBuffer in, int n, int channels, boolean finiteOnly) {
        for (int c = 0; c < channels; c++) {
            min[c] = Float.POSITIVE_INFINITY;
            max[c] = Float.NEGATIVE_INFINITY;
        }
        for (int row = 0; row < n; row += channels) {
            for (int c = 0; c < channels; c++) {
                float x = in.getFloat(4 * (row + c), LE);
                if (finiteOnly && !CodecSupport.isFinite(x)) {
                    continue;
                }
                if (x < min[c]) {
                    min[c] = x;
                }
                if (x > max[c]) {
                    max[c] = x;
                }
            }
        }
    }

    @Override
    public int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull) {
        TensorSpec spec = src.spec();
        if (!CodecSupport.isLossyTarget(spec)) {
            return CodecSupport.encodeRaw(NAME, src, dst, dstOffset, statsOrNull, true);
        }
        int length = maxEncodedLength(spec);
        CodecSupport.requireCapacity(NAME, spec, dst, dstOffset, length);
        int channels = CodecSupport.lastAxisChannels(spec);
        ensureChannels(channels);
        DirectBuffer in = src.data();
        int n = src.elementCount();

        findRanges(in, n, channels, false);
        for (int c = 0; c < channels; c++) {
            if (min[c] == Float.NEGATIVE_INFINITY || max[c] == Float.POSITIVE_INFINITY) {
                findRanges(in, n, channels, true);
                break;
            }
        }
        int zeroPoints = dstOffset + zeroPointsOffset(channels);
        dst.putInt(dstOffset + CHANNELS_OFFSET, channels, LE);
        for (int c = 0; c < channels; c++) {
            scale[c] = Affine8.scale(min[c], max[c]);
            zeroPoint[c] = Affine8.zeroPoint(min[c], scale[c]);
            inverse[c] = 1f / scale[c];
            dst.putFloat(dstOffset + SCALES_OFFSET + 4 * c, scale[c], LE);
            dst.putInt(zeroPoints + 4 * c, zeroPoint[c], LE);
        }

        int codes = dstOffset + codesOffset(channels);
        if (statsOrNull == null) {
            for (int row = 0; row < n; row += channels) {
                for (int c = 0; c < channels; c++) {
                    int i = row + c;
                    dst.putByte(codes + i, (byte) Affine8.quantize(in.getFloat(4 * i, LE), inverse[c], zeroPoint[c]));
                }
            }
            return length;
        }
        double maxError = 0;
        double sumError = 0;
        long nonFinite = 0;
        for (int row = 0; row < n; row += channels) {
            for (int c = 0; c < channels; c++) {
                int i = row + c;
                float x = in.getFloat(4 * i, LE);
                int q = Affine8.quantize(x, inverse[c], zeroPoint[c]);
                dst.putByte(codes + i, (byte) q);
                if (CodecSupport.isFinite(x)) {
                    double error = Math.abs((double) Affine8.dequantize(q, scale[c], zeroPoint[c]) - x);
                    sumError += error;
                    maxError = Math.max(maxError, error);
                } else {
                    nonFinite++;
                }
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
        TensorSpec spec = dst.spec();
        if (!CodecSupport.isLossyTarget(spec)) {
            CodecSupport.decodeRaw(NAME, src, srcOffset, length, dst);
            return;
        }
        int channels = CodecSupport.lastAxisChannels(spec);
        int n = dst.elementCount();
        int expected = maxEncodedLength(spec);
        if (length < SCALES_OFFSET) {
            throw new CodecException(NAME, spec, "payload is " + length + " bytes, shorter than the "
                    + SCALES_OFFSET + "-byte channel count");
        }
        int declared = src.getInt(srcOffset + CHANNELS_OFFSET, LE);
        if (declared != channels) {
            throw new CodecException(NAME, spec, "payload declares " + declared + " channels, the tensor's last"
                    + " axis has " + channels);
        }
        if (length != expected) {
            throw new CodecException(NAME, spec, "payload is " + length + " bytes, expected " + expected + " ("
                    + SCALES_OFFSET + "-byte channel count + " + channels + " x 8-byte scale/zero point + " + n
                    + " codes)");
        }
        ensureChannels(channels);
        int zeroPoints = srcOffset + zeroPointsOffset(channels);
        for (int c = 0; c < channels; c++) {
            scale[c] = src.getFloat(srcOffset + SCALES_OFFSET + 4 * c, LE);
            zeroPoint[c] = src.getInt(zeroPoints + 4 * c, LE);
            String bad = Affine8.checkParameters(scale[c], zeroPoint[c]);
            if (bad != null) {
                throw new CodecException(NAME, spec, "channel " + c + ": " + bad);
            }
        }
        MutableDirectBuffer out = dst.data();
        int codes = srcOffset + codesOffset(channels);
        for (int row = 0; row < n; row += channels) {
            for (int c = 0; c < channels; c++) {
                int i = row + c;
                out.putFloat(4 * i, Affine8.dequantize(src.getByte(codes + i) & 0xff, scale[c], zeroPoint[c]), LE);
            }
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
