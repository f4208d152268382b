package io.edgesplit.router.sim;

import io.edgesplit.router.Budgets;
import io.edgesplit.router.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a simulation: the setup, one {@link PolicyStats} per policy and every request's
 * {@link RequestRecord}; written as a table, CSV or JSON by {@link ReportFormat}. Immutable.
 */
public final class SimulationReport {

    private final Map<String, String> setup;
    private final List<PolicyStats> stats;
    private final Map<String, List<RequestRecord>> records;
    private final BandwidthTrace uplink;
    private final BandwidthTrace downlink;
    private final Budgets budgets;
    private final int requests;
    private final double durationMillis;
    private final double requestsPerSecond;
    private final boolean poisson;
    private final long seed;
    private final double lossRate;
    private final List<Target> targets;
    private final List<Double> rttMillis;

    SimulationReport(Map<String, String> setup, Simulator sim, List<PolicyStats> stats,
            Map<String, List<RequestRecord>> records) {
        this.setup = Collections.unmodifiableMap(new LinkedHashMap<>(setup));
        this.stats = Collections.unmodifiableList(new ArrayList<>(stats));
        Map<String, List<RequestRecord>> r = new LinkedHashMap<>();
        records.forEach((k, v) -> r.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        this.records = Collections.unmodifiableMap(r);
        this.budgets = sim.budgets();
        this.requests = sim.requestCount();
        this.durationMillis = sim.durationMillis();
        this.requestsPerSecond = sim.requestsPerSecond();
        this.poisson = sim.poisson();
        this.seed = sim.seed();
        this.targets = sim.table().targets();
        List<Double> rtts = new ArrayList<>();
        rtts.add(0.0);
        for (int t = 1; t < targets.size(); t++) {
            rtts.add(sim.link(t).rttMillis());
        }
        this.rttMillis = Collections.unmodifiableList(rtts);
        this.uplink = targets.size() > 1 ? sim.link(1).uplink() : null;
        this.downlink = targets.size() > 1 ? sim.link(1).downlink() : null;
        this.lossRate = targets.size() > 1 ? sim.link(1).lossRate() : 0;
    }

    /** Lines the caller described the run with (package, device, ...), in order. */
    public Map<String, String> setup() {
        return setup;
    }

    public List<PolicyStats> stats() {
        return stats;
    }

    /** The stats of one policy. */
    public PolicyStats stats(String policy) {
        for (PolicyStats s : stats) {
            if (s.policy().equals(policy)) {
                return s;
            }
        }
        throw new IllegalArgumentException("policy: '" + policy + "' was not simulated; these were: " + records.keySet());
    }

    /** Every request of every policy, by policy name in run order. */
    public Map<String, List<RequestRecord>> records() {
        return records;
    }

    /** The uplink trace, or null when the run had no remote target. */
    public BandwidthTrace uplinkTrace() {
        return uplink;
    }

    /** The downlink trace, or null when the run had no remote target. */
    public BandwidthTrace downlinkTrace() {
        return downlink;
    }

    public Budgets budgets() {
        return budgets;
    }

    public int requests() {
        return requests;
    }

    public double durationMillis() {
        return durationMillis;
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /** "periodic" or "poisson". */
    public String arrivals() {
        return poisson ? "poisson" : "periodic";
    }

    public long seed() {
        return seed;
    }

    public double lossRate() {
        return lossRate;
    }

    /** The targets; index 0 is the device. */
    public List<Target> targets() {
        return targets;
    }

    /** RTT of each target's link in the run (0 for the device). */
    public List<Double> rttMillis() {
        return rttMillis;
    }

    /** The report in a format, as text. */
    public String format(ReportFormat format) {
        StringBuilder sb = new StringBuilder();
        try {
            format.write(this, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SimulationReport{%d requests, policies %s}", requests, records.keySet());
    }
}
