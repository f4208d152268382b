package io.edgesplit.router.policy;

/**
 * What a device observes about one finished request: which plan ran, when, and how its transfers
 * went (the figures a runtime feeds its estimators with). Immutable.
 */
public final class CompletedRequest {

    private final int request;
    private final int entry;
    private final int target;
    private final double startMillis;
    private final double endMillis;
    private final long uplinkBytes;
    private final double uplinkMillis;
    private final long downlinkBytes;
    private final double downlinkMillis;
    private final double rttMillis;
    private final double queueMillis;

    public CompletedRequest(int request, int entry, int target, double startMillis, double endMillis, long uplinkBytes,
            double uplinkMillis, long downlinkBytes, double downlinkMillis, double rttMillis, double queueMillis) {
        this.request = request;
        this.entry = entry;
        this.target = target;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.uplinkBytes = uplinkBytes;
        this.uplinkMillis = uplinkMillis;
        this.downlinkBytes = downlinkBytes;
        this.downlinkMillis = downlinkMillis;
        this.rttMillis = rttMillis;
        this.queueMillis = queueMillis;
    }

    public int request() {
        return request;
    }

    /** The cost-table entry that ran. */
    public int entry() {
        return entry;
    }

    /** The target index of that entry (0: the device). */
    public int target() {
        return target;
    }

    public double startMillis() {
        return startMillis;
    }

    public double endMillis() {
        return endMillis;
    }

    public double latencyMillis() {
        return endMillis - startMillis;
    }

    /** Bytes sent, retransmissions included; 0 for local plans. */
    public long uplinkBytes() {
        return uplinkBytes;
    }

    public double uplinkMillis() {
        return uplinkMillis;
    }

    public long downlinkBytes() {
        return downlinkBytes;
    }

    public double downlinkMillis() {
        return downlinkMillis;
    }

    /** The round trip the request saw (NaN for local plans). */
    public double rttMillis() {
        return rttMillis;
    }

    /** How long the server says the request waited in its queue (NaN for local plans). */
    public double queueMillis() {
        return queueMillis;
    }
}
