package io.edgesplit.offload;

import io.edgesplit.engine.tflite.TfLiteFormat;
import io.edgesplit.modelpackage.SplitPoint;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;

/**
 * Would a batched Invoke pay on the edge server? The server's micro-batching groups waiting requests
 * for one tail and runs them back to back on a warm session; this measures what running them as one
 * Invoke with a larger batch dimension would add, straight on TensorFlow Lite (one thread, XNNPACK):
 * per-sample time of MobileNetV2 (quantized) segments at batch 1, 2 and 4, and whether the batch can
 * be resized at all (published classifiers end in a RESHAPE to a constant [1, 1001], which refuses
 * any batch above 1).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.edgesplit.offload.BatchedInvokeHarness [runs=15]</pre>
 */
public final class BatchedInvokeHarness {

    private BatchedInvokeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        for (double depth : new double[] {0.1, 0.5, 0.9}) {
            try (LoopbackFixture f = LoopbackFixture.mobileNetV2(depth)) {
                SplitPoint s = f.split;
                measure("head of " + s.id(), f.pkg.readSegment(s.headSegment()), runs);
                measure("tail of " + s.id(), f.pkg.readSegment(s.tailSegment()), runs);
            }
        }
    }

    private static void measure(String label, ByteBuffer segment, int runs) throws Exception {
        byte[] copy = new byte[segment.remaining()];
        segment.duplicate().get(copy);
        BytePointer bytes = new BytePointer(copy.length);
        bytes.put(copy);
        FlatBufferModel model = TfLiteFormat.verifyAndBuild(bytes, label);
        int[] batches = {1, 2, 4};
        Interpreter[] interpreters = new Interpreter[batches.length];
        BuiltinOpResolver resolver = new BuiltinOpResolver();
        for (int k = 0; k < batches.length; k++) {
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                builder.SetNumThreads(1);
                Interpreter it = new Interpreter((Pointer) null);
                builder.apply(it);
                int input = it.inputs().get(0);
                int[] shape = new int[it.tensor(input).dims().size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = it.tensor(input).dims().data(d);
                }
                shape[0] = batches[k];
                if (it.ResizeInputTensor(input, shape) != 0 || it.AllocateTensors() != 0) {
                    it.close();
                    continue;
                }
                for (int i = 0; i < 3; i++) {
                    it.Invoke();
                }
                interpreters[k] = it;
            }
        }
        // round robin over the batch sizes, so that machine noise hits them alike
        long[][] v = new long[batches.length][runs];
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < batches.length; k++) {
                if (interpreters[k] == null) {
                    continue;
                }
                long t0 = System.nanoTime();
                if (interpreters[k].Invoke() != 0) {
                    throw new IllegalStateException(label + ": Invoke failed at batch " + batches[k]);
                }
                v[k][i] = System.nanoTime() - t0;
            }
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", label));
        double single = 0;
        for (int k = 0; k < batches.length; k++) {
            if (interpreters[k] == null) {
                line.append(String.format(Locale.ROOT, "  batch %d: refused by TensorFlow Lite", batches[k]));
                continue;
            }
            interpreters[k].close();
            Arrays.sort(v[k]);
            double perSample = v[k][runs / 2] / 1e6 / batches[k];
            if (k == 0) {
                single = perSample;
                line.append(String.format(Locale.ROOT, "  batch 1: %7.2f ms", perSample));
            } else {
                line.append(String.format(Locale.ROOT, "  batch %d: %7.2f ms/sample (%+.1f%%)", batches[k], perSample,
                        100 * (perSample / single - 1)));
            }
        }
        resolver.close();
        model.close();
        bytes.close();
        System.out.println(line);
    }
}
