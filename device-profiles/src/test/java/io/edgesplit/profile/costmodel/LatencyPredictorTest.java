package io.edgesplit.profile.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.OperatorCost;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.SegmentLatency;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LatencyPredictorTest {

    private static final String MEASURED = "a".repeat(64);
    private static final String OTHER = "b".repeat(64);
    /** 10 M MACs of CONV_2D: 4 ms at 0.4 ns/MAC, plus 1 ms per invoke = 5 ms on the reference. */
    private static final SegmentFeatures CONV = SegmentFeatures.of(Map.of("CONV_2D", new OperatorFeatures(1, 10_000_000, 0)));

    private static CostModel fitted(int threads, double macsPerSecond) {
        return CostModel.builder(threads, Delegate.XNNPACK).macsPerSecond(macsPerSecond).perInvokeNanos(1_000_000)
                .operator("CONV_2D", new OperatorCost(0.4, 0, 0)).build();
    }

    private static DeviceProfile device(String id, int cores, long hz) {
        CpuCluster cpu = hz > 0 ? CpuCluster.of("cpu", cores, hz)
                : new CpuCluster("cpu", cores, OptionalLong.empty(), OptionalLong.empty());
        return DeviceProfile.builder(ProfileKind.DEVICE, id).compute(ComputeSpec.builder().addCpu(cpu).build())
                .memoryBytes(1L << 30).build();
    }

    private static final DeviceProfile REFERENCE = device("laptop", 4, 2_000_000_000L).toBuilder()
            .putCostModel(fitted(2, 2.5e9)).build();

    @Test
    void aMeasurementWinsOverEveryModel() {
        DeviceProfile d = REFERENCE.toBuilder()
                .putSegmentLatency(new SegmentLatency(MEASURED, 2, Delegate.XNNPACK, 7.5, 8, 20)).build();
        LatencyPredictor.Prediction p = LatencyPredictor.forDevice(d).predict(MEASURED, CONV, 2, Delegate.XNNPACK)
                .orElseThrow();
        assertEquals(7.5, p.medianMillis());
        assertEquals(LatencyPredictor.Source.MEASURED, p.source());
        assertEquals("measured on laptop over 20 runs", p.explanation());
    }

    @Test
    void withoutAMeasurementTheDevicesOwnCostModelPredicts() {
        LatencyPredictor.Prediction p = LatencyPredictor.forDevice(REFERENCE).predict(OTHER, CONV, 2, Delegate.XNNPACK)
                .orElseThrow();
        assertEquals(5.0, p.medianMillis(), 1e-12);
        assertEquals(LatencyPredictor.Source.COST_MODEL, p.source());
        assertEquals("cost model of laptop (2 threads, xnnpack)", p.explanation());
    }

    @Test
    void anotherDeviceIsScaledByItsMeasuredThroughput() {
        DeviceProfile server = device("edge", 16, 3_000_000_000L).toBuilder()
                .putCostModel(CostModel.builder(2, Delegate.XNNPACK).macsPerSecond(10e9).build()).build();
        LatencyPredictor.Prediction p = LatencyPredictor.forDevice(server).withReference(REFERENCE)
                .predict(OTHER, CONV, 2, Delegate.XNNPACK).orElseThrow();
        assertEquals(5.0 * 2.5 / 10, p.medianMillis(), 1e-12);
        assertEquals(LatencyPredictor.Source.SCALED_FROM_REFERENCE, p.source());
        assertEquals("cost model of laptop (2 threads, xnnpack) scaled by throughput 2.5GMAC/s / 10GMAC/s "
                + "(edge: measured)", p.explanation());
    }

    @Test
    void withoutAMeasuredThroughputCoresTimesFrequencyAreComparedWithTheReference() {
        // 2 threads: the reference's two 2 GHz cores against the Pi's two 1.5 GHz cores
        DeviceProfile pi = device("pi", 4, 1_500_000_000L);
        double ms = LatencyPredictor.forDevice(pi).withReference(REFERENCE).medianMillis(OTHER, CONV, 2, Delegate.XNNPACK);
        assertEquals(5.0 * 4.0 / 3.0, ms, 1e-9);
    }

    @Test
    void referenceWithoutFrequenciesFallsBackToTheAssumedMacsPerCycle() {
        DeviceProfile vm = device("vm", 2, 0).toBuilder().putCostModel(fitted(1, 2.5e9)).build();
        DeviceProfile pi = device("pi", 4, 1_500_000_000L);
        LatencyPredictor.Prediction p = LatencyPredictor.forDevice(pi).withReference(vm)
                .predict(OTHER, CONV, 1, Delegate.XNNPACK).orElseThrow();
        assertEquals(5.0 * 2.5e9 / (1.5e9 * ThroughputEstimate.ASSUMED_MACS_PER_CORE_CYCLE), p.medianMillis(), 1e-9);
        assertTrue(p.explanation().endsWith("(pi: estimated as 1.50 GHz of cores x 1.0 MAC per cycle)"), p.explanation());
    }

    @Test
    void nothingToPredictFromIsEmptyAndTheNumberFormSaysWhy() {
        DeviceProfile bare = device("bare", 4, 0);
        assertTrue(LatencyPredictor.forDevice(bare).predict(OTHER, CONV, 2, Delegate.XNNPACK).isEmpty());
        assertTrue(LatencyPredictor.forDevice(bare).withReference(REFERENCE).predict(OTHER, CONV, 2, Delegate.XNNPACK)
                .isEmpty(), "no frequency on the device: no throughput to scale to");
        assertTrue(LatencyPredictor.forDevice(REFERENCE).predict(OTHER, CONV, 1, Delegate.XNNPACK).isEmpty(),
                "no model for one thread");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LatencyPredictor.forDevice(bare).medianMillis(OTHER, CONV, 2, Delegate.XNNPACK));
        assertEquals("no latency for segment " + OTHER + " on bare (2 threads, xnnpack): the profile has no measurement "
                + "and no cost model for them, and no reference profile was given", e.getMessage());
    }

    @Test
    void nominalHertzTakesTheFastestCoresFirst() {
        ComputeSpec bigLittle = ComputeSpec.builder().addCpu(CpuCluster.of("little", 4, 1_800_000_000L))
                .addCpu(CpuCluster.of("big", 2, 2_800_000_000L)).build();
        assertEquals(2.8e9, ThroughputEstimate.nominalCoreHertz(bigLittle, 1).getAsDouble());
        assertEquals(2 * 2.8e9 + 1.8e9, ThroughputEstimate.nominalCoreHertz(bigLittle, 3).getAsDouble());
        assertEquals(2 * 2.8e9 + 4 * 1.8e9, ThroughputEstimate.nominalCoreHertz(bigLittle, 64).getAsDouble());
    }

    @Test
    void aCoreWithoutAKnownFrequencyMakesTheEstimateUnknown() {
        ComputeSpec partly = ComputeSpec.builder().addCpu(CpuCluster.of("big", 1, 2_000_000_000L))
                .addCpu(new CpuCluster("other", 2, OptionalLong.empty(), OptionalLong.empty())).build();
        assertEquals(2e9, ThroughputEstimate.nominalCoreHertz(partly, 1).getAsDouble());
        assertTrue(ThroughputEstimate.nominalCoreHertz(partly, 2).isEmpty());
    }
}
