package io.edgesplit.router;

import java.util.Locale;

/**
 * The planner's answer: the chosen plan and what it is predicted to cost under the conditions it
 * was planned with. Mutable and reusable so that planning allocates nothing; copy it with
 * {@link #copy()} to keep one.
 */
public final class PlanOutcome {

    Plan plan;
    double latencyMillis;
    double energyMillijoules;
    long bytes;
    double accuracy;
    int violations;
    double score;
    boolean keptPrevious;
    /** The planner's scratch space, owned by the caller so planning allocates nothing. */
    final Planner.Eval scratch = new Planner.Eval();

    public Plan plan() {
        return plan;
    }

    public int entry() {
        return plan == null ? -1 : plan.entry();
    }

    /** Predicted end-to-end latency, milliseconds. */
    public double latencyMillis() {
        return latencyMillis;
    }

    /** Predicted device energy (compute + radio), millijoules; NaN when the profiles lack power figures. */
    public double energyMillijoules() {
        return energyMillijoules;
    }

    /** Bytes sent plus bytes received. */
    public long bytes() {
        return bytes;
    }

    /** Expected accuracy of the plan's variant; NaN when unknown. */
    public double accuracy() {
        return accuracy;
    }

    /** Bit mask of violated hard budgets ({@link Budget#bit()}); 0 when the plan is feasible. */
    public int violations() {
        return violations;
    }

    /** True when the plan meets every hard budget. */
    public boolean feasible() {
        return violations == 0;
    }

    /** The objective's score (lower is better), soft-budget penalties included. */
    public double score() {
        return score;
    }

    /** True when hysteresis kept the previous plan although another scored slightly better. */
    public boolean keptPrevious() {
        return keptPrevious;
    }

    /**
     * Sets every figure: for policies that predict by other means than the planner (the simulator's
     * oracle, which knows what will happen). The score is the objective's score of these figures.
     *
     * @return this
     */
    public PlanOutcome set(Plan plan, double latencyMillis, double energyMillijoules, long bytes, double accuracy,
            int violations, double score) {
        this.plan = java.util.Objects.requireNonNull(plan, "plan");
        this.latencyMillis = latencyMillis;
        this.energyMillijoules = energyMillijoules;
        this.bytes = bytes;
        this.accuracy = accuracy;
        this.violations = violations;
        this.score = score;
        this.keptPrevious = false;
        return this;
    }

    public PlanOutcome copy() {
        PlanOutcome c = new PlanOutcome();
        c.plan = plan;
        c.latencyMillis = latencyMillis;
        c.energyMillijoules = energyMillijoules;
        c.bytes = bytes;
        c.accuracy = accuracy;
        c.violations = violations;
        c.score = score;
        c.keptPrevious = keptPrevious;
        return c;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %.1f ms, %.1f mJ, %d B, accuracy %s%s", plan == null ? "none" : plan.describe(),
                latencyMillis, energyMillijoules, bytes, Double.isNaN(accuracy) ? "unknown" : String.format(Locale.ROOT, "%.3f", accuracy),
                violations == 0 ? "" : " INFEASIBLE (" + Budget.describe(violations) + ")");
    }
}
