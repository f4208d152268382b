package io.edgesplit.router;

import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.GpuSpec;
import io.edgesplit.profile.SegmentLatency;

/**
 * Segment latencies from device profiles, best evidence first: the profiler's measurement of that
 * segment (same thread count preferred); else MACs at the throughput the profiler measured on that
 * machine (its cost model for the nearest thread count: {@code perInvoke + MACs / throughput});
 * else MACs divided by an estimated throughput of the profile's compute section plus a fixed
 * per-Invoke overhead.
 *
 * <p>The estimate is rough on purpose and stated here so nobody mistakes it for a measurement:
 * {@value #MACS_PER_CYCLE_PER_CORE} MACs per cycle per CPU core at the cluster's maximum
 * frequency over the threads used (between TensorFlow Lite's uint8 reference kernels, ~1, and
 * XNNPACK float, ~6, as measured on the development machine), or {@value #GPU_EFFICIENCY} of a
 * GPU's cores x frequency x 2 for servers with a GPU. Profile the machine (`edgesplit profile`) to
 * replace it with measured values.
 */
public final class ProfileLatencyModel implements SegmentLatencyModel {

    public static final double MACS_PER_CYCLE_PER_CORE = 2.0;
    public static final double GPU_EFFICIENCY = 0.1;
    /** Interpreter overhead of one Invoke, milliseconds. */
    public static final double INVOKE_OVERHEAD_MILLIS = 0.2;
    /** Used when a profile gives no CPU frequency. */
    public static final double DEFAULT_FREQUENCY_HZ = 1.5e9;

    @Override
    public double medianMillis(DeviceProfile profile, String segmentSha256, long macs, int threads) {
        SegmentLatency best = null;
        for (SegmentLatency s : profile.segmentLatencies()) {
            if (s.segmentSha256().equals(segmentSha256)) {
                if (best == null || Math.abs(s.threads() - threads) < Math.abs(best.threads() - threads)) {
                    best = s;
                }
            }
        }
        if (best != null) {
            return best.medianMillis();
        }
        io.edgesplit.profile.CostModel measured = null;
        for (io.edgesplit.profile.CostModel c : profile.costModels()) {
            if (measured == null || Math.abs(c.threads() - threads) < Math.abs(measured.threads() - threads)) {
                measured = c;
            }
        }
        if (measured != null && measured.macsPerSecond() > 0) {
            return measured.perInvokeNanos() / 1e6 + macs / measured.macsPerSecond() * 1000.0;
        }
        return INVOKE_OVERHEAD_MILLIS + macs / estimatedMacsPerSecond(profile, threads) * 1000.0;
    }

    /** The throughput estimate described in the class comment, in MACs per second. */
    public static double estimatedMacsPerSecond(DeviceProfile profile, int threads) {
        double gpu = 0;
        for (GpuSpec g : profile.compute().gpus()) {
            if (g.cores().isPresent() && g.maxFrequencyHz().isPresent()) {
                gpu = Math.max(gpu, g.cores().getAsInt() * (double) g.maxFrequencyHz().getAsLong() * 2 * GPU_EFFICIENCY);
            }
        }
        double cpu = 0;
        int remaining = Math.max(1, Math.min(threads, profile.compute().totalCores()));
        // Threads land on the fastest cores first.
        java.util.List<CpuCluster> clusters = new java.util.ArrayList<>(profile.compute().cpus());
        clusters.sort((a, b) -> Long.compare(b.maxFrequencyHz().orElse(0), a.maxFrequencyHz().orElse(0)));
        for (CpuCluster c : clusters) {
            int used = Math.min(remaining, c.cores());
            double hz = c.maxFrequencyHz().isPresent() ? c.maxFrequencyHz().getAsLong() : DEFAULT_FREQUENCY_HZ;
            cpu += used * hz * MACS_PER_CYCLE_PER_CORE;
            remaining -= used;
            if (remaining == 0) {
                break;
            }
        }
        return Math.max(cpu, gpu);
    }
}
