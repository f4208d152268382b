package io.edgesplit.router.policy;

import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.LinkConditions;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.estimate.EstimatorSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ours: before every request, the {@link Planner} chooses from the live estimates of an
 * {@link EstimatorSet} that learns from the transfers this policy's own requests made (bandwidth
 * from bytes over transfer time, RTT, queue delay), with the planner's hysteresis. It starts from
 * the profiles' nominal link figures and knows nothing of the trace. Its estimators run on the
 * caller's virtual clock.
 *
 * <p>Late requests are evidence: a remote request still in flight longer than its transfers could
 * have taken bounds the link's rate from above, {@code bytes / (elapsed - head - codec - RTT - tail)},
 * and the planner sees the smaller of that bound and the estimate. Without it, every request that
 * starts while the first slow one is still on the wire goes remote too (at 2 requests/s, three over
 * a one-second stall), because the estimators only learn when a transfer ends. ("adaptive-plain" is
 * the same policy without it.)
 *
 * <p>Known limit: the policy learns only from its own transfers. When it runs locally it learns
 * nothing, and its estimate drifts back to the profile's nominal rate once stale; a link that is
 * much faster than the nominal figure is never discovered (see the 5G runs in the simulator notes).
 */
public final class AdaptivePolicy implements PlannerPolicy {

    private CostTable table;
    private Budgets budgets;
    private Planner planner;
    private EstimatorSet estimators;
    private final PlanOutcome out = new PlanOutcome();
    private long nowNanos;
    private int previous = -1;
    private final List<double[]> inFlight = new ArrayList<>(); // {request, target, start, bytes, fixedMillis}
    private final View view = new View();
    private final String name;
    private boolean lateEvidence = true;

    /** The registered "adaptive" policy. */
    public AdaptivePolicy() {
        this("adaptive");
    }

    /** The same policy under another name (for ablations registered beside it). */
    public AdaptivePolicy(String name) {
        this.name = java.util.Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    /** Turns the use of late in-flight requests off ("adaptive-plain"). */
    public AdaptivePolicy lateEvidence(boolean on) {
        this.lateEvidence = on;
        return this;
    }

    @Override
    public void start(PolicyContext context) {
        table = context.table();
        budgets = context.budgets();
        planner = context.planner();
        estimators = new EstimatorSet(table, () -> nowNanos);
        previous = -1;
        view.caps = new double[table.targets().size()];
        inFlight.clear();
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        nowNanos = nanos(nowMillis);
        estimators.onRequest();
        view.update(nowMillis);
        planner.plan(table, view, budgets, previous, out);
        previous = out.entry();
        PlanOutcome chosen = out;
        int t = chosen.plan().targetIndex();
        if (t != 0) {
            double fixed = table.headMillis(chosen.entry()) + table.codecMillis(chosen.entry())
                    + estimators.rttMillis(t) + table.tailMillis(chosen.entry());
            inFlight.add(new double[] {request, t, nowMillis,
                table.uplinkBytes(chosen.entry()) + table.downlinkBytes(chosen.entry()), fixed});
        }
        return chosen;
    }

    @Override
    public void onCompleted(CompletedRequest r) {
        inFlight.removeIf(f -> f[0] == r.request());
        if (r.target() == 0) {
            return;
        }
        nowNanos = nanos(r.endMillis());
        int t = r.target();
        estimators.onUplink(t, r.uplinkBytes(), nanos(r.uplinkMillis()));
        estimators.onRtt(t, r.rttMillis());
        estimators.onQueueDelay(t, r.queueMillis());
        estimators.onDownlink(t, r.downlinkBytes(), nanos(r.downlinkMillis()));
        estimators.onSuccess(t);
    }

    /** The live estimates (for tests and reports). */
    public EstimatorSet estimators() {
        return estimators;
    }

    private static long nanos(double millis) {
        return Math.round(millis * 1e6);
    }

    /** The estimators, with rates capped by late in-flight requests. */
    private final class View implements LinkConditions {
        double[] caps;

        void update(double nowMillis) {
            Arrays.fill(caps, Double.POSITIVE_INFINITY);
            if (!lateEvidence) {
                return;
            }
            for (double[] f : inFlight) {
                int t = (int) f[1];
                double transferMillis = nowMillis - f[2] - f[4];
                if (transferMillis > 0) {
                    caps[t] = Math.min(caps[t], f[3] * 8000.0 / transferMillis);
                }
            }
        }

        private double rate(int t, double estimate) {
            return Math.min(estimate, caps[t]);
        }

        @Override
        public double uplinkBitsPerSecond(int t) {
            return rate(t, estimators.uplinkBitsPerSecond(t));
        }

        @Override
        public double downlinkBitsPerSecond(int t) {
            return rate(t, estimators.downlinkBitsPerSecond(t));
        }

        @Override
        public double rttMillis(int t) {
            return estimators.rttMillis(t);
        }

        @Override
        public double queueMillis(int t) {
            return estimators.queueMillis(t);
        }

        @Override
        public double failureRate(int t) {
            return estimators.failureRate(t);
        }

        @Override
        public boolean available(int t) {
            return estimators.available(t);
        }

        @Override
        public double radioIdleMillis() {
            return estimators.radioIdleMillis();
        }

        @Override
        public double requestIntervalMillis() {
            return estimators.requestIntervalMillis();
        }
    }
}
