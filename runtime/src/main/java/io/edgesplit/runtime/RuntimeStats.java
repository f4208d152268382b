package io.edgesplit.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.common.Percentiles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregates of a runtime's inferences for telemetry: counts (local, remote, fallbacks, deadline
 * misses), latency percentiles over the most recent {@link #WINDOW} inferences, bytes, energy, the
 * plan mix and width switches. Thread-safe.
 */
public final class RuntimeStats {

    /** Latency percentiles cover this many most recent inferences. */
    public static final int WINDOW = 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long[] latencies = new long[WINDOW];
    private int latencyCount;
    private int latencyNext;
    private long inferences;
    private long local;
    private long remote;
    private long fallbacks;
    private long deadlineMisses;
    private long bytesSent;
    private long bytesReceived;
    private double energyMillijoules;
    private long widthSwitches;
    private String lastVariant;
    private final Map<String, Long> planMix = new LinkedHashMap<>();

    synchronized void record(InferenceResult r, double deadlineMillis) {
        inferences++;
        if (r.fellBack()) {
            fallbacks++;
        }
        if (r.ranLocally()) {
            local++;
        } else {
            remote++;
        }
        if (r.totalNanos() / 1e6 > deadlineMillis) {
            deadlineMisses++;
        }
        latencies[latencyNext] = r.totalNanos();
        latencyNext = (latencyNext + 1) % WINDOW;
        latencyCount = Math.min(latencyCount + 1, WINDOW);
        bytesSent += r.bytesSent();
        bytesReceived += r.bytesReceived();
        if (!Double.isNaN(r.energyMillijoules())) {
            energyMillijoules += r.energyMillijoules();
        }
        String variant = r.plan().variantId();
        if (lastVariant != null && !lastVariant.equals(variant)) {
            widthSwitches++;
        }
        lastVariant = variant;
        planMix.merge(r.plan().describe(), 1L, Long::sum);
    }

    public synchronized long inferences() {
        return inferences;
    }

    public synchronized long fallbacks() {
        return fallbacks;
    }

    public synchronized long remote() {
        return remote;
    }

    public synchronized long local() {
        return local;
    }

    public synchronized long deadlineMisses() {
        return deadlineMisses;
    }

    public synchronized long widthSwitches() {
        return widthSwitches;
    }

    /**
     * Latency percentile {@code p} (0..100, {@link Percentiles nearest rank}) over the recent window,
     * milliseconds; NaN before any inference.
     *
     * @throws IllegalArgumentException when {@code p} is not in [0, 100]
     */
    public synchronized double latencyPercentileMillis(double p) {
        double[] millis = new double[latencyCount];
        for (int i = 0; i < latencyCount; i++) {
            millis[i] = latencies[i] / 1e6;
        }
        Arrays.sort(millis);
        return Percentiles.ofSorted(millis, p);
    }

    /** Everything as JSON, the body of TELEMETRY messages. */
    public synchronized ObjectNode toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("inferences", inferences);
        n.put("local", local);
        n.put("remote", remote);
        n.put("fallbacks", fallbacks);
        n.put("deadlineMisses", deadlineMisses);
        n.put("latencyP50Ms", round(latencyPercentileMillis(50)));
        n.put("latencyP95Ms", round(latencyPercentileMillis(95)));
        n.put("bytesSent", bytesSent);
        n.put("bytesReceived", bytesReceived);
        n.put("energyMj", round(energyMillijoules));
        n.put("widthSwitches", widthSwitches);
        ObjectNode mix = n.putObject("planMix");
        planMix.forEach(mix::put);
        return n;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? -1 : Math.round(v * 1000) / 1000.0;
    }
}
