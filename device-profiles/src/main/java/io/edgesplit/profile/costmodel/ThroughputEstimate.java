package io.edgesplit.profile.costmodel;

import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CpuCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A device's compute throughput guessed from its {@code compute} section when nothing was measured
 * on it: the sum of the top frequencies of the cores the inference threads run on (the fastest
 * cores first, as schedulers place busy threads on big cores), times
 * {@link #ASSUMED_MACS_PER_CORE_CYCLE}.
 *
 * <p><b>Weakness.</b> This is cores x frequency and nothing else. It ignores the
 * microarchitecture (a Cortex-A76 does several times the work of a Cortex-A55 per cycle, a server
 * core with AVX-512 more again), SIMD width and the int8 dot-product instructions, caches and memory
 * bandwidth (which bound depthwise convolutions and small segments), imperfect scaling over threads,
 * thermal throttling, and delegates (a GPU's rate has nothing to do with its CPU cores). Use it only
 * to rank devices roughly or when no measurement exists; a throughput measured on the device (a
 * {@code costModels} entry, even a throughput-only one) always wins. When both devices of a scaling
 * have top frequencies, only their ratio matters and the assumed MACs per cycle cancel out.
 * Stateless.
 */
public final class ThroughputEstimate {

    /**
     * MACs one core completes per cycle, assumed: about what this project measured for MobileNetV2
     * uint8 on TensorFlow Lite's built-in kernels on a 2.45 GHz x86-64 core (2.6 GMAC/s on one
     * thread). Matters only when the other side of a scaling has no frequency to compare with.
     */
    public static final double ASSUMED_MACS_PER_CORE_CYCLE = 1.0;

    private ThroughputEstimate() {
    }

    /**
     * Sum of the top frequencies, in hertz, of the {@code threads} fastest cores (all cores when
     * {@code threads} exceeds them); empty when one of those cores has no known top frequency.
     */
    public static OptionalDouble nominalCoreHertz(ComputeSpec compute, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, was " + threads);
        }
        List<CpuCluster> clusters = new ArrayList<>(compute.cpus());
        // fastest first; clusters without a known frequency last, so they are only used when needed
        clusters.sort((x, y) -> Long.compare(y.maxFrequencyHz().orElse(0), x.maxFrequencyHz().orElse(0)));
        double hertz = 0;
        int left = threads;
        for (CpuCluster c : clusters) {
            if (left == 0) {
                break;
            }
            int used = Math.min(left, c.cores());
            if (!c.maxFrequencyHz().isPresent()) {
                return OptionalDouble.empty();
            }
            hertz += used * (double) c.maxFrequencyHz().getAsLong();
            left -= used;
        }
        return OptionalDouble.of(hertz);
    }

    /** {@link #nominalCoreHertz} times {@link #ASSUMED_MACS_PER_CORE_CYCLE}, in MACs per second. */
    public static OptionalDouble nominalMacsPerSecond(ComputeSpec compute, int threads) {
        OptionalDouble hz = nominalCoreHertz(compute, threads);
        return hz.isPresent() ? OptionalDouble.of(hz.getAsDouble() * ASSUMED_MACS_PER_CORE_CYCLE) : hz;
    }
}
