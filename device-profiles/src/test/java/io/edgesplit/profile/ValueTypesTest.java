package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Builders and records reject bad values with messages that name the field and the value. */
class ValueTypesTest {

    private static String fails(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void linkBandwidthMustBePositive() {
        assertEquals("uplinkBitsPerSecond: must be > 0, was -3.0",
                fails(() -> LinkProfile.builder("lte").uplinkBitsPerSecond(-3)));
        assertEquals("rttMillis: must be > 0, was NaN", fails(() -> LinkProfile.builder("lte").rttMillis(Double.NaN)));
    }

    @Test
    void computeRejectsMoreThreadsThanCoresAndDuplicateClusters() {
        assertEquals("threads: must be <= 4 (the total cores), was 5",
                fails(() -> ComputeSpec.builder().addCpu(CpuCluster.of("a", 4, 1)).threads(5).build()));
        assertEquals("cpus: duplicate cluster name 'a'", fails(() -> ComputeSpec.builder()
                .addCpu(CpuCluster.of("a", 1, 1)).addCpu(CpuCluster.of("a", 1, 1)).build()));
    }

    @Test
    void computeDefaultsToAllCoresOnXnnpack() {
        ComputeSpec c = ComputeSpec.builder().addCpu(CpuCluster.of("a", 4, 1)).addCpu(CpuCluster.of("b", 2, 1)).build();
        assertEquals(6, c.threads());
        assertEquals(Delegate.XNNPACK, c.delegate());
    }

    @Test
    void clusterMinimumFrequencyCannotExceedItsMaximum() {
        assertEquals("minFrequencyHz: must be <= maxFrequencyHz 100, was 200",
                fails(() -> new CpuCluster("a", 1, OptionalLong.of(100), OptionalLong.of(200))));
    }

    @Test
    void powerModelNeedsActiveAtLeastIdle() {
        assertEquals("activeWatts: must be >= idleWatts 3.0, was 2.0",
                fails(() -> PowerModel.builder().idleWatts(3).activeWatts(2).build()));
    }

    @Test
    void profileRejectsPerCorePowerForAClusterItDoesNotHave() {
        assertEquals("power.perCoreWatts: no CPU cluster named 'big'", fails(() -> DeviceProfile
                .builder(ProfileKind.DEVICE, "x").compute(ComputeSpec.builder().addCpu(CpuCluster.of("a", 1, 1)).build())
                .memoryBytes(1).power(PowerModel.builder().idleWatts(1).activeWatts(2).perCoreWatts("big", 1).build())
                .build()));
    }

    @Test
    void profileIdFollowsTheCatalogIdRules() {
        assertEquals("id: must be 1 to 64 lower-case letters, digits and inner dashes, was 'My Phone'",
                fails(() -> DeviceProfile.builder(ProfileKind.DEVICE, "My Phone")));
    }

    @Test
    void segmentLatencyChecksDigestAndPercentiles() {
        assertEquals("segmentSha256: must be 64 lower-case hex digits, was 'ABC'",
                fails(() -> new SegmentLatency("ABC", 1, Delegate.NONE, 1, 1, 1)));
        assertEquals("p95Millis: must be >= medianMillis 2.0, was 1.0",
                fails(() -> new SegmentLatency("a".repeat(64), 1, Delegate.NONE, 2, 1, 1)));
    }

    @Test
    void thermalCriticalMustBeAboveThrottle() {
        assertEquals("criticalCelsius: must be > throttleCelsius 85.0, was 80.0", fails(() -> ThermalLimits.of(85, 80)));
        assertEquals("thermal limits: give throttleCelsius, criticalCelsius or both",
                fails(() -> new ThermalLimits(OptionalDouble.empty(), OptionalDouble.empty())));
    }
}
