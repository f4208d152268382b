package io.edgesplit.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.SegmentLatency;
import org.junit.jupiter.api.Test;

class ProfileLatencyModelTest {

    private final ProfileLatencyModel model = new ProfileLatencyModel();
    private final DeviceProfile pi = RouterFixtures.profile("raspberry-pi-4");
    private final String sha = "a".repeat(64);

    @Test
    void aMeasurementOfTheSegmentWins() {
        DeviceProfile measured = pi.toBuilder().putSegmentLatency(new SegmentLatency(sha, 1, Delegate.XNNPACK, 12.5,
                14.0, 20)).putCostModel(CostModel.builder(1, Delegate.XNNPACK).macsPerSecond(1e9).build()).build();
        assertEquals(12.5, model.medianMillis(measured, sha, 1_000_000_000L, 1));
    }

    @Test
    void withoutAMeasurementTheMeasuredThroughputOfTheNearestThreadCountIsUsed() {
        DeviceProfile profiled = pi.toBuilder()
                .putCostModel(CostModel.builder(1, Delegate.XNNPACK).macsPerSecond(2e9).perInvokeNanos(500_000).build())
                .putCostModel(CostModel.builder(4, Delegate.XNNPACK).macsPerSecond(6e9).perInvokeNanos(500_000).build())
                .build();
        assertEquals(0.5 + 100.0, model.medianMillis(profiled, sha, 200_000_000L, 1), 1e-9);
        assertEquals(0.5 + 200_000_000L / 6e9 * 1000, model.medianMillis(profiled, sha, 200_000_000L, 3), 1e-9);
    }

    @Test
    void anUnprofiledMachineFallsBackToTheComputeSectionEstimate() {
        double expected = ProfileLatencyModel.INVOKE_OVERHEAD_MILLIS
                + 1e9 / ProfileLatencyModel.estimatedMacsPerSecond(pi, 4) * 1000;
        assertEquals(expected, model.medianMillis(pi, sha, 1_000_000_000L, 4), 1e-9);
    }
}
