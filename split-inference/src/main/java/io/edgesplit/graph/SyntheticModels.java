package io.edgesplit.graph;

import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.tensor.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;

/**
 * A small synthetic slimmable CNN family, generated deterministically from a seed and written as
 * real .tflite files, so that the demo and the tests run on a fresh clone without downloading a
 * model. The width-1.0 network is MobileNetV2-like (a strided stem, depthwise-separable blocks, two
 * inverted residual blocks whose ADDs make the graph a DAG, global pooling, a 10-way classifier) on
 * a 160x160x3 float input, about 146 M MACs; the narrower widths are derived from it by
 * {@link WidthSlicer}, so all widths share their weights by channel slicing. The weights are random:
 * the family is for measuring latency and exercising splits, not for classifying anything.
 */
public final class SyntheticModels {

    /** The widths of the family. */
    public static final double[] WIDTHS = {0.25, 0.5, 0.75, 1.0};

    /** The seed the demo and the tests use. */
    public static final long DEFAULT_SEED = 20261123L;

    /** Input side in pixels. */
    public static final int INPUT_SIZE = 160;

    /** Number of output classes. */
    public static final int CLASSES = 10;

    private static final byte RELU6 = ActivationFunctionType.RELU6;
    private static final byte NONE = ActivationFunctionType.NONE;

    private SyntheticModels() {
    }

    /** The width-1.0 network. */
    public static ModelGraph slimmableCnn(long seed) {
        Random rnd = new Random(seed);
        ModelBuilder b = new ModelBuilder("synthetic_slimmable_w1.0");
        int x = b.input("input", DataType.FP32, 1, INPUT_SIZE, INPUT_SIZE, 3);
        x = conv(b, rnd, "stem", x, 3, 32, 3, 2, RELU6, 1f);
        x = separable(b, rnd, "block1", x, 32, 64, 1);
        x = separable(b, rnd, "block2", x, 64, 96, 2);
        x = residual(b, rnd, "residual1", x, 96, 192);
        x = separable(b, rnd, "block3", x, 96, 160, 2);
        x = residual(b, rnd, "residual2", x, 160, 320);
        x = separable(b, rnd, "block4", x, 160, 256, 2);
        x = b.globalAveragePool("pool", x);
        x = b.reshape("flatten", x, 1, 256);
        int w = b.constant("logits/weights", new int[] {CLASSES, 256}, gaussian(rnd, CLASSES * 256, Math.sqrt(1.0 / 256)));
        int bias = b.constant("logits/bias", new int[] {CLASSES}, new float[CLASSES]);
        x = b.fullyConnected("logits", x, w, bias, NONE);
        x = b.softmax("probabilities", x);
        b.output(x);
        return b.build();
    }

    /** The family: one graph per {@link #WIDTHS} entry, narrowest first. */
    public static List<ModelGraph> slimmableFamily(long seed) {
        ModelGraph full = slimmableCnn(seed);
        List<ModelGraph> family = new ArrayList<>();
        for (double width : WIDTHS) {
            try {
                family.add(width == 1.0 ? full : WidthSlicer.slice(full, width));
            } catch (ModelLoadException e) {
                throw new IllegalStateException("the synthetic model must be sliceable", e);
            }
        }
        return family;
    }

    /**
     * Writes the family as {@code synthetic_slimmable_w<width>.tflite} files into {@code dir} and
     * returns their paths, narrowest first.
     */
    public static List<Path> writeSlimmableFamily(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        List<ModelGraph> family = slimmableFamily(seed);
        for (int i = 0; i < WIDTHS.length; i++) {
            Path file = dir.resolve(fileName(WIDTHS[i]));
            family.get(i).write(file);
            files.add(file);
        }
        return files;
    }

    public static String fileName(double width) {
        return String.format(Locale.ROOT, "synthetic_slimmable_w%.2f.tflite", width);
    }

    private static int conv(ModelBuilder b, Random rnd, String name, int x, int cin, int cout, int k, int stride,
            byte act, float gain) {
        int w = b.constant(name + "/weights", new int[] {cout, k, k, cin},
                gaussian(rnd, cout * k * k * cin, gain * Math.sqrt(2.0 / (k * k * cin))));
        int bias = b.constant(name + "/bias", new int[] {cout}, filled(cout, 0.01f));
        return b.conv2d(name, x, w, bias, stride, act);
    }

    private static int depthwise(ModelBuilder b, Random rnd, String name, int x, int c, int stride) {
        int w = b.constant(name + "/weights", new int[] {1, 3, 3, c}, gaussian(rnd, 9 * c, Math.sqrt(2.0 / 9)));
        int bias = b.constant(name + "/bias", new int[] {c}, filled(c, 0.01f));
        return b.depthwiseConv2d(name, x, w, bias, stride, RELU6);
    }

    private static int separable(ModelBuilder b, Random rnd, String name, int x, int cin, int cout, int stride) {
        x = depthwise(b, rnd, name + "/depthwise", x, cin, stride);
        return conv(b, rnd, name + "/pointwise", x, cin, cout, 1, 1, RELU6, 1f);
    }

    private static int residual(ModelBuilder b, Random rnd, String name, int x, int c, int expanded) {
        int h = conv(b, rnd, name + "/expand", x, c, expanded, 1, 1, RELU6, 1f);
        h = depthwise(b, rnd, name + "/depthwise", h, expanded, 1);
        h = conv(b, rnd, name + "/project", h, expanded, c, 1, 1, NONE, 0.5f);
        return b.add(name + "/add", x, h, NONE);
    }

    private static float[] gaussian(Random rnd, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * std);
        }
        return v;
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
