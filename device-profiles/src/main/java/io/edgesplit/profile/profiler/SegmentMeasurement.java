package io.edgesplit.profile.profiler;

import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.SegmentLatency;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the profiler measured for one segment at one thread count, in the spirit of TensorFlow
 * Lite's {@code benchmark_model}: time to get ready, the first inference, the warm-up runs, the steady
 * runs, and memory.
 *
 * @param segmentSha256 the segment
 * @param threads threads the interpreter used
 * @param delegate {@link Delegate#XNNPACK} when TensorFlow Lite's XNNPACK delegate was applied to
 *     the operators it supports, else {@link Delegate#NONE}
 * @param macs multiply-accumulates of the segment
 * @param operators operators in the segment
 * @param initMillis load and verify the segment, build an interpreter, allocate tensors (the file
 *     was already read)
 * @param firstInferenceMillis the first invoke
 * @param warmupRuns invokes after the first and before the timed ones
 * @param warmupMeanMillis their mean, 0 when there were none
 * @param runs timed invokes
 * @param medianMillis median of the timed invokes
 * @param p95Millis 95th percentile (nearest rank) of the timed invokes
 * @param meanMillis mean of the timed invokes
 * @param minMillis fastest timed invoke
 * @param rssInitDeltaBytes resident memory after init minus before, when the platform says
 *     (may be negative when the runtime returned memory meanwhile)
 * @param rssOverallDeltaBytes resident memory after the last run minus before init, when the
 *     platform says
 * @param cpuWaitPercent how long this process's threads waited for a CPU during the timed runs, in
 *     percent of the runs' time (summed over threads, so it can exceed 100 with several threads),
 *     when the platform says: near 0 on a quiet machine, high when other work took the cores
 */
public record SegmentMeasurement(String segmentSha256, int threads, Delegate delegate, long macs, int operators,
        double initMillis, double firstInferenceMillis, int warmupRuns, double warmupMeanMillis, int runs,
        double medianMillis, double p95Millis, double meanMillis, double minMillis, OptionalLong rssInitDeltaBytes,
        OptionalLong rssOverallDeltaBytes, OptionalDouble cpuWaitPercent) {

    /** Checks the references. */
    public SegmentMeasurement {
        Objects.requireNonNull(segmentSha256, "segmentSha256");
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(rssInitDeltaBytes, "rssInitDeltaBytes");
        Objects.requireNonNull(rssOverallDeltaBytes, "rssOverallDeltaBytes");
        Objects.requireNonNull(cpuWaitPercent, "cpuWaitPercent");
    }

    /** The entry a profile stores for this measurement. */
    public SegmentLatency toSegmentLatency() {
        return new SegmentLatency(segmentSha256, threads, delegate, medianMillis, p95Millis, runs);
    }
}
