package io.edgesplit.router.sim;

import io.edgesplit.common.Percentiles;
import io.edgesplit.router.Budgets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy's figures over a run: latency (mean and {@link Percentiles nearest-rank} percentiles), deadline misses,
 * device energy, bytes and accuracy per inference, plan switches, how often it offloaded, how far
 * its predictions were from what happened, and its most used plan. Immutable.
 */
public final class PolicyStats {

    private final String policy;
    private final int requests;
    private final double meanLatencyMillis;
    private final double p50LatencyMillis;
    private final double p95LatencyMillis;
    private final double p99LatencyMillis;
    private final double maxLatencyMillis;
    private final double deadlineMissRate;
    private final double meanEnergyMillijoules;
    private final double meanBytes;
    private final double meanAccuracy;
    private final int planSwitches;
    private final double offloadRate;
    private final double meanPredictionErrorMillis;
    private final double budgetViolationRate;
    private final String topPlan;
    private final double topPlanShare;

    private PolicyStats(String policy, int requests, double[] latency, double deadlineMissRate,
            double meanEnergyMillijoules, double meanBytes, double meanAccuracy, int planSwitches, double offloadRate,
            double meanPredictionErrorMillis, double budgetViolationRate, String topPlan, double topPlanShare) {
        this.policy = policy;
        this.requests = requests;
        this.meanLatencyMillis = latency[0];
        this.p50LatencyMillis = latency[1];
        this.p95LatencyMillis = latency[2];
        this.p99LatencyMillis = latency[3];
        this.maxLatencyMillis = latency[4];
        this.deadlineMissRate = deadlineMissRate;
        this.meanEnergyMillijoules = meanEnergyMillijoules;
        this.meanBytes = meanBytes;
        this.meanAccuracy = meanAccuracy;
        this.planSwitches = planSwitches;
        this.offloadRate = offloadRate;
        this.meanPredictionErrorMillis = meanPredictionErrorMillis;
        this.budgetViolationRate = budgetViolationRate;
        this.topPlan = topPlan;
        this.topPlanShare = topPlanShare;
    }

    /** Summarizes one policy's records; the deadline miss rate is NaN when the budgets have no deadline. */
    public static PolicyStats of(String policy, List<RequestRecord> records, Budgets budgets) {
        int n = records.size();
        if (n == 0) {
            throw new IllegalArgumentException("records: policy " + policy + " has none");
        }
        double[] latencies = new double[n];
        double sumLatency = 0;
        double sumEnergy = 0;
        double sumBytes = 0;
        double sumAccuracy = 0;
        int knownAccuracy = 0;
        int misses = 0;
        int switches = 0;
        int offloads = 0;
        int violations = 0;
        double sumError = 0;
        Map<String, Integer> plans = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RequestRecord r = records.get(i);
            latencies[i] = r.latencyMillis();
            sumLatency += r.latencyMillis();
            sumEnergy += r.energyMillijoules();
            sumBytes += r.bytes();
            if (!Double.isNaN(r.accuracy())) {
                sumAccuracy += r.accuracy();
                knownAccuracy++;
            }
            misses += r.deadlineMet() ? 0 : 1;
            switches += r.switched() ? 1 : 0;
            offloads += r.plan().isLocal() ? 0 : 1;
            violations += r.violations() != 0 ? 1 : 0;
            sumError += Math.abs(r.predictedLatencyMillis() - r.latencyMillis());
            plans.merge(r.plan().describe(), 1, Integer::sum);
        }
        Arrays.sort(latencies);
        String top = null;
        int topCount = 0;
        for (Map.Entry<String, Integer> e : plans.entrySet()) {
            if (e.getValue() > topCount || (e.getValue() == topCount && e.getKey().compareTo(top) < 0)) {
                top = e.getKey();
                topCount = e.getValue();
            }
        }
        double[] latency = {sumLatency / n, Percentiles.ofSorted(latencies, 50), Percentiles.ofSorted(latencies, 95),
            Percentiles.ofSorted(latencies, 99), latencies[n - 1]};
        return new PolicyStats(policy, n, latency,
                Double.isInfinite(budgets.deadlineMillis()) ? Double.NaN : (double) misses / n, sumEnergy / n,
                sumBytes / n, knownAccuracy == 0 ? Double.NaN : sumAccuracy / knownAccuracy, switches,
                (double) offloads / n, sumError / n, (double) violations / n, top, (double) topCount / n);
    }

    public String policy() {
        return policy;
    }

    public int requests() {
        return requests;
    }

    public double meanLatencyMillis() {
        return meanLatencyMillis;
    }

    public double p50LatencyMillis() {
        return p50LatencyMillis;
    }

    public double p95LatencyMillis() {
        return p95LatencyMillis;
    }

    public double p99LatencyMillis() {
        return p99LatencyMillis;
    }

    public double maxLatencyMillis() {
        return maxLatencyMillis;
    }

    /** Fraction of requests over the deadline; NaN without a deadline. */
    public double deadlineMissRate() {
        return deadlineMissRate;
    }

    /** Mean device energy per inference; NaN when the profiles lack power figures. */
    public double meanEnergyMillijoules() {
        return meanEnergyMillijoules;
    }

    /** Mean bytes sent and received per inference. */
    public double meanBytes() {
        return meanBytes;
    }

    /** Mean expected accuracy over the requests whose variant has a known accuracy; NaN when none has. */
    public double meanAccuracy() {
        return meanAccuracy;
    }

    /** Requests whose plan differed from the previous request's. */
    public int planSwitches() {
        return planSwitches;
    }

    /** Fraction of requests that ran (part of) the model on a remote target. */
    public double offloadRate() {
        return offloadRate;
    }

    /** Mean |predicted - realized| latency. */
    public double meanPredictionErrorMillis() {
        return meanPredictionErrorMillis;
    }

    /** Fraction of requests that went over any budget (deadline, energy, bytes, accuracy, privacy). */
    public double budgetViolationRate() {
        return budgetViolationRate;
    }

    /** The plan used most often ({@link io.edgesplit.router.Plan#describe()}). */
    public String topPlan() {
        return topPlan;
    }

    public double topPlanShare() {
        return topPlanShare;
    }
}
