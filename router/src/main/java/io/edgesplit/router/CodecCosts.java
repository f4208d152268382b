package io.edgesplit.router;

import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.TensorSpec;

/**
 * What a codec is expected to cost before it runs: payload bytes of a crossing tensor and encode
 * plus decode time. Lossy codecs shrink only FP32 tensors (8-bit quantized tensors pass through);
 * the LZ4 stage is assumed to gain nothing (measured 1.00-1.04x on real MobileNet activations), so
 * predictions do not promise compression the data may not give.
 *
 * <p>Times are per FP32 input byte, from {@code CodecBenchmark} on the development machine: fp16
 * 1.1 + 0.7 ns, int8 1.1 + 0.5 ns, int8c 1.0 + 0.6 ns, raw ~0, LZ4 stage +4.5 + 1.5 ns.
 */
public final class CodecCosts {

    private CodecCosts() {
    }

    /** Predicted payload bytes of {@code tensor} under {@code codec}. */
    public static long encodedBytes(String codec, TensorDescriptor tensor) {
        TensorSpec spec = tensor.spec();
        long raw = spec.byteSize();
        String base = base(codec);
        long bytes;
        if (spec.dataType() != DataType.FP32 || base.equals("raw")) {
            bytes = raw;
        } else if (base.equals("fp16")) {
            bytes = raw / 2;
        } else if (base.equals("int8")) {
            bytes = raw / 4 + 8;
        } else if (base.equals("int8c")) {
            long channels = spec.rank() == 0 ? 1 : spec.dim(spec.rank() - 1);
            bytes = raw / 4 + 4 + 8 * channels;
        } else {
            throw new IllegalArgumentException("codec: no cost model for '" + codec + "'");
        }
        return codec.endsWith("+lz4") ? bytes + 8 : bytes;
    }

    /** Predicted encode + decode time for {@code rawBytes} of FP32 data, milliseconds. */
    public static double millis(String codec, long rawBytes) {
        String base = base(codec);
        double nsPerByte;
        switch (base) {
            case "raw":
                nsPerByte = 0.03;
                break;
            case "fp16":
                nsPerByte = 1.8;
                break;
            case "int8":
                nsPerByte = 1.6;
                break;
            case "int8c":
                nsPerByte = 1.6;
                break;
            default:
                throw new IllegalArgumentException("codec: no cost model for '" + codec + "'");
        }
        if (codec.endsWith("+lz4")) {
            nsPerByte += 6.0;
        }
        return rawBytes * nsPerByte / 1e6;
    }

    private static String base(String codec) {
        return codec.endsWith("+lz4") ? codec.substring(0, codec.length() - 4) : codec;
    }
}
