package io.edgesplit.profile.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.ProfileWriter;
import io.edgesplit.profile.SegmentLatency;
import io.edgesplit.profile.costmodel.SegmentFeatures;
import io.edgesplit.profile.testing.SyntheticPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentProfilerTest {

    @TempDir
    static Path shared;
    /** The narrowest synthetic width: 22 cuts, every segment well under a millisecond. */
    static ModelPackage pkg;

    @BeforeAll
    static void writePackage() throws IOException {
        pkg = SyntheticPackage.write(shared.resolve("w025"), 0.25);
    }

    private static DeviceProfile draft() {
        return DeviceProfile.builder(ProfileKind.DEVICE, "test-device")
                .compute(ComputeSpec.builder().addCpu(CpuCluster.of("cpu", 2, 2_000_000_000L)).build())
                .memoryBytes(1L << 30).build();
    }

    private static SegmentProfiler.Builder quick() {
        return SegmentProfiler.builder().warmupRuns(0).warmupBudgetMillis(0).minRuns(2).maxRuns(3)
                .segmentBudgetMillis(0);
    }

    @Test
    void profilingTheSyntheticPackageWritesAProfileThatLoadsBackWithEveryMeasurement(@TempDir Path tmp)
            throws IOException {
        List<String> progressTasks = new ArrayList<>();
        ProfilingReport report = quick().threads(List.of(1, 2))
                .progress((task, done, total) -> {
                    if (done == total) {
                        progressTasks.add(task + " " + total);
                    }
                })
                .build().profile(pkg);
        int segments = pkg.manifest().segments().size();
        assertEquals(2 * segments, report.measurements().size());
        assertTrue(progressTasks.contains("reading segments " + segments), progressTasks.toString());
        assertTrue(progressTasks.contains("profiling " + 2 * segments), progressTasks.toString());

        Path file = tmp.resolve("device.yaml");
        ProfileWriter.write(report.applyTo(draft()), file);
        DeviceProfile loaded = DeviceProfiles.load(file);
        for (SegmentMeasurement m : report.measurements()) {
            SegmentLatency s = loaded.segmentLatency(m.segmentSha256(), m.threads(), Delegate.XNNPACK).orElseThrow();
            assertEquals(m.medianMillis(), s.medianMillis());
            assertEquals(m.p95Millis(), s.p95Millis());
            assertTrue(m.runs() >= 2 && m.runs() <= 3, "runs " + m.runs());
            assertTrue(m.medianMillis() > 0 && m.initMillis() > 0 && m.firstInferenceMillis() > 0);
        }
        for (int t : List.of(1, 2)) {
            CostModel c = loaded.costModel(t, Delegate.XNNPACK).orElseThrow();
            assertTrue(c.hasOperatorCosts());
            assertEquals(segments, c.fittedSegments().getAsInt());
            assertTrue(c.heldOutErrorPercent().isPresent(), "held-out error recorded");
        }
        assertEquals("test-device", loaded.id(), "the base profile is kept");
    }

    @Test
    void updatingAProfileReplacesMeasurementsOfTheSameKeyAndKeepsTheRest() throws IOException {
        String sha = pkg.variants().get(0).fullLocal().headSegment();
        String foreign = "f".repeat(64);
        DeviceProfile base = draft().toBuilder()
                .putSegmentLatency(new SegmentLatency(sha, 1, Delegate.XNNPACK, 999, 999, 1))
                .putSegmentLatency(new SegmentLatency(foreign, 1, Delegate.XNNPACK, 5, 6, 10)).build();
        ProfilingReport report = quick().fitCostModels(false).measureSegments(sha::equals).build().profile(pkg);
        DeviceProfile updated = report.applyTo(base);
        assertEquals(report.measurement(sha, 1).orElseThrow().medianMillis(),
                updated.segmentLatency(sha, 1, Delegate.XNNPACK).orElseThrow().medianMillis());
        assertEquals(5.0, updated.segmentLatency(foreign, 1, Delegate.XNNPACK).orElseThrow().medianMillis());
        assertEquals(2, updated.segmentLatencies().size());
    }

    @Test
    void runCountsFollowTheInjectedClockAndBudgets() throws IOException {
        FakeEngine.Clock clock = new FakeEngine.Clock();
        String sha = pkg.variants().get(0).fullLocal().headSegment();
        FakeEngine engine = new FakeEngine(clock, s -> 1_000_000, null, 1);
        SegmentMeasurement m = SegmentProfiler.builder().engine(engine).nanoClock(clock::read)
                .memoryProbe(MemoryProbe.UNAVAILABLE).fitCostModels(false).measureSegments(sha::equals)
                .warmupRuns(2).warmupBudgetMillis(0).minRuns(3).maxRuns(50).segmentBudgetMillis(10)
                .build().profile(pkg).measurements().get(0);
        assertEquals(2, m.warmupRuns());
        assertEquals(10, m.runs(), "1 ms runs until 10 ms are spent");
        assertEquals(1.000001, m.medianMillis(), 1e-9);
        assertEquals(1.000001, m.warmupMeanMillis(), 1e-9);
        assertEquals(1.000001, m.initMillis(), 1e-9, "1 ms to load, read around it");
        assertTrue(m.rssInitDeltaBytes().isEmpty());

        SegmentMeasurement capped = SegmentProfiler.builder().engine(engine).nanoClock(clock::read)
                .fitCostModels(false).measureSegments(sha::equals).minRuns(3).maxRuns(7).segmentBudgetMillis(1000)
                .build().profile(pkg).measurements().get(0);
        assertEquals(7, capped.runs(), "maxRuns caps a long budget");

        SegmentMeasurement tiny = SegmentProfiler.builder().engine(new FakeEngine(clock, s -> 10_000, null, 1))
                .nanoClock(clock::read).fitCostModels(false).measureSegments(sha::equals).warmupRuns(1)
                .warmupBudgetMillis(0.05).minRuns(3).maxRuns(50).segmentBudgetMillis(0.2)
                .build().profile(pkg).measurements().get(0);
        assertEquals(5, tiny.warmupRuns(), "10 us warm-ups until 50 us are spent");
        assertEquals(20, tiny.runs(), "10 us runs until 200 us are spent");
    }

    @Test
    void memoryIsTheResidentSizeDeltaOrUnavailable() throws IOException {
        String sha = pkg.variants().get(0).fullLocal().headSegment();
        AtomicLong rss = new AtomicLong(100_000);
        SegmentMeasurement m = quick().fitCostModels(false).measureSegments(sha::equals)
                .memoryProbe(() -> OptionalLong.of(rss.getAndAdd(4096))).build().profile(pkg).measurements().get(0);
        assertEquals(4096, m.rssInitDeltaBytes().getAsLong());
        assertEquals(8192, m.rssOverallDeltaBytes().getAsLong());
    }

    @Test
    void procStatusProbeReadsVmRssInKibibytes(@TempDir Path tmp) throws IOException {
        Path status = Files.writeString(tmp.resolve("status"), "Name:\tjava\nVmHWM:\t  20000 kB\nVmRSS:\t   12345 kB\n");
        assertEquals(12345L * 1024, MemoryProbe.procStatus(status).residentBytes().getAsLong());
        assertTrue(MemoryProbe.procStatus(tmp.resolve("missing")).residentBytes().isEmpty());
        assertTrue(MemoryProbe.procSelfStatus().residentBytes().isPresent() || !Files.exists(Path.of("/proc/self/status")));
    }

    @Test
    void cpuWaitProbeSumsTheRunQueueDelayOfEveryThread(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("101"));
        Files.createDirectories(tmp.resolve("102"));
        Files.createDirectories(tmp.resolve("103")); // a thread without the file (ended, or an old kernel)
        Files.writeString(tmp.resolve("101/schedstat"), "804298 2054954 2\n");
        Files.writeString(tmp.resolve("102/schedstat"), "100 1000 1\n");
        assertEquals(2_055_954, CpuWaitProbe.procTasks(tmp).runQueueWaitNanos().getAsLong());
        assertTrue(CpuWaitProbe.procTasks(tmp.resolve("missing")).runQueueWaitNanos().isEmpty());
    }

    @Test
    void cpuWaitIsReportedAsAPercentageOfTheTimedRuns() throws IOException {
        FakeEngine.Clock clock = new FakeEngine.Clock();
        String sha = pkg.variants().get(0).fullLocal().headSegment();
        AtomicLong waited = new AtomicLong();
        SegmentMeasurement m = SegmentProfiler.builder().engine(new FakeEngine(clock, s -> 999_999, null, 1))
                .nanoClock(clock::read).fitCostModels(false).measureSegments(sha::equals).minRuns(4).maxRuns(4)
                .cpuWaitProbe(() -> OptionalLong.of(waited.getAndAdd(1_000_000))).build().profile(pkg)
                .measurements().get(0);
        assertEquals(25.0, m.cpuWaitPercent().getAsDouble(), 1e-9, "1 ms of waiting over 4 runs of 1 ms");
        SegmentMeasurement unknown = SegmentProfiler.builder().engine(new FakeEngine(clock, s -> 1000, null, 1))
                .nanoClock(clock::read).fitCostModels(false).measureSegments(sha::equals)
                .cpuWaitProbe(CpuWaitProbe.UNAVAILABLE).build().profile(pkg).measurements().get(0);
        assertTrue(unknown.cpuWaitPercent().isEmpty());
    }

    /** An exact linear cost per segment: 1 ns per MAC plus 50 us per invoke. */
    private static Map<String, Long> exactLatencies() throws IOException {
        Map<String, Long> nanos = new HashMap<>();
        for (String sha : pkg.manifest().segments().keySet()) {
            nanos.put(sha, 50_000 + SegmentFeatures.of(ModelGraph.read(pkg.segmentPath(sha))).totalMacs());
        }
        return nanos;
    }

    @Test
    void aSegmentSlowedByContentionIsMeasuredAgainAndTheFasterMeasurementKept() throws IOException {
        Map<String, Long> latency = exactLatencies();
        SplitPoint middle = pkg.variants().get(0).splits().get(10);
        String victim = middle.headSegment();
        FakeEngine.Clock clock = new FakeEngine.Clock();
        FakeEngine engine = new FakeEngine(clock, latency::get, victim, 3.0);
        ProfilingReport report = SegmentProfiler.builder().engine(engine).nanoClock(clock::read).minRuns(3).maxRuns(3)
                .build().profile(pkg);
        assertEquals(1, report.remeasured().size(), report.remeasured().toString());
        ProfilingReport.Remeasurement r = report.remeasured().get(0);
        assertEquals(victim, r.segmentSha256());
        assertTrue(r.firstMedianMillis() > 2.5 * r.secondMedianMillis());
        assertEquals(latency.get(victim) / 1e6, report.measurement(victim, 1).orElseThrow().medianMillis(), 1e-5);
        assertEquals(2, engine.loads(victim));
        assertEquals(pkg.manifest().segments().size(), report.measurements().size(), "still one entry per segment");
    }

    @Test
    void anExactlyLinearDeviceGivesACostModelWithoutHeldOutError() throws IOException {
        Map<String, Long> latency = exactLatencies();
        FakeEngine.Clock clock = new FakeEngine.Clock();
        ProfilingReport report = SegmentProfiler.builder().engine(new FakeEngine(clock, latency::get, null, 1))
                .nanoClock(clock::read).minRuns(3).maxRuns(3).build().profile(pkg);
        CostModelFit fit = report.costModel(1).orElseThrow();
        assertTrue(fit.heldOut().orElseThrow().medianAbsolutePercentError() < 0.1,
                "held-out error " + fit.heldOut().get().medianAbsolutePercentError());
        assertEquals(List.of(), report.remeasured(), "nothing to re-measure");
    }

    @Test
    void onlyTheSegmentsTheFilterAcceptsAreMeasuredButAllAreFeatured() throws IOException {
        String head = pkg.variants().get(0).fullLocal().headSegment();
        ProfilingReport report = quick().fitCostModels(false).measureSegments(head::equals).build().profile(pkg);
        assertEquals(1, report.measurements().size());
        assertEquals(pkg.manifest().segments().keySet(), report.features().keySet());
        assertTrue(report.costModels().isEmpty());
    }

    @Test
    void aSegmentTheEngineRefusesIsNamedWithASplitPointThatUsesIt() throws IOException {
        InferenceEngine broken = mock(InferenceEngine.class);
        when(broken.load(any(Path.class), any())).thenThrow(new ModelLoadException("x.tflite", "unsupported operator"));
        SplitPoint first = pkg.variants().get(0).splits().get(0);
        IOException e = assertThrows(IOException.class, () -> quick().engine(broken).build().profile(pkg));
        assertEquals("segment " + first.tailSegment() + " (tail of w0.25/s000): x.tflite: unsupported operator",
                e.getMessage());
    }

    @Test
    void builderRejectsWhatTheEngineCannotRunAndImpossibleRunCounts() {
        assertEquals("delegate: the TensorFlow Lite engine runs none or xnnpack, was gpu",
                assertThrows(IllegalArgumentException.class, () -> SegmentProfiler.builder().delegate(Delegate.GPU))
                        .getMessage());
        assertEquals("threads: 2 is listed twice in [1, 2, 2]", assertThrows(IllegalArgumentException.class,
                () -> SegmentProfiler.builder().threads(List.of(1, 2, 2))).getMessage());
        assertEquals("maxRuns: must be >= minRuns 10, was 5", assertThrows(IllegalArgumentException.class,
                () -> SegmentProfiler.builder().minRuns(10).maxRuns(5).build()).getMessage());
        assertFalse(SegmentProfiler.builder().build().threads().isEmpty());
    }
}
