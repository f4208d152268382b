package io.edgesplit.router.policy;

import io.edgesplit.router.Budget;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.Plan;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.TargetKind;
import java.util.Locale;

/**
 * Full offload of the raw input to one target (edge-only or cloud-only), the classic baseline: the
 * first target of its kind, the {@code raw} codec when the table has it, and the most accurate
 * variant that meets the hard budgets under the trace's mean conditions (privacy aside: sending the
 * input is what this baseline does), else the widest variant. Fixed for the whole run.
 */
public final class RemoteOnlyPolicy implements PlannerPolicy {

    private final TargetKind kind;
    private final PlanOutcome out = new PlanOutcome();

    /** @param kind EDGE or CLOUD */
    public RemoteOnlyPolicy(TargetKind kind) {
        if (kind == TargetKind.LOCAL) {
            throw new IllegalArgumentException("kind: a remote-only policy needs EDGE or CLOUD, was LOCAL");
        }
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT) + "-only";
    }

    @Override
    public void start(PolicyContext context) {
        CostTable table = context.table();
        int target = -1;
        for (int t = 1; t < table.targets().size() && target < 0; t++) {
            if (table.targets().get(t).kind() == kind) {
                target = t;
            }
        }
        if (target < 0) {
            throw new IllegalStateException(name() + ": the run has no " + kind.name().toLowerCase(Locale.ROOT)
                    + " target; add one or leave this policy out");
        }
        boolean hasRaw = false;
        for (int i = 0; i < table.size(); i++) {
            Plan p = table.plan(i);
            hasRaw |= p.targetIndex() == target && p.sendsRawInput() && p.codec().equals("raw");
        }
        int best = -1;
        boolean bestMeets = false;
        double bestAccuracy = 0;
        double bestWidth = 0;
        PlanOutcome scratch = new PlanOutcome();
        int budgetsButPrivacy = ~Budget.PRIVACY.bit();
        for (int i = 0; i < table.size(); i++) {
            Plan p = table.plan(i);
            if (p.targetIndex() != target || !p.sendsRawInput() || (hasRaw && !p.codec().equals("raw"))) {
                continue;
            }
            context.planner().predict(table, i, context.meanConditions(), context.budgets(), scratch);
            boolean meets = (scratch.violations() & budgetsButPrivacy) == 0;
            double accuracy = Double.isNaN(scratch.accuracy()) ? -1 : scratch.accuracy();
            boolean better;
            if (best < 0 || meets != bestMeets) {
                better = best < 0 || meets;
            } else if (meets) {
                better = accuracy > bestAccuracy || (accuracy == bestAccuracy && p.width() > bestWidth);
            } else {
                better = p.width() > bestWidth;
            }
            if (better) {
                best = i;
                bestMeets = meets;
                bestAccuracy = accuracy;
                bestWidth = p.width();
            }
        }
        if (best < 0) {
            throw new IllegalStateException(name() + ": the cost table has no full-offload plan for "
                    + table.targets().get(target));
        }
        context.planner().predict(table, best, context.meanConditions(), context.budgets(), out);
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        return out;
    }
}
