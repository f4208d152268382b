package io.edgesplit.modelpackage;

import io.edgesplit.codec.Codecs;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Head + tail Invoke time against the full model's at every split point of a package, measured
 * side by side: for each split point the full model and the split pipeline (raw codec, in process)
 * run alternately N times each, so machine noise hits both equally, and the ratio of medians is
 * reported. Not JMH because the figure of merit is a ratio of interleaved runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.edgesplit.modelpackage.SplitOverheadBenchmark PACKAGE_DIR [runs] [threads]
 * </pre>
 */
public final class SplitOverheadBenchmark {

    private SplitOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SplitOverheadBenchmark PACKAGE_DIR [runs=15] [threads=1]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ModelPackage pkg = ModelPackage.load(dir);
        EngineOptions options = EngineOptions.builder().threads(threads).build();
        TensorCodec raw = Codecs.create("raw");
        System.out.printf(Locale.ROOT, "%-12s %5s %12s %14s %8s%n", "split", "ops", "full p50 ms", "head+tail p50 ms",
                "ratio");
        double worst = 0;
        List<Double> ratios = new ArrayList<>();
        for (Variant v : pkg.variants()) {
            try (SplitPipeline full = SplitPipeline.open(pkg, v, v.fullLocal(), TfLiteEngine.get(), options, 8)) {
                fill(full);
                for (SplitPoint s : v.splits()) {
                    if (s.isFullLocal() || s.isFullOffload()) {
                        continue; // one segment: nothing to compare
                    }
                    int capacity = SplitPipeline.wireCapacityFor(s, List.of(raw));
                    try (SplitPipeline split = SplitPipeline.open(pkg, v, s, TfLiteEngine.get(), options, capacity)) {
                        for (int i = 0; i < split.inputCount(); i++) {
                            split.input(i).copyFrom(full.input(i));
                        }
                        for (int w = 0; w < 3; w++) {
                            full.run(raw, false);
                            split.run(raw, false);
                        }
                        long[] fullNs = new long[runs];
                        long[] splitNs = new long[runs];
                        for (int r = 0; r < runs; r++) {
                            long t0 = System.nanoTime();
                            full.run(raw, false);
                            long t1 = System.nanoTime();
                            split.run(raw, false);
                            long t2 = System.nanoTime();
                            fullNs[r] = t1 - t0;
                            splitNs[r] = t2 - t1;
                        }
                        double f = median(fullNs) / 1e6;
                        double sp = median(splitNs) / 1e6;
                        double ratio = sp / f;
                        ratios.add(ratio);
                        worst = Math.max(worst, ratio);
                        System.out.printf(Locale.ROOT, "%-12s %5d %12.2f %14.2f %8.3f%n", s.id(), s.headOperatorCount(),
                                f, sp, ratio);
                    }
                }
            }
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%nsplit points: %d, median ratio %.3f, worst %.3f (target <= 1.10)%n",
                sorted.length, sorted[sorted.length / 2], worst);
    }

    private static void fill(SplitPipeline p) {
        Random r = new Random(42);
        for (int i = 0; i < p.inputCount(); i++) {
            Tensor t = p.input(i);
            byte[] b = new byte[t.byteSize()];
            r.nextBytes(b);
            if (t.dataType() == io.edgesplit.tensor.DataType.FP32) {
                for (int k = 0; k < t.elementCount(); k++) {
                    t.putFloat(k, (b[k] & 0xff) / 127.5f - 1f);
                }
            } else {
                t.putBytes(b);
            }
        }
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
