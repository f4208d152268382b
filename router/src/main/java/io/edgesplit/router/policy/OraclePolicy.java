package io.edgesplit.router.policy;

import io.edgesplit.router.Budget;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.Objective;
import io.edgesplit.router.PlanOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The bound: knows what every plan will actually cost for every request (the future bandwidth, the
 * losses) through {@link PolicyContext#realize}, and picks the sequence of plans with the least total
 * cost. No real policy can do better on the same run.
 *
 * <h2>Cost</h2>
 * The objective's score of the realized figures, among the plans that meet the static hard budgets
 * (privacy always; minimum accuracy and bytes per inference as planned); a realized hard deadline or
 * energy miss adds {@value #HARD_PENALTY} x (1 + relative overshoot), a soft one
 * {@link Budgets#SOFT_PENALTY} x overshoot, as in the planner. A budget on the objective's own
 * quantity (a deadline under the latency objective, an energy budget under the energy objective) adds
 * nothing: minimizing the quantity already minimizes the overshoot, and leaving it out keeps the
 * oracle's total exactly the least achievable total of that quantity, so under the latency objective
 * its mean latency is a lower bound for every policy whose plans meet the static budgets.
 *
 * <h2>Exact search</h2>
 * Requests are independent except for the radio: a request that finds an LTE or 3G radio idle (no
 * transfer for longer than its tail time) pays a promotion delay. Keeping the radio up can therefore
 * be worth a costlier plan now, and a per-request greedy choice is not optimal. The search is a
 * dynamic program over requests whose state is the last request the radio will still be connected
 * for, given the transfers so far ({@code max} over remote requests of the first request starting
 * more than a tail time after that request's end). States are few (about a tail time's worth of
 * requests), so the search is exact and takes O(requests x plans) evaluations. It handles one radio
 * with a promotion delay (WiFi has none); a run whose targets use two such radios is refused.
 */
public final class OraclePolicy implements PlannerPolicy {

    /** Added per realized miss of a hard dynamic budget, so that a miss outweighs any score difference. */
    public static final double HARD_PENALTY = 1e12;

    private CostTable table;
    private Budgets budgets;
    private int[] choice;
    private double[] predictedLatency;
    private final PlanOutcome out = new PlanOutcome();
    private final RealizedCost realized = new RealizedCost();
    private PolicyContext context;
    private boolean[] connectedAt;
    private String mismatch;

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public void start(PolicyContext context) {
        table = context.table();
        budgets = context.budgets();
        int n = context.requestCount();
        int tracked = -1;
        for (int r = 0; r < context.radioCount(); r++) {
            if (context.radioPromotes(r)) {
                if (tracked >= 0) {
                    throw new IllegalStateException("oracle: the targets use two radios with promotion delays (radios "
                            + tracked + " and " + r + "); the exact search tracks one");
                }
                tracked = r;
            }
        }
        double tail = tracked >= 0 ? context.radioTailMillis(tracked) : 0;
        int[] entries = allowedEntries();
        boolean fallback = entries.length == 0;
        if (fallback) {
            entries = allowedEntries(true);
        }
        boolean[] onTracked = new boolean[entries.length];
        for (int j = 0; j < entries.length; j++) {
            onTracked[j] = tracked >= 0 && context.radioOf(table.plan(entries[j]).targetIndex()) == tracked;
        }
        double[] starts = new double[n];
        for (int k = 0; k < n; k++) {
            starts[k] = context.requestStartMillis(k);
        }

        List<Layer> layers = new ArrayList<>(n + 1);
        Layer first = new Layer(-1);
        first.relax(-1, 0, -1, -1);
        layers.add(first);
        RealizedCost rc = new RealizedCost();
        Options warm = new Options(entries.length);
        Options cold = new Options(entries.length);
        for (int k = 0; k < n; k++) {
            warm.fill(context, k, true, entries, onTracked, starts, tail, fallback, rc);
            if (tracked >= 0) {
                cold.fill(context, k, false, entries, onTracked, starts, tail, fallback, rc);
            }
            Layer layer = layers.get(k);
            Layer next = new Layer(k);
            for (int s = 0; s < layer.size; s++) {
                int m = layer.m[s];
                Options o = tracked < 0 || k <= m ? warm : cold;
                double base = layer.cost[s];
                if (o.statelessEntry >= 0) {
                    next.relax(normalize(m, k + 1), base + o.statelessCost, s, o.statelessEntry);
                }
                for (int g = 0; g < o.groups; g++) {
                    next.relax(normalize(Math.max(m, o.groupM[g]), k + 1), base + o.groupCost[g], s, o.groupEntry[g]);
                }
            }
            if (next.size == 0) {
                throw new IllegalStateException("oracle: no plan for request " + k);
            }
            layers.add(next);
            if ((k & 63) == 0 || k == n - 1) {
                context.progress().onProgress("oracle search", k + 1, n);
            }
        }
        // backtrack
        choice = new int[n];
        boolean[] connected = new boolean[n];
        Layer last = layers.get(n);
        int s = 0;
        for (int i = 1; i < last.size; i++) {
            if (last.cost[i] < last.cost[s]) {
                s = i;
            }
        }
        for (int k = n; k > 0; k--) {
            Layer l = layers.get(k);
            choice[k - 1] = l.pick[s];
            s = l.back[s];
            connected[k - 1] = tracked < 0 || k - 1 <= layers.get(k - 1).m[s];
        }
        predictedLatency = new double[n];
        for (int k = 0; k < n; k++) {
            context.realize(k, choice[k], connected[k], rc);
            predictedLatency[k] = rc.latencyMillis();
        }
        this.context = context;
        this.connectedAt = connected;
    }

    /** The last state that still counts as "connected" for request {@code k} is k-1: normalize colder ones to it. */
    private static int normalize(int m, int k) {
        return m < k ? k - 1 : m;
    }

    private int[] allowedEntries() {
        return allowedEntries(false);
    }

    private int[] allowedEntries(boolean fallback) {
        int[] out = new int[table.size()];
        int n = 0;
        for (int i = 0; i < table.size(); i++) {
            var p = table.plan(i);
            boolean privacy = !p.isLocal() && ((budgets.neverSendRawInput() && p.sendsRawInput())
                    || p.headOperators() < budgets.minSplitDepth());
            if (privacy) {
                continue;
            }
            if (!fallback) {
                double acc = Double.isNaN(table.accuracy(i)) ? 0 : table.accuracy(i);
                if (budgets.accuracyHard() && budgets.minAccuracy() > 0 && acc < budgets.minAccuracy()) {
                    continue;
                }
                if (budgets.bytesHard() && table.uplinkBytes(i) + table.downlinkBytes(i) > budgets.bytesPerInference()) {
                    continue;
                }
            }
            out[n++] = i;
        }
        return Arrays.copyOf(out, n);
    }

    /** The cost the oracle minimizes, for one realized request (see the class comment). */
    double cost(int entry, RealizedCost rc, boolean fallback) {
        Objective o = budgets.objective();
        double latency = rc.latencyMillis();
        double energy = rc.energyMillijoules();
        double accuracy = table.accuracy(entry);
        double c = o.score(latency, Double.isNaN(energy) ? (o.kind() == Objective.Kind.MIN_ENERGY ? 1e12 : 0) : energy,
                rc.bytes(), accuracy);
        if (o.kind() != Objective.Kind.MIN_LATENCY) {
            c += penalty(latency / budgets.deadlineMillis() - 1, budgets.deadlineHard());
        }
        if (o.kind() != Objective.Kind.MIN_ENERGY && !Double.isInfinite(budgets.energyMillijoules())) {
            double e = Double.isNaN(energy) ? Double.POSITIVE_INFINITY : energy;
            c += penalty(Math.min(e / budgets.energyMillijoules() - 1, 1e6), budgets.energyHard());
        }
        if (budgets.bytesPerInference() != Long.MAX_VALUE && (fallback || !budgets.bytesHard())) {
            c += penalty((double) (table.uplinkBytes(entry) + table.downlinkBytes(entry)) / budgets.bytesPerInference()
                    - 1, budgets.bytesHard());
        }
        if (budgets.minAccuracy() > 0 && (fallback || !budgets.accuracyHard())) {
            double acc = Double.isNaN(accuracy) ? 0 : accuracy;
            c += penalty((budgets.minAccuracy() - acc) / budgets.minAccuracy(), budgets.accuracyHard());
        }
        return c;
    }

    private static double penalty(double over, boolean hard) {
        if (!(over > 0)) {
            return 0;
        }
        return hard ? HARD_PENALTY * (1 + over) : Budgets.SOFT_PENALTY * over;
    }

    @Override
    public PlanOutcome choose(int request, double nowMillis) {
        int entry = choice[request];
        RealizedCost rc = realized;
        context.realize(request, entry, connectedAt[request], rc);
        int violations = 0;
        if (rc.latencyMillis() > budgets.deadlineMillis() && budgets.deadlineHard()) {
            violations |= Budget.DEADLINE.bit();
        }
        if (rc.energyMillijoules() > budgets.energyMillijoules() && budgets.energyHard()) {
            violations |= Budget.ENERGY.bit();
        }
        return out.set(table.plan(entry), rc.latencyMillis(), rc.energyMillijoules(), rc.bytes(), table.accuracy(entry),
                violations, cost(entry, rc, false));
    }

    /** Checks that the simulator realized exactly what the oracle planned with. */
    @Override
    public void onCompleted(CompletedRequest r) {
        double expected = predictedLatency[r.request()];
        if (mismatch == null && Math.abs(r.latencyMillis() - expected) > 1e-6 * Math.max(1, expected)) {
            mismatch = String.format(Locale.ROOT, "request %d: the oracle planned %.6f ms, the run took %.6f ms",
                    r.request(), expected, r.latencyMillis());
        }
    }

    @Override
    public void finished() {
        if (mismatch != null) {
            throw new IllegalStateException("oracle: the simulation did not realize what the oracle saw: " + mismatch);
        }
    }

    /** The cost and next state of every allowed plan for one request and one radio state. */
    private final class Options {
        double statelessCost;
        int statelessEntry;
        final int[] groupM;
        final double[] groupCost;
        final int[] groupEntry;
        int groups;

        Options(int entries) {
            groupM = new int[entries];
            groupCost = new double[entries];
            groupEntry = new int[entries];
        }

        void fill(PolicyContext context, int k, boolean connected, int[] entries, boolean[] onTracked, double[] starts,
                double tail, boolean fallback, RealizedCost rc) {
            statelessCost = Double.POSITIVE_INFINITY;
            statelessEntry = -1;
            groups = 0;
            for (int j = 0; j < entries.length; j++) {
                int e = entries[j];
                context.realize(k, e, connected, rc);
                double c = cost(e, rc, fallback);
                if (!onTracked[j]) {
                    if (c < statelessCost) {
                        statelessCost = c;
                        statelessEntry = e;
                    }
                    continue;
                }
                int m = lastAtOrBefore(starts, starts[k] + rc.latencyMillis() + tail);
                int g = 0;
                while (g < groups && groupM[g] != m) {
                    g++;
                }
                if (g == groups) {
                    groupM[g] = m;
                    groupCost[g] = c;
                    groupEntry[g] = e;
                    groups++;
                } else if (c < groupCost[g]) {
                    groupCost[g] = c;
                    groupEntry[g] = e;
                }
            }
        }
    }

    /** The largest index whose start is at or before {@code millis} (starts are sorted). */
    private static int lastAtOrBefore(double[] starts, double millis) {
        int lo = 0;
        int hi = starts.length - 1;
        if (starts[0] > millis) {
            return -1;
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= millis) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The states before one request: radio horizon m (at least the request's index - 1, which stands
     * for "idle"), best cost so far, back pointer into the previous layer, plan chosen last.
     */
    private static final class Layer {
        private final int base;
        // small at first: a run keeps one layer per request
        private int[] slot = new int[4];
        int[] m = new int[2];
        double[] cost = new double[2];
        int[] back = new int[2];
        int[] pick = new int[2];
        int size;

        /** @param base the smallest horizon a state of this layer can have */
        Layer(int base) {
            this.base = base;
        }

        void relax(int state, double c, int b, int p) {
            int idx = state - base;
            if (idx >= slot.length) {
                slot = Arrays.copyOf(slot, Math.max(idx + 1, slot.length * 2));
            }
            int i = slot[idx] - 1;
            if (i >= 0) {
                if (c < cost[i]) {
                    cost[i] = c;
                    back[i] = b;
                    pick[i] = p;
                }
                return;
            }
            if (size == m.length) {
                int cap = size * 2;
                m = Arrays.copyOf(m, cap);
                cost = Arrays.copyOf(cost, cap);
                back = Arrays.copyOf(back, cap);
                pick = Arrays.copyOf(pick, cap);
            }
            m[size] = state;
            cost[size] = c;
            back[size] = b;
            pick[size] = p;
            slot[idx] = ++size;
        }
    }
}
