package io.edgesplit.profile.costmodel;

import io.edgesplit.graph.ModelGraph;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.SegmentLatency;
import io.edgesplit.profile.Units;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The median latency of a segment on a device, for the router's cost table: measured when the
 * device's profile has a measurement of that segment, else predicted by the device's own cost model,
 * else predicted by a reference device's cost model and scaled by the two devices' throughputs
 * ({@code latency_device = latency_reference * macsPerSecond_reference / macsPerSecond_device}).
 *
 * <p>The device's throughput for that scaling is its measured one (a {@code costModels} entry of
 * the same threads and delegate, which may hold only a throughput); failing that, it is estimated
 * from the {@code compute} sections ({@link ThroughputEstimate}): relative to the reference's cores
 * and frequencies when both are known, else absolutely. Every {@link Prediction} says which of
 * these it used. Immutable and thread-safe.
 *
 * <pre>{@code
 * LatencyPredictor predictor = LatencyPredictor.forDevice(pi4).withReference(profiledLaptop);
 * double headMs = predictor.medianMillis(split.headSegment(), headGraph, 4, Delegate.XNNPACK);
 * }</pre>
 */
public final class LatencyPredictor {

    /** Where a prediction came from, most trustworthy first. */
    public enum Source {
        /** The device's profile holds a measurement of this segment. */
        MEASURED,
        /** The device's own cost model predicted it. */
        COST_MODEL,
        /** A reference device's cost model predicted it, scaled by throughputs. */
        SCALED_FROM_REFERENCE
    }

    /**
     * A predicted median latency.
     *
     * @param medianMillis the median latency of one invoke, in milliseconds
     * @param source how it was obtained
     * @param explanation one line saying from what, for logs and reports
     */
    public record Prediction(double medianMillis, Source source, String explanation) {
    }

    private final DeviceProfile device;
    private final DeviceProfile reference;

    private LatencyPredictor(DeviceProfile device, DeviceProfile reference) {
        this.device = device;
        this.reference = reference;
    }

    /** Predicts for {@code device} from its own measurements and cost models only. */
    public static LatencyPredictor forDevice(DeviceProfile device) {
        return new LatencyPredictor(Objects.requireNonNull(device, "device"), null);
    }

    /** The same predictor falling back on {@code reference}'s cost models, scaled by throughput. */
    public LatencyPredictor withReference(DeviceProfile reference) {
        return new LatencyPredictor(device, Objects.requireNonNull(reference, "reference"));
    }

    /** The device predicted for. */
    public DeviceProfile device() {
        return device;
    }

    /** Predicts from the segment's graph (its features are computed from it). */
    public Optional<Prediction> predict(String segmentSha256, ModelGraph segment, int threads, Delegate delegate) {
        return predict(segmentSha256, SegmentFeatures.of(segment), threads, delegate);
    }

    /**
     * Predicts one segment.
     *
     * @param segmentSha256 the segment's sha256, looked up among the device's measurements
     * @param features its operators, for the cost models
     * @return empty when the device has neither a measurement nor a cost model for these threads and
     *     delegate and no reference can be scaled (no reference, no reference cost model, or no
     *     throughput for the device)
     */
    public Optional<Prediction> predict(String segmentSha256, SegmentFeatures features, int threads, Delegate delegate) {
        Objects.requireNonNull(segmentSha256, "segmentSha256");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(delegate, "delegate");
        Optional<SegmentLatency> measured = device.segmentLatency(segmentSha256, threads, delegate);
        if (measured.isPresent()) {
            return Optional.of(new Prediction(measured.get().medianMillis(), Source.MEASURED, String.format(Locale.ROOT,
                    "measured on %s over %d runs", device.id(), measured.get().runs())));
        }
        Optional<CostModel> own = device.costModel(threads, delegate);
        if (own.isPresent() && own.get().hasOperatorCosts()) {
            return Optional.of(new Prediction(OperatorCostModel.of(own.get()).predictMillis(features),
                    Source.COST_MODEL, "cost model of " + device.id() + key(threads, delegate)));
        }
        if (reference == null) {
            return Optional.empty();
        }
        Optional<CostModel> theirs = reference.costModel(threads, delegate);
        if (!theirs.isPresent() || !theirs.get().hasOperatorCosts()) {
            return Optional.empty();
        }
        double referenceMillis = OperatorCostModel.of(theirs.get()).predictMillis(features);
        double referenceRate = theirs.get().macsPerSecond();
        String how;
        double deviceRate;
        if (own.isPresent()) {
            deviceRate = own.get().macsPerSecond();
            how = "measured";
        } else {
            OptionalDouble deviceHz = ThroughputEstimate.nominalCoreHertz(device.compute(), threads);
            OptionalDouble referenceHz = ThroughputEstimate.nominalCoreHertz(reference.compute(), threads);
            if (!deviceHz.isPresent()) {
                return Optional.empty();
            }
            if (referenceHz.isPresent()) {
                deviceRate = referenceRate * deviceHz.getAsDouble() / referenceHz.getAsDouble();
                how = String.format(Locale.ROOT, "estimated from cores x frequency, %.3g GHz vs %.3g GHz",
                        deviceHz.getAsDouble() / 1e9, referenceHz.getAsDouble() / 1e9);
            } else {
                deviceRate = deviceHz.getAsDouble() * ThroughputEstimate.ASSUMED_MACS_PER_CORE_CYCLE;
                how = String.format(Locale.ROOT, "estimated as %.3g GHz of cores x %s MAC per cycle",
                        deviceHz.getAsDouble() / 1e9, ThroughputEstimate.ASSUMED_MACS_PER_CORE_CYCLE);
            }
        }
        return Optional.of(new Prediction(referenceMillis * referenceRate / deviceRate, Source.SCALED_FROM_REFERENCE,
                "cost model of " + reference.id() + key(threads, delegate) + " scaled by throughput "
                        + Units.formatMacsPerSecond(round(referenceRate)) + " / "
                        + Units.formatMacsPerSecond(round(deviceRate)) + " (" + device.id() + ": " + how + ")"));
    }

    /**
     * Like {@link #predict(String, SegmentFeatures, int, Delegate)}, for callers that need a number.
     *
     * @throws IllegalStateException naming the device, threads and delegate when nothing can predict
     */
    public double medianMillis(String segmentSha256, SegmentFeatures features, int threads, Delegate delegate) {
        return predict(segmentSha256, features, threads, delegate).orElseThrow(() -> new IllegalStateException(
                "no latency for segment " + segmentSha256 + " on " + device.id() + key(threads, delegate)
                        + ": the profile has no measurement and no cost model for them"
                        + (reference == null ? ", and no reference profile was given"
                                : ", and " + reference.id() + " cannot be scaled to it (no cost model with operator "
                                        + "costs there, or no throughput or CPU frequencies for " + device.id() + ")")))
                .medianMillis();
    }

    /** Like {@link #medianMillis(String, SegmentFeatures, int, Delegate)}, from the segment's graph. */
    public double medianMillis(String segmentSha256, ModelGraph segment, int threads, Delegate delegate) {
        return medianMillis(segmentSha256, SegmentFeatures.of(segment), threads, delegate);
    }

    private static String key(int threads, Delegate delegate) {
        return " (" + threads + (threads == 1 ? " thread, " : " threads, ") + delegate.yamlName() + ")";
    }

    private static double round(double v) {
        return OperatorCostModel.round(v);
    }
}
