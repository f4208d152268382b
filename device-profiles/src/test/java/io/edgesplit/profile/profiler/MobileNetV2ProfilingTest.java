package io.edgesplit.profile.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.costmodel.LatencyPredictor;
import io.edgesplit.testing.SharedData;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiler on the real MobileNetV2 (uint8, a DAG with residual ADDs): one run of the segments of
 * every eighth cut at one thread, enough to check that real segments load, run and fit, quickly.
 * Skips without ../shared/data.
 */
class MobileNetV2ProfilingTest {

    @Test
    void everyEighthCutIsMeasuredAndTheOthersArePredictedFromTheFit(@TempDir Path tmp) throws Exception {
        Path model = SharedData.model("mobilenet_v2_1.0_224_quant.tflite");
        ModelPackage pkg = new PackageBuilder("mobilenet_v2")
                .addVariant(VariantSource.of(ModelGraph.read(model), model.getFileName().toString(), Sha256.of(model),
                        1.0, null))
                .write(tmp.resolve("pkg"), false);
        Variant v = pkg.variants().get(0);
        Set<String> sampled = new HashSet<>();
        List<SplitPoint> splits = v.splits();
        for (int i = 0; i < splits.size(); i += 8) {
            if (splits.get(i).headSegment() != null) {
                sampled.add(splits.get(i).headSegment());
            }
            if (splits.get(i).tailSegment() != null) {
                sampled.add(splits.get(i).tailSegment());
            }
        }
        ProfilingReport report = SegmentProfiler.builder().threads(List.of(1)).warmupRuns(0).warmupBudgetMillis(0)
                .minRuns(1).maxRuns(1).segmentBudgetMillis(0).remeasureOutliers(false)
                .measureSegments(sampled::contains).build().profile(pkg);

        assertEquals(sampled.size(), report.measurements().size());
        assertEquals(pkg.manifest().segments().keySet(), report.features().keySet());
        String whole = v.fullLocal().headSegment();
        assertEquals(v.macs(), report.features().get(whole).totalMacs());
        assertTrue(report.features().get(whole).byType().containsKey("ADD"), "MobileNetV2 has residual ADDs");
        SegmentMeasurement m = report.measurement(whole, 1).orElseThrow();
        assertEquals(1, m.runs());
        assertEquals(m.medianMillis(), m.p95Millis());
        assertTrue(m.firstInferenceMillis() > 0 && m.initMillis() > 0);

        DeviceProfile device = report.applyTo(DeviceProfile.builder(ProfileKind.DEVICE, "this-machine")
                .compute(ComputeSpec.builder().addCpu(CpuCluster.of("cpu", 2, 2_000_000_000L)).build())
                .memoryBytes(1L << 30).build());
        LatencyPredictor predictor = LatencyPredictor.forDevice(device);
        for (SplitPoint s : splits) {
            for (String sha : new String[] {s.headSegment(), s.tailSegment()}) {
                if (sha == null) {
                    continue;
                }
                LatencyPredictor.Prediction p = predictor.predict(sha, report.features().get(sha), 1, Delegate.XNNPACK)
                        .orElseThrow();
                assertEquals(sampled.contains(sha) ? LatencyPredictor.Source.MEASURED
                        : LatencyPredictor.Source.COST_MODEL, p.source(), sha);
                // a lone SOFTMAX tail may be predicted free (0 ms); anything with real work must cost something
                boolean work = report.features().get(sha).totalMacs() > 1_000_000;
                assertTrue(work ? p.medianMillis() > 0 : p.medianMillis() >= 0, sha + ": " + p);
            }
        }
    }
}
