package io.edgesplit.cli;

import io.edgesplit.common.ProgressListener;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.SegmentLatency;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's quick calibration: runs every variant's whole model on this machine, takes the median,
 * and fits {@code latency = perInvoke + MACs / throughput} over the variants, so the planner predicts
 * heads and tails from measured numbers rather than catalog estimates. The device and the edge server
 * of the demo are both this machine, each measured with its own engine options. (The full profiler,
 * {@code edgesplit profile}, fits per-operator costs over many segments; this takes seconds.)
 */
final class DemoCalibration {

    /** Median whole-model latency per variant, in package order. */
    final double[] medianMillis;
    final double[] p95Millis;
    final CostModel costModel;
    private final List<Variant> variants;
    private final int threads;
    private final int runs;

    private DemoCalibration(List<Variant> variants, double[] medianMillis, double[] p95Millis, CostModel costModel,
            int threads, int runs) {
        this.variants = variants;
        this.medianMillis = medianMillis;
        this.p95Millis = p95Millis;
        this.runs = runs;
        this.costModel = costModel;
        this.threads = threads;
    }

    static DemoCalibration measure(ModelPackage pkg, InferenceEngine engine, EngineOptions options, int runs,
            String task, ProgressListener progress) throws IOException {
        List<Variant> variants = pkg.variants();
        double[] medians = new double[variants.size()];
        double[] p95 = new double[variants.size()];
        long total = (long) variants.size() * runs;
        for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            double[] times = new double[runs];
            try (CompiledModel model = engine.load(pkg.segmentPath(variant.fullLocal().headSegment()), options);
                    Session s = model.newSession()) {
                for (int i = 0; i < 3; i++) {
                    s.run(); // warm up (inputs are zero: latency does not depend on values)
                }
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    s.run();
                    times[i] = (System.nanoTime() - t0) / 1e6;
                    progress.onProgress(task, (long) v * runs + i + 1, total);
                }
            }
            Arrays.sort(times);
            medians[v] = times[runs / 2];
            p95[v] = times[Math.min(runs - 1, (int) Math.ceil(runs * 0.95) - 1)];
        }
        return new DemoCalibration(variants, medians, p95, fit(variants, medians, options.threads(), options.xnnpack() ? Delegate.XNNPACK : Delegate.NONE), options.threads(),
                runs);
    }

    /** Least squares over (MACs, median ms); a negative intercept is dropped (line through zero). */
    static CostModel fit(List<Variant> variants, double[] medianMillis, int threads, Delegate delegate) {
        int n = variants.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = variants.get(i).macs();
            double y = medianMillis[i];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope;
        double intercept;
        double det = n * sxx - sx * sx;
        if (n >= 2 && det > 0) {
            slope = (n * sxy - sx * sy) / det;
            intercept = (sy - slope * sx) / n;
        } else {
            slope = sxy / sxx;
            intercept = 0;
        }
        if (intercept < 0 || !(slope > 0)) {
            slope = sxy / sxx;
            intercept = 0;
        }
        return CostModel.builder(threads, delegate).macsPerSecond(1000.0 / slope)
                .perInvokeNanos(intercept * 1e6).fittedSegments(n).build();
    }

    /** {@code base} with this machine's measurements: the cost model and the whole-model latencies. */
    DeviceProfile apply(DeviceProfile base, String name) {
        DeviceProfile.Builder b = base.toBuilder().name(name).removeCostModels().putCostModel(costModel);
        for (int v = 0; v < variants.size(); v++) {
            b.putSegmentLatency(new SegmentLatency(variants.get(v).fullLocal().headSegment(), threads,
                    costModel.delegate(), medianMillis[v], p95Millis[v], runs));
        }
        return b.build();
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            lines.add(String.format(java.util.Locale.ROOT, "%s %.1f ms", variants.get(v).id(), medianMillis[v]));
        }
        return lines;
    }
}
