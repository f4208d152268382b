package io.edgesplit.router.policy;

import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.estimate.EstimatorSet;

/**
 * Ours: before every request, the {@link Planner} chooses from the live estimates of an
 * {@link EstimatorSet} that learns from the transfers this policy's own requests made (bandwidth
 * from bytes over transfer time, RTT, queue delay), with the planner's hysteresis. It starts from
 * the profiles' nominal link figures and knows nothing of the trace. Its estimators run on the
 * caller's virtual clock.
 */
public final class AdaptivePolicy implements PlannerPolicy {

    private CostTable table;
    private Budgets budgets;
    private Planner planner;
    private EstimatorSet estimators;
    private final PlanOutcome out = new PlanOutcome();
    private long nowNanos;
    private int previous = -1;

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public void start(PolicyContext context) {
        table = context.table();
        budgets = context.budgets();
        planner = context.planner();
        estimators = new EstimatorSet(table, () -> nowNanos);
        previous = -1;
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        nowNanos = nanos(nowMillis);
        estimators.onRequest();
        planner.plan(table, estimators, budgets, previous, out);
        previous = out.entry();
        return out;
    }

    @Override
    public void onCompleted(CompletedRequest r) {
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
}
