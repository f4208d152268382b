package io.edgesplit.router.policy;

import io.edgesplit.router.PlanOutcome;

/**
 * Neurosurgeon-style: the plan (target, width, split point, codec) the planner picks for the
 * trace's mean bandwidth, fixed for the whole run. It knows the trace's average but not its
 * fluctuations.
 */
public final class BestStaticPolicy implements PlannerPolicy {

    private final PlanOutcome out = new PlanOutcome();

    @Override
    public String name() {
        return "best-static";
    }

    @Override
    public void start(PolicyContext context) {
        context.planner().plan(context.table(), context.meanConditions(), context.budgets(), -1, out);
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        return out;
    }
}
