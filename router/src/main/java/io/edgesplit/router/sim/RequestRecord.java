package io.edgesplit.router.sim;

import io.edgesplit.router.Plan;

/** What happened to one simulated request under one policy. Immutable. */
public final class RequestRecord {

    private final int request;
    private final double startMillis;
    private final Plan plan;
    private final double predictedLatencyMillis;
    private final double latencyMillis;
    private final double energyMillijoules;
    private final long bytes;
    private final double accuracy;
    private final boolean deadlineMet;
    private final int violations;
    private final boolean switched;
    private final double uplinkBitsPerSecondAtStart;

    RequestRecord(int request, double startMillis, Plan plan, double predictedLatencyMillis, double latencyMillis,
            double energyMillijoules, long bytes, double accuracy, boolean deadlineMet, int violations, boolean switched,
            double uplinkBitsPerSecondAtStart) {
        this.request = request;
        this.startMillis = startMillis;
        this.plan = plan;
        this.predictedLatencyMillis = predictedLatencyMillis;
        this.latencyMillis = latencyMillis;
        this.energyMillijoules = energyMillijoules;
        this.bytes = bytes;
        this.accuracy = accuracy;
        this.deadlineMet = deadlineMet;
        this.violations = violations;
        this.switched = switched;
        this.uplinkBitsPerSecondAtStart = uplinkBitsPerSecondAtStart;
    }

    public int request() {
        return request;
    }

    public double startMillis() {
        return startMillis;
    }

    public Plan plan() {
        return plan;
    }

    /** What the policy expected when it chose. */
    public double predictedLatencyMillis() {
        return predictedLatencyMillis;
    }

    /** What the traces made of it. */
    public double latencyMillis() {
        return latencyMillis;
    }

    /** Device energy (compute and radio); NaN without power figures. */
    public double energyMillijoules() {
        return energyMillijoules;
    }

    /** Bytes sent and received, retransmissions included. */
    public long bytes() {
        return bytes;
    }

    /** Expected accuracy of the plan's variant; NaN when unknown. */
    public double accuracy() {
        return accuracy;
    }

    /** True when the latency was within the deadline (always, without one). */
    public boolean deadlineMet() {
        return deadlineMet;
    }

    /** Bit mask of the hard budgets the realized request broke ({@link io.edgesplit.router.Budget#bit()}). */
    public int violations() {
        return violations;
    }

    /** True when the plan differs from the previous request's. */
    public boolean switched() {
        return switched;
    }

    /** The uplink trace's rate when the request started. */
    public double uplinkBitsPerSecondAtStart() {
        return uplinkBitsPerSecondAtStart;
    }
}
