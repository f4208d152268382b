package io.edgesplit.router;

import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.LinkProfile;
import io.edgesplit.profile.RadioPowerModel;
import java.util.List;

/**
 * Every plan the planner can choose from, with the costs that do not depend on the network, as
 * parallel primitive arrays so that planning allocates nothing: per entry the target, head latency
 * on the device, tail latency on the target, codec time, bytes each way, device compute energy,
 * accuracy, head depth. Per target: nominal link figures and the radio power model of the device
 * link that reaches it. Built by {@link CostTableBuilder}; immutable.
 */
public final class CostTable {

    final Plan[] plans;
    final int[] target;
    final double[] headMillis;
    final double[] tailMillis;
    final double[] codecMillis;
    final long[] upBytes;
    final long[] downBytes;
    final double[] computeMillijoules;
    final double[] accuracy;
    final int[] headDepth;
    final boolean[] sendsRawInput;
    /** Per entry: latency of the same variant run wholly on the device (the fallback if the target fails). */
    final double[] fallbackMillis;
    /**
     * Per entry: time the executor keeps back from the deadline for the local fallback of the entry's
     * variant; a remote entry's offload is cut at {@code deadline - reserve}, so the planner holds it
     * to that cut-off.
     */
    final double[] reserveMillis;

    private final List<Target> targets;
    final double[] nominalUp;
    final double[] nominalDown;
    final double[] nominalRtt;
    final RadioPowerModel[] radio;
    final double deviceActiveWatts;

    CostTable(List<Target> targets, Plan[] plans, int[] target, double[] headMillis, double[] tailMillis,
            double[] codecMillis, long[] upBytes, long[] downBytes, double[] computeMillijoules, double[] accuracy,
            int[] headDepth, boolean[] sendsRawInput, double[] fallbackMillis, double[] reserveMillis,
            double deviceActiveWatts) {
        this.targets = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(targets));
        this.plans = plans;
        this.target = target;
        this.headMillis = headMillis;
        this.tailMillis = tailMillis;
        this.codecMillis = codecMillis;
        this.upBytes = upBytes;
        this.downBytes = downBytes;
        this.computeMillijoules = computeMillijoules;
        this.accuracy = accuracy;
        this.headDepth = headDepth;
        this.sendsRawInput = sendsRawInput;
        this.fallbackMillis = fallbackMillis;
        this.reserveMillis = reserveMillis;
        this.deviceActiveWatts = deviceActiveWatts;
        int n = targets.size();
        nominalUp = new double[n];
        nominalDown = new double[n];
        nominalRtt = new double[n];
        radio = new RadioPowerModel[n];
        DeviceProfile device = targets.get(0).profile();
        for (int t = 1; t < n; t++) {
            LinkProfile link = device.links().get(targets.get(t).linkName());
            nominalUp[t] = link.uplinkBitsPerSecond();
            nominalDown[t] = link.downlinkBitsPerSecond();
            nominalRtt[t] = link.rttMillis();
            radio[t] = link.radio().orElse(null);
        }
    }

    /** Targets; index 0 is the device itself. */
    public List<Target> targets() {
        return targets;
    }

    public int size() {
        return plans.length;
    }

    public Plan plan(int entry) {
        return plans[entry];
    }

    public double headMillis(int entry) {
        return headMillis[entry];
    }

    public double tailMillis(int entry) {
        return tailMillis[entry];
    }

    public double codecMillis(int entry) {
        return codecMillis[entry];
    }

    public long uplinkBytes(int entry) {
        return upBytes[entry];
    }

    public long downlinkBytes(int entry) {
        return downBytes[entry];
    }

    /** Device compute energy of the entry's head (the whole model for local plans), mJ; NaN without a power model. */
    public double computeMillijoules(int entry) {
        return computeMillijoules[entry];
    }

    /** Expected accuracy of the entry's variant in [0, 1]; NaN when unknown. */
    public double accuracy(int entry) {
        return accuracy[entry];
    }

    /** Latency of the entry's variant run wholly on the device: the local fallback of a remote entry. */
    public double fallbackMillis(int entry) {
        return fallbackMillis[entry];
    }

    /**
     * Time kept back from the deadline for the local fallback of the entry's variant, ms: the executor
     * ends a remote attempt at {@code deadline - reserve}, and the planner holds remote plans to the
     * same cut-off. The same for every entry of a variant (a local entry's is its variant's).
     */
    public double fallbackReserveMillis(int entry) {
        return reserveMillis[entry];
    }

    public double nominalUplinkBitsPerSecond(int t) {
        return nominalUp[t];
    }

    public double nominalDownlinkBitsPerSecond(int t) {
        return nominalDown[t];
    }

    public double nominalRttMillis(int t) {
        return nominalRtt[t];
    }

    /** The radio power model of the device link to target {@code t}, or null when the profile has none. */
    public RadioPowerModel radio(int t) {
        return radio[t];
    }

    /** The index of the first plan with this description ({@link Plan#describe()}), or -1. */
    public int find(String description) {
        for (Plan p : plans) {
            if (p.describe().equals(description)) {
                return p.entry();
            }
        }
        return -1;
    }
}
