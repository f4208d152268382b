package io.edgesplit.profile.profiler;

import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.costmodel.SegmentFeatures;
import io.edgesplit.profile.internal.Backports;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of the {@link SegmentProfiler} produced: a measurement per distinct segment and
 * thread count, the features of every segment of the package, and a cost model per thread count.
 * {@link #applyTo(DeviceProfile)} records it in a profile. Immutable.
 */
public final class ProfilingReport {

    private final String packageFamily;
    private final List<Integer> threads;
    private final Delegate delegate;
    private final List<SegmentMeasurement> measurements;
    private final List<Remeasurement> remeasured;
    private final Map<String, SegmentFeatures> features;
    private final List<CostModelFit> costModels;
    private final long elapsedNanos;

    ProfilingReport(String packageFamily, List<Integer> threads, Delegate delegate, List<SegmentMeasurement> measurements,
            List<Remeasurement> remeasured, Map<String, SegmentFeatures> features, List<CostModelFit> costModels,
            long elapsedNanos) {
        this.packageFamily = Objects.requireNonNull(packageFamily, "packageFamily");
        this.threads = Backports.listCopy(threads);
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.measurements = Backports.listCopy(measurements);
        this.remeasured = Backports.listCopy(remeasured);
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        this.costModels = Backports.listCopy(costModels);
        this.elapsedNanos = elapsedNanos;
    }

    /** The profiled package's family name. */
    public String packageFamily() {
        return packageFamily;
    }

    /** The thread counts measured, in order. */
    public List<Integer> threads() {
        return threads;
    }

    /** The delegate measured. */
    public Delegate delegate() {
        return delegate;
    }

    /** Every measurement, by thread count, then in the package's segment order. */
    public List<SegmentMeasurement> measurements() {
        return measurements;
    }

    /**
     * A segment measured twice because the first fit missed it (see {@link SegmentProfiler}); the
     * faster median is the one kept.
     *
     * @param segmentSha256 the segment
     * @param threads the thread count
     * @param firstMedianMillis the first measurement's median
     * @param secondMedianMillis the second's
     */
    public record Remeasurement(String segmentSha256, int threads, double firstMedianMillis,
            double secondMedianMillis) {
    }

    /** Segments measured a second time, in the order they were. */
    public List<Remeasurement> remeasured() {
        return remeasured;
    }

    /** The measurement of one segment at one thread count, if it was measured. */
    public Optional<SegmentMeasurement> measurement(String segmentSha256, int threadCount) {
        for (SegmentMeasurement m : measurements) {
            if (m.threads() == threadCount && m.segmentSha256().equals(segmentSha256)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Features of every segment of the package (measured or not), by sha256. */
    public Map<String, SegmentFeatures> features() {
        return features;
    }

    /** The cost model fitted for each thread count, in {@link #threads()} order. */
    public List<CostModelFit> costModels() {
        return costModels;
    }

    /** The cost model of one thread count, if one was fitted. */
    public Optional<CostModelFit> costModel(int threadCount) {
        return costModels.stream().filter(c -> c.coefficients().threads() == threadCount).findFirst();
    }

    /** Wall time of the whole run, in nanoseconds of the profiler's clock. */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /**
     * {@code base} with every measurement and cost model of this report added, replacing entries of
     * the same segment, thread count and delegate; everything else of {@code base} is kept.
     */
    public DeviceProfile applyTo(DeviceProfile base) {
        DeviceProfile.Builder b = base.toBuilder();
        for (SegmentMeasurement m : measurements) {
            b.putSegmentLatency(m.toSegmentLatency());
        }
        for (CostModelFit c : costModels) {
            b.putCostModel(c.coefficients());
        }
        return b.build();
    }
}
