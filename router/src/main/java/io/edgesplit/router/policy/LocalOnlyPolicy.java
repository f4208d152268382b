package io.edgesplit.router.policy;

import io.edgesplit.router.PlanOutcome;

/**
 * Everything on the device: the local plan (variant) the planner prefers under the budgets, fixed
 * for the whole run. Local plans do not depend on the network, so its predictions are exact.
 */
public final class LocalOnlyPolicy implements PlannerPolicy {

    private final PlanOutcome out = new PlanOutcome();

    @Override
    public String name() {
        return "local-only";
    }

    @Override
    public void start(PolicyContext context) {
        context.planner().plan(context.table(), context.meanConditions(), context.budgets(), -1, out, 0);
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        return out;
    }
}
