package io.edgesplit.graph;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Float16;
import io.edgesplit.tensor.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;

/**
 * Small models of the kinds TensorFlow Lite's converter produces besides plain float and uint8:
 * full-integer int8 with QUANTIZE/DEQUANTIZE at the edges, dynamic-range (hybrid: int8 weights,
 * float activations) and float16 weights dequantized at run time. Each has a residual ADD, so it is
 * a DAG.
 */
final class ModelKinds {

    private ModelKinds() {
    }

    static ModelGraph fullInteger(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder("full_integer_int8");
        int x = b.input("input", DataType.FP32, 1, 32, 32, 3);
        float inScale = 1f / 128;
        x = b.quantize("input_int8", x, DataType.INT8, Quantization.perTensor(inScale, 0));
        Quantization relu6 = Quantization.perTensor(6f / 255, -128);
        Quantization linear = Quantization.perTensor(0.1f, 0);
        int c1 = int8Conv(b, r, "conv1", x, inScale, 3, 16, 3, 2, ActivationFunctionType.RELU6, relu6);
        int dw = int8Depthwise(b, r, "dw", c1, relu6.scale(), 16, relu6);
        int proj = int8Conv(b, r, "project", dw, relu6.scale(), 16, 16, 1, 1, ActivationFunctionType.NONE, linear);
        int skip = int8Conv(b, r, "skip", c1, relu6.scale(), 16, 16, 1, 1, ActivationFunctionType.NONE, linear);
        int sum = b.add("add", skip, proj, ActivationFunctionType.NONE, DataType.INT8, linear);
        int pool = b.globalAveragePool("pool", sum, DataType.INT8, linear);
        int flat = b.reshapeKeepingType("flatten", pool, 1, 16);
        float wScale = 0.01f;
        int w = b.constantBytes("fc/weights", DataType.INT8, new int[] {10, 16}, int8s(r, 160),
                Quantization.perTensor(wScale, 0));
        int bias = b.constantBytes("fc/bias", DataType.INT32, new int[] {10}, int32s(r, 10, 100),
                Quantization.perTensor(linear.scale() * wScale, 0));
        int logits = b.fullyConnected("fc", flat, w, bias, ActivationFunctionType.NONE, DataType.INT8,
                Quantization.perTensor(0.05f, 0));
        b.output(b.dequantize("output", logits));
        return b.build();
    }

    static ModelGraph dynamicRange(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder("dynamic_range");
        int x = b.input("input", DataType.FP32, 1, 32, 32, 3);
        int c1 = hybridConv(b, r, "conv1", x, 3, 16, 3, 2);
        int dwW = b.constant("dw/weights", new int[] {1, 3, 3, 16}, gaussian(r, 144, 0.3));
        int dwB = b.constant("dw/bias", new int[] {16}, new float[16]);
        int dw = b.depthwiseConv2d("dw", c1, dwW, dwB, 1, ActivationFunctionType.RELU6);
        int proj = hybridConv(b, r, "project", dw, 16, 16, 1, 1);
        int sum = b.add("add", c1, proj, ActivationFunctionType.NONE);
        int pool = b.globalAveragePool("pool", sum);
        int flat = b.reshape("flatten", pool, 1, 16);
        int w = b.constantBytes("fc/weights", DataType.INT8, new int[] {10, 16}, int8s(r, 160),
                Quantization.perTensor(0.02f, 0));
        int bias = b.constant("fc/bias", new int[] {10}, new float[10]);
        int logits = b.fullyConnected("fc", flat, w, bias, ActivationFunctionType.NONE, DataType.FP32, Quantization.NONE);
        b.output(b.softmax("probabilities", logits));
        return b.build();
    }

