package io.edgesplit.router.policy;

/**
 * What one request actually cost when it ran one plan: filled by the simulator's
 * {@link PolicyContext#realize}. Mutable and reusable so that evaluating many plans allocates nothing.
 */
public final class RealizedCost {

    private double latencyMillis;
    private double energyMillijoules;
    private long uplinkBytes;
    private long downlinkBytes;
    private double uplinkMillis;
    private double downlinkMillis;

    /**
     * Sets every figure.
     *
     * @param uplinkBytes bytes sent, retransmissions included
     * @param uplinkMillis from the first byte sent to the last acknowledged, retransmission waits included
     * @return this
     */
    public RealizedCost set(double latencyMillis, double energyMillijoules, long uplinkBytes, double uplinkMillis,
            long downlinkBytes, double downlinkMillis) {
        this.latencyMillis = latencyMillis;
        this.energyMillijoules = energyMillijoules;
        this.uplinkBytes = uplinkBytes;
        this.uplinkMillis = uplinkMillis;
        this.downlinkBytes = downlinkBytes;
        this.downlinkMillis = downlinkMillis;
        return this;
    }

    /** From the request's start to its result on the device. */
    public double latencyMillis() {
        return latencyMillis;
    }

    /** Device energy (compute and radio); NaN when the profiles lack power figures. */
    public double energyMillijoules() {
        return energyMillijoules;
    }

    public long uplinkBytes() {
        return uplinkBytes;
    }

    public long downlinkBytes() {
        return downlinkBytes;
    }

    /** Bytes sent plus bytes received, retransmissions included. */
    public long bytes() {
        return uplinkBytes + downlinkBytes;
    }

    public double uplinkMillis() {
        return uplinkMillis;
    }

    public double downlinkMillis() {
        return downlinkMillis;
    }
}
