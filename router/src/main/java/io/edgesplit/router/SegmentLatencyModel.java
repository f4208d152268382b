package io.edgesplit.router;

import io.edgesplit.profile.DeviceProfile;

/** Predicts how long a segment takes on a machine: the measured value when there is one, else a model. */
public interface SegmentLatencyModel {

    /**
     * Median Invoke latency of a segment, in milliseconds.
     *
     * @param profile the machine that runs it
     * @param segmentSha256 the segment's identity (the key of measured latencies)
     * @param macs the segment's multiply-accumulates, for machines without a measurement
     * @param threads interpreter threads
     */
    double medianMillis(DeviceProfile profile, String segmentSha256, long macs, int threads);
}
