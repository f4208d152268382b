package io.edgesplit.router;

import io.edgesplit.profile.RadioPowerModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses a plan: a pure function of a {@link CostTable}, the current {@link LinkConditions} and the
 * {@link Budgets} (plus the previous choice, for hysteresis). No clock, no I/O, and no allocation on
 * {@link #plan}: it scans the table's primitive arrays and writes the winner into a caller-owned
 * {@link PlanOutcome}.
 *
 * <h2>Predictions</h2>
 * For a local plan, latency is the whole model on the device and energy its compute energy. For a
 * remote plan: head + codec + (radio promotion when the radio has been idle longer than its tail) +
 * RTT + uplink bytes / uplink bandwidth + the target's queue + tail + downlink bytes / downlink
 * bandwidth; with failure rate f the fallback (the variant run locally) is added with weight f. Energy
 * is the head's compute energy plus radio energy in the Huang et al. model: promotion energy when the
 * radio was idle, transfer power {@code alpha_up * Mbps + beta} (resp. down) for the transfer times,
 * {@code beta} while waiting for the answer, and the tail power for the part of the radio's tail this
 * request owns before the next one starts (min(interval, tail time)); with failure rate f the
 * fallback's compute energy is added with weight f, as for latency (a failed request has already
 * spent its head and radio energy).
 *
 * <h2>The deadline of a remote plan</h2>
 * The executor ends a remote attempt at {@code deadline - reserve}, the reserve being the time kept
 * for the local fallback of the plan's variant ({@link CostTable#fallbackReserveMillis}), so a remote
 * plan meets the deadline only when its remote completion (head, codec, promotion, transfers, RTT,
 * queue, tail, reply) is predicted by then; its expected latency (fallback included) must also be
 * within the deadline. A local plan has the whole deadline.
 *
 * <h2>Choice</h2>
 * Privacy is never violated. Among plans that meet every hard budget the objective's best score
 * wins (soft budgets add {@link Budgets#SOFT_PENALTY} per unit of relative overshoot); the previous
 * plan is kept while it stays feasible and within the hysteresis margin of the best, so noise does
 * not make plans flap. When no plan meets the hard budgets, the one with the smallest total relative
 * violation is returned, flagged infeasible with the violated budgets named.
 */
public final class Planner {

    /** Default hysteresis: a new plan must be 10% better than the previous one to replace it. */
    public static final double DEFAULT_HYSTERESIS = 0.10;

    private final double hysteresis;

    public Planner() {
        this(DEFAULT_HYSTERESIS);
    }

    /** @param hysteresis relative margin in [0, 1) by which a new plan must beat the previous one */
    public Planner(double hysteresis) {
        if (!(hysteresis >= 0 && hysteresis < 1)) {
            throw new IllegalArgumentException("hysteresis: must be in [0, 1), was " + hysteresis);
        }
        this.hysteresis = hysteresis;
    }

    public double hysteresis() {
        return hysteresis;
    }

    /**
     * Chooses the plan for the next inference.
     *
     * @param previousEntry the entry chosen last time, or -1
     * @param out receives the choice and its predicted costs
     * @return {@code out}
     */
    public PlanOutcome plan(CostTable table, LinkConditions conditions, Budgets budgets, int previousEntry,
            PlanOutcome out) {
        return plan(table, conditions, budgets, previousEntry, out, -1);
    }

    /**
     * Like {@link #plan(CostTable, LinkConditions, Budgets, int, PlanOutcome)}, restricted to one
     * target kind's plans when {@code onlyTarget >= 0} (a target index), for baseline policies.
     */
    public PlanOutcome plan(CostTable table, LinkConditions conditions, Budgets budgets, int previousEntry,
            PlanOutcome out, int onlyTarget) {
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        int fallback = -1;
        double fallbackViolation = Double.POSITIVE_INFINITY;
        double fallbackScore = Double.POSITIVE_INFINITY;
        Eval e = out.scratch;
        e.load(table, conditions); // one consistent read of live conditions per decision
        for (int i = 0; i < table.size(); i++) {
            int t = table.target[i];
            if (onlyTarget >= 0 && t != onlyTarget) {
                continue;
            }
            if (!evaluateLoaded(table, i, budgets, e)) {
                continue; // privacy, or target unavailable
            }
            if (e.violations == 0) {
                if (e.score < bestScore) {
                    bestScore = e.score;
                    best = i;
                }
            } else if (e.violationAmount < fallbackViolation
                    || (e.violationAmount == fallbackViolation && e.score < fallbackScore)) {
                fallbackViolation = e.violationAmount;
                fallbackScore = e.score;
                fallback = i;
            }
        }
        int chosen = best >= 0 ? best : fallback;
        boolean kept = false;
        if (best >= 0 && previousEntry >= 0 && previousEntry != best && previousEntry < table.size()
                && (onlyTarget < 0 || table.target[previousEntry] == onlyTarget)) {
            evaluateLoaded(table, best, budgets, e);
            double bestPrimary = primary(e, budgets);
            if (evaluateLoaded(table, previousEntry, budgets, e) && e.violations == 0
                    && accuracyNoWorse(table, previousEntry, best, budgets)
                    && primary(e, budgets) <= bestPrimary + hysteresis * Math.max(Math.abs(bestPrimary), 1e-9)) {
                chosen = previousEntry;
                kept = true;
            }
        }
        if (chosen < 0) {
            out.plan = null;
            out.violations = Budget.PRIVACY.bit();
            return out;
        }
        evaluateLoaded(table, chosen, budgets, e);
        out.plan = table.plans[chosen];
        out.latencyMillis = e.latency;
        out.energyMillijoules = e.energy;
        out.bytes = e.bytes;
        out.accuracy = table.accuracy[chosen];
        out.violations = e.violations;
        out.score = e.score;
        out.keptPrevious = kept;
        return out;
    }

    /** The figure hysteresis compares: the objective's own quantity (latency for max-accuracy ties). */
    private static double primary(Eval e, Budgets budgets) {
        switch (budgets.objective().kind()) {
            case MIN_ENERGY:
                return e.energy;
            case WEIGHTED:
                return e.score;
            default:
                return e.latency;
        }
    }

    /** Hysteresis never trades accuracy away when accuracy is what is maximized. */
    private static boolean accuracyNoWorse(CostTable table, int previous, int best, Budgets budgets) {
        if (budgets.objective().kind() != Objective.Kind.MAX_ACCURACY) {
            return true;
        }
        double a = table.accuracy[previous];
        double b = table.accuracy[best];
        return a >= b || (Double.isNaN(a) && Double.isNaN(b));
    }

    /**
     * Ranks every plan under these conditions: the chosen one first, then the runners-up with their
     * predicted figures. Allocates; for explaining a decision, not for the hot path.
     */
    public List<PlanOutcome> explain(CostTable table, LinkConditions conditions, Budgets budgets, int previousEntry,
            int limit) {
        PlanOutcome chosen = plan(table, conditions, budgets, previousEntry, new PlanOutcome());
        List<PlanOutcome> all = new ArrayList<>();
        Eval e = new Eval();  // explain allocates anyway
        e.load(table, conditions);
        for (int i = 0; i < table.size(); i++) {
            if (!evaluateLoaded(table, i, budgets, e) || i == chosen.entry()) {
                continue;
            }
            PlanOutcome o = new PlanOutcome();
            o.plan = table.plans[i];
            o.latencyMillis = e.latency;
            o.energyMillijoules = e.energy;
            o.bytes = e.bytes;
            o.accuracy = table.accuracy[i];
            o.violations = e.violations;
            o.score = e.score;
            all.add(o);
        }
        all.sort((a, b) -> a.feasible() != b.feasible() ? (a.feasible() ? -1 : 1) : Double.compare(a.score, b.score));
        List<PlanOutcome> ranked = new ArrayList<>();
        if (chosen.plan() != null) {
            ranked.add(chosen);
        }
        for (PlanOutcome o : all) {
            if (ranked.size() >= limit) {
                break;
            }
            ranked.add(o);
        }
        return ranked;
    }

    /**
     * Scratch for one entry's evaluation (one per call, reused across entries), with the conditions
     * of every target read once per decision: a live {@link LinkConditions} is synchronized and
     * computes its estimates on each read, and one decision should see one consistent view.
     */
    static final class Eval {
        double latency;
        double energy;
        long bytes;
        double score;
        int violations;
        double violationAmount;
        double[] up = new double[0];
        double[] down = new double[0];
        double[] rtt = new double[0];
        double[] queue = new double[0];
        double[] failure = new double[0];
        boolean[] available = new boolean[0];
        double radioIdleMillis;
        double requestIntervalMillis;

        /** Reads every target's conditions; allocates only the first time it sees this many targets. */
        void load(CostTable table, LinkConditions c) {
            int n = table.targets().size();
            if (up.length < n) {
                up = new double[n];
                down = new double[n];
                rtt = new double[n];
                queue = new double[n];
                failure = new double[n];
                available = new boolean[n];
            }
            for (int t = 1; t < n; t++) {
                available[t] = c.available(t);
                up[t] = c.uplinkBitsPerSecond(t);
                down[t] = c.downlinkBitsPerSecond(t);
                rtt[t] = c.rttMillis(t);
                queue[t] = c.queueMillis(t);
                failure[t] = c.failureRate(t);
            }
            radioIdleMillis = c.radioIdleMillis();
            requestIntervalMillis = c.requestIntervalMillis();
        }
    }

    /**
     * Predicts one given plan under these conditions without choosing: its latency, energy, bytes,
     * accuracy, score and the hard budgets it breaks, privacy included (a plan the planner would never
     * choose is still predicted, flagged {@link Budget#PRIVACY}). For baseline policies that fix their
     * plan by other rules, and for explaining. Allocates nothing.
     *
     * @return {@code out}
     */
    public PlanOutcome predict(CostTable table, int entry, LinkConditions conditions, Budgets budgets, PlanOutcome out) {
        if (entry < 0 || entry >= table.size()) {
            throw new IllegalArgumentException("entry: must be 0.." + (table.size() - 1) + ", was " + entry);
        }
        Eval e = out.scratch;
        e.load(table, conditions);
        compute(table, entry, budgets, e);
        out.plan = table.plans[entry];
        out.latencyMillis = e.latency;
        out.energyMillijoules = e.energy;
        out.bytes = e.bytes;
        out.accuracy = table.accuracy[entry];
        out.violations = e.violations | (breaksPrivacy(table, entry, budgets) ? Budget.PRIVACY.bit() : 0);
        out.score = e.score;
        out.keptPrevious = false;
        return out;
    }

    /** Whether a remote plan sends data before the budgets allow (raw input, or too few operators on the device). */
    static boolean breaksPrivacy(CostTable table, int i, Budgets b) {
        return table.target[i] != 0
                && ((b.neverSendRawInput() && table.sendsRawInput[i]) || table.headDepth[i] < b.minSplitDepth());
    }

    /**
     * Predicts entry {@code i}. Returns false when the plan is out of the question (privacy, or its
     * target is down).
     */
    static boolean evaluate(CostTable table, int i, LinkConditions c, Budgets b, Eval e) {
        e.load(table, c);
        return evaluateLoaded(table, i, b, e);
    }

    /** {@link #evaluate} with the conditions already in {@code e}. */
    private static boolean evaluateLoaded(CostTable table, int i, Budgets b, Eval e) {
        int t = table.target[i];
        if (t != 0 && (!e.available[t] || breaksPrivacy(table, i, b))) {
            return false;
        }
        compute(table, i, b, e);
        return true;
    }

    /** Predicts entry {@code i} under the conditions in {@code e}, whatever its privacy or availability. */
    private static void compute(CostTable table, int i, Budgets b, Eval e) {
        int t = table.target[i];
        double latency;
        double energy;
        long bytes;
        double remote = Double.NaN; // a remote plan's completion (up to the reply), before failures
        if (t == 0) {
            latency = table.headMillis[i];
            energy = table.computeMillijoules[i];
            bytes = 0;
        } else {
            double upMs = table.upBytes[i] * 8000.0 / e.up[t];
            double downMs = table.downBytes[i] * 8000.0 / e.down[t];
            double waitMs = e.rtt[t] + e.queue[t] + table.tailMillis[i];
            RadioPowerModel radio = table.radio[t];
            double promotionMs = radio != null && e.radioIdleMillis > radio.tailTimeMillis()
                    ? radio.promotionTimeMillis() : 0;
            latency = table.headMillis[i] + table.codecMillis[i] + promotionMs + waitMs + upMs + downMs;
            remote = latency;
            double f = e.failure[t];
            latency = (1 - f) * latency + f * (latency + table.fallbackMillis[i]);
            double radioMj;
            if (radio == null) {
                radioMj = Double.NaN;
            } else {
                radioMj = RadioEnergy.millijoules(radio, promotionMs, upMs, e.up[t] / 1e6, downMs, e.down[t] / 1e6,
                        waitMs, e.requestIntervalMillis);
            }
            // a failed request has spent its head and radio energy, then runs the variant locally
            energy = table.computeMillijoules[i] + radioMj + f * table.fallbackMillis[i] * table.deviceActiveWatts;
            bytes = table.upBytes[i] + table.downBytes[i];
        }
        double accuracy = table.accuracy[i];
        int violations = 0;
        double amount = 0;
        double penalty = 0;
        double over = latency / b.deadlineMillis() - 1;
        // The executor ends a remote attempt at deadline - reserve (the local fallback's time): a plan
        // predicted to answer later is cut, falls back and misses the time and radio energy it spent.
        // Its overshoot is measured against that cut-off, relative to the deadline like any other.
        // (NaN for local plans and without a deadline: no effect.)
        double cut = (remote - (b.deadlineMillis() - table.reserveMillis[i])) / b.deadlineMillis();
        if (cut > over) {
            over = cut;
        }
        if (over > 0) {
            if (b.deadlineHard()) {
                violations |= Budget.DEADLINE.bit();
                amount += over;
            } else {
                penalty += over;
            }
        }
        double energyForBudget = Double.isNaN(energy) ? Double.POSITIVE_INFINITY : energy;
        over = Double.isInfinite(b.energyMillijoules()) ? 0 : energyForBudget / b.energyMillijoules() - 1;
        if (over > 0) {
            if (b.energyHard()) {
                violations |= Budget.ENERGY.bit();
                amount += Math.min(over, 1e6);
            } else {
                penalty += Math.min(over, 1e6);
            }
        }
        over = b.bytesPerInference() == Long.MAX_VALUE ? 0 : (double) bytes / b.bytesPerInference() - 1;
        if (over > 0) {
            if (b.bytesHard()) {
                violations |= Budget.BYTES.bit();
                amount += over;
            } else {
                penalty += over;
            }
        }
        if (b.minAccuracy() > 0) {
            double acc = Double.isNaN(accuracy) ? 0 : accuracy;
            over = (b.minAccuracy() - acc) / b.minAccuracy();
            if (over > 0) {
                if (b.accuracyHard()) {
                    violations |= Budget.ACCURACY.bit();
                    amount += over;
                } else {
                    penalty += over;
                }
            }
        }
        double scoredEnergy = Double.isNaN(energy) ? 0 : energy;
        e.latency = latency;
        e.energy = energy;
        e.bytes = bytes;
        e.violations = violations;
        e.violationAmount = amount;
        e.score = b.objective().score(latency, b.objective().kind() == Objective.Kind.MIN_ENERGY && Double.isNaN(energy)
                ? Double.POSITIVE_INFINITY : scoredEnergy, bytes, accuracy) + penalty * Budgets.SOFT_PENALTY;
    }
}