    static ModelGraph float16Weights(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder("float16_weights");
        int x = b.input("input", DataType.FP32, 1, 32, 32, 3);
        int c1 = fp16Conv(b, r, "conv1", x, 3, 16, 3, 2);
        int c2 = fp16Conv(b, r, "conv2", c1, 16, 16, 3, 1);
        int c3 = fp16Conv(b, r, "conv3", c2, 16, 16, 1, 1);
        int sum = b.add("add", c1, c3, ActivationFunctionType.NONE);
        int pool = b.globalAveragePool("pool", sum);
        int flat = b.reshape("flatten", pool, 1, 16);
        int w = b.dequantize("fc/weights", b.constantBytes("fc/weights_fp16", DataType.FP16, new int[] {10, 16},
                halves(gaussian(r, 160, 0.3)), Quantization.NONE));
        int bias = b.constant("fc/bias", new int[] {10}, new float[10]);
        b.output(b.softmax("probabilities", b.fullyConnected("fc", flat, w, bias, ActivationFunctionType.NONE)));
        return b.build();
    }

    private static int int8Conv(ModelBuilder b, Random r, String name, int x, float inScale, int cin, int cout, int k,
            int stride, byte act, Quantization outQ) {
        float[] scales = new float[cout];
        Arrays.fill(scales, 0.01f);
        for (int i = 0; i < cout; i++) {
            scales[i] *= 1 + r.nextFloat();
        }
        int w = b.constantBytes(name + "/weights", DataType.INT8, new int[] {cout, k, k, cin},
                int8s(r, cout * k * k * cin), Quantization.perChannel(scales, new long[] {0}, 0));
        int bias = b.constantBytes(name + "/bias", DataType.INT32, new int[] {cout}, int32s(r, cout, 50),
                Quantization.perChannel(times(scales, inScale), new long[] {0}, 0));
        return b.conv2d(name, x, w, bias, stride, act, DataType.INT8, outQ);
    }

    private static int int8Depthwise(ModelBuilder b, Random r, String name, int x, float inScale, int c,
            Quantization outQ) {
        float[] scales = new float[c];
        Arrays.fill(scales, 0.02f);
        int w = b.constantBytes(name + "/weights", DataType.INT8, new int[] {1, 3, 3, c}, int8s(r, 9 * c),
                Quantization.perChannel(scales, new long[] {0}, 3));
        int bias = b.constantBytes(name + "/bias", DataType.INT32, new int[] {c}, int32s(r, c, 50),
                Quantization.perChannel(times(scales, inScale), new long[] {0}, 0));
        return b.depthwiseConv2d(name, x, w, bias, 1, ActivationFunctionType.RELU6, DataType.INT8, outQ);
    }

    private static int hybridConv(ModelBuilder b, Random r, String name, int x, int cin, int cout, int k, int stride) {
        float[] scales = new float[cout];
        Arrays.fill(scales, 0.01f);
        int w = b.constantBytes(name + "/weights", DataType.INT8, new int[] {cout, k, k, cin},
                int8s(r, cout * k * k * cin), Quantization.perChannel(scales, new long[] {0}, 0));
        int bias = b.constant(name + "/bias", new int[] {cout}, new float[cout]);
        return b.conv2d(name, x, w, bias, stride, ActivationFunctionType.RELU6, DataType.FP32, Quantization.NONE);
    }

    private static int fp16Conv(ModelBuilder b, Random r, String name, int x, int cin, int cout, int k, int stride) {
        int half = b.constantBytes(name + "/weights_fp16", DataType.FP16, new int[] {cout, k, k, cin},
                halves(gaussian(r, cout * k * k * cin, Math.sqrt(2.0 / (k * k * cin)))), Quantization.NONE);
        int w = b.dequantize(name + "/weights", half);
        int bias = b.constant(name + "/bias", new int[] {cout}, new float[cout]);
        return b.conv2d(name, x, w, bias, stride, ActivationFunctionType.RELU6);
    }

    private static float[] times(float[] a, float f) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * f;
        }
        return out;
    }

    private static byte[] int8s(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(255) - 127);
        }
        return b;
    }

    private static byte[] int32s(Random r, int n, int range) {
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bb.putInt(r.nextInt(2 * range + 1) - range);
        }
        return bb.array();
    }

    private static byte[] halves(float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            bb.putShort(Float16.fromFloat(f));
        }
        return bb.array();
    }

    private static float[] gaussian(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }
}
