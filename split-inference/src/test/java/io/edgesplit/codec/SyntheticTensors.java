package io.edgesplit.codec;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;

/** Deterministic test tensors and buffers for the codec tests. */
final class SyntheticTensors {

    private SyntheticTensors() {
    }

    /** ReLU6-like activations: about 60% exact zeros, the rest in (0, 6]. */
    static Tensor reluLike(TensorSpec spec, long seed) {
        Tensor t = Tensor.allocate(spec);
        Random random = new Random(seed);
        for (int i = 0; i < t.elementCount(); i++) {
            double g = random.nextGaussian();
            t.putFloat(i, g > 0.25 ? (float) Math.min(6.0, (g - 0.25) * 2.0) : 0f);
        }
        return t;
    }

    /**
     * ReLU-like activations where half of the pixels (every channel at one NHWC position) are zero, as
     * in the background of an image: the redundancy a lossless stage can exploit.
     */
    static Tensor reluWithDeadPixels(TensorSpec spec, long seed) {
        Tensor t = reluLike(spec, seed);
        Random random = new Random(seed + 1);
        int channels = spec.dim(spec.rank() - 1);
        for (int pixel = 0; pixel < t.elementCount(); pixel += channels) {
            if (random.nextBoolean()) {
                for (int c = 0; c < channels; c++) {
                    t.putFloat(pixel + c, 0f);
                }
            }
        }
        return t;
    }

    /** Uniform values in [lo, hi). */
    static Tensor uniform(TensorSpec spec, long seed, float lo, float hi) {
        Tensor t = Tensor.allocate(spec);
        Random random = new Random(seed);
        for (int i = 0; i < t.elementCount(); i++) {
            t.putFloat(i, lo + (hi - lo) * random.nextFloat());
        }
        return t;
    }

    /** Channel c of the last axis spans [-(c+1)^3 / 10, (c+1)^3 / 10]: ranges differ by orders of magnitude. */
    static Tensor channelsOfDifferentRanges(TensorSpec spec, long seed) {
        Tensor t = Tensor.allocate(spec);
        Random random = new Random(seed);
        int channels = spec.dim(spec.rank() - 1);
        for (int i = 0; i < t.elementCount(); i++) {
            int c = i % channels;
            float range = (c + 1) * (c + 1) * (c + 1) / 10f;
            t.putFloat(i, range * (2 * random.nextFloat() - 1));
        }
        return t;
    }

    /** Every byte random: incompressible. */
    static Tensor randomBytes(TensorSpec spec, long seed) {
        Tensor t = Tensor.allocate(spec);
        byte[] bytes = new byte[t.byteSize()];
        new Random(seed).nextBytes(bytes);
        t.putBytes(bytes);
        return t;
    }

    static Tensor constant(TensorSpec spec, float value) {
        Tensor t = Tensor.allocate(spec);
        for (int i = 0; i < t.elementCount(); i++) {
            t.putFloat(i, value);
        }
        return t;
    }

    static TensorSpec fp32(String name, int... shape) {
        return TensorSpec.of(name, DataType.FP32, shape);
    }

    static TensorSpec uint8Quantized(String name, int... shape) {
        return new TensorSpec(name, shape, DataType.UINT8, Quantization.perTensor(6f / 255, 0));
    }

    /** A direct little-endian buffer, as transports use. */
    static UnsafeBuffer direct(int capacity) {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN));
    }
}
