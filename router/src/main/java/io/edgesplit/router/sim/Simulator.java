package io.edgesplit.router.sim;

import io.edgesplit.common.ProgressListener;
import io.edgesplit.profile.RadioPowerModel;
import io.edgesplit.router.Budget;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.Estimates;
import io.edgesplit.router.Plan;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.RadioEnergy;
import io.edgesplit.router.policy.CompletedRequest;
import io.edgesplit.router.policy.PlannerPolicy;
import io.edgesplit.router.policy.PolicyContext;
import io.edgesplit.router.policy.RealizedCost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Replays bandwidth traces against routing policies: requests arrive at a rate on a virtual clock,
 * each policy chooses a plan for each, and the traces decide what the plan costs. Deterministic: the
 * same setup and seed give the same report. Reads no clock.
 *
 * <h2>What a request costs</h2>
 * A local plan costs what the cost table says (the device does not depend on the network). A remote
 * plan: head + codec on the device; a radio promotion when the request finds the radio idle (no
 * transfer for longer than its tail time); the uplink transfer serialized at the uplink trace's rate
 * from the moment it starts (with retransmissions when the link loses packets); the RTT; the target's
 * queue (a constant, default 0); the tail on the target; the downlink transfer at the downlink trace's
 * rate. Device energy follows the same Huang et al. radio model the planner predicts with, on the
 * realized transfer times and throughputs: compute energy of the head, promotion energy, transfer
 * power {@code alpha * Mbps + beta} while sending and receiving, {@code beta} while waiting, and the
 * share of the radio's tail a request owns before the next one ({@code min(interval, tail time)}).
 * Requests do not contend for the device, the link or the server.
 *
 * <h2>What policies learn</h2>
 * A policy hears of a request when it finishes on the virtual clock ({@link PlannerPolicy#onCompleted}),
 * before it plans any request that starts later; so a slow transfer teaches it late, as on a device.
 */
public final class Simulator {

    /** At most this many requests per run. */
    public static final int MAX_REQUESTS = 5_000_000;

    private final CostTable table;
    private final Budgets budgets;
    private final Planner planner;
    private final LinkModel[] links;
    private final double[] queueMillis;
    private final double[] starts;
    private final double intervalMillis;
    private final long seed;
    private final ProgressListener progress;
    private final int[] radioOfTarget;
    private final RadioPowerModel[] radios;
    private final List<String> radioNames;
    private final Map<String, String> setup;
    private final double durationMillis;
    private final double requestsPerSecond;
    private final boolean poisson;

    private Simulator(Builder b) {
        table = b.table;
        budgets = b.budgets;
        planner = b.planner;
        int n = table.targets().size();
        links = new LinkModel[n];
        queueMillis = b.queueMillis.clone();
        for (int t = 1; t < n; t++) {
            BandwidthTrace up = b.uplink;
            BandwidthTrace down = b.downlink;
            double rtt = Double.isNaN(b.rttMillis[t]) ? table.nominalRttMillis(t) : b.rttMillis[t];
            links[t] = new LinkModel(up, down, rtt, b.lossRate, LinkModel.DEFAULT_MTU_BYTES);
        }
        seed = b.seed;
        progress = b.progress;
        intervalMillis = 1000.0 / b.requestsPerSecond;
        durationMillis = b.durationMillis;
        requestsPerSecond = b.requestsPerSecond;
        poisson = b.poisson;
        starts = schedule(b.durationMillis, intervalMillis, b.poisson, b.seed);
        radioOfTarget = new int[n];
        radioOfTarget[0] = -1;
        List<String> names = new ArrayList<>();
        List<RadioPowerModel> models = new ArrayList<>();
        for (int t = 1; t < n; t++) {
            String link = table.targets().get(t).linkName();
            int r = names.indexOf(link);
            if (r < 0) {
                r = names.size();
                names.add(link);
                models.add(table.radio(t));
            }
            radioOfTarget[t] = r;
        }
        radioNames = Collections.unmodifiableList(names);
        radios = models.toArray(new RadioPowerModel[0]);
        setup = new LinkedHashMap<>(b.setup);
    }

    private static double[] schedule(double durationMillis, double intervalMillis, boolean poisson, long seed) {
        if (!poisson) {
            long n = (long) Math.ceil(durationMillis / intervalMillis);
            if (n > MAX_REQUESTS) {
                throw new IllegalArgumentException("requests: " + n + " in the run, more than " + MAX_REQUESTS
                        + "; lower the rate or the duration");
            }
            double[] s = new double[(int) n];
            for (int k = 0; k < n; k++) {
                s[k] = k * intervalMillis;
            }
            return s;
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] s = new double[64];
        int n = 0;
        double t = 0;
        while (t < durationMillis) {
            if (n == MAX_REQUESTS) {
                throw new IllegalArgumentException("requests: more than " + MAX_REQUESTS
                        + " in the run; lower the rate or the duration");
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
            }
            s[n++] = t;
            t += -Math.log(1 - random.nextDouble()) * intervalMillis;
        }
        return Arrays.copyOf(s, n);
    }

    public static Builder builder(CostTable table) {
        return new Builder(table);
    }

    public int requestCount() {
        return starts.length;
    }

    public double requestStartMillis(int k) {
        return starts[k];
    }

    /** The link model of remote target {@code t} (1..). */
    public LinkModel link(int t) {
        return links[t];
    }

    /**
     * Runs every policy over the whole request schedule (one after the other, each from a fresh
     * start) and reports.
     *
     * @throws IllegalStateException when a policy chooses no plan or breaks its own invariants
     */
    public SimulationReport run(List<PlannerPolicy> policies) {
        List<PolicyStats> stats = new ArrayList<>();
        Map<String, List<RequestRecord>> records = new LinkedHashMap<>();
        long total = (long) policies.size() * starts.length;
        for (int p = 0; p < policies.size(); p++) {
            PlannerPolicy policy = policies.get(p);
            if (records.containsKey(policy.name())) {
                throw new IllegalArgumentException("policies: '" + policy.name() + "' is listed twice");
            }
            List<RequestRecord> rs = runOne(policy, (long) p * starts.length, total);
            records.put(policy.name(), rs);
            stats.add(PolicyStats.of(policy.name(), rs, budgets));
        }
        progress.onProgress("simulate", total, total);
        return new SimulationReport(setup, this, stats, records);
    }

    private List<RequestRecord> runOne(PlannerPolicy policy, long doneBefore, long total) {
        Context context = new Context();
        policy.start(context);
        PriorityQueue<CompletedRequest> pending = new PriorityQueue<>((a, b) -> a.endMillis() != b.endMillis()
                ? Double.compare(a.endMillis(), b.endMillis()) : Integer.compare(a.request(), b.request()));
        double[] radioLastEnd = new double[radios.length];
        Arrays.fill(radioLastEnd, Double.NEGATIVE_INFINITY);
        RealizedCost cost = new RealizedCost();
        List<RequestRecord> out = new ArrayList<>(starts.length);
        int previous = -1;
        for (int k = 0; k < starts.length; k++) {
            double now = starts[k];
            while (!pending.isEmpty() && pending.peek().endMillis() <= now) {
                policy.onCompleted(pending.poll());
            }
            PlanOutcome choice = policy.choose(k, now);
            if (choice == null || choice.plan() == null) {
                throw new IllegalStateException("policy " + policy.name() + " chose no plan for request " + k);
            }
            int entry = choice.entry();
            Plan plan = table.plan(entry);
            int t = plan.targetIndex();
            int radio = radioOfTarget[t];
            boolean connected = radio < 0 || now <= radioLastEnd[radio] + tailMillis(radio);
            realize(k, entry, connected, cost);
            double end = now + cost.latencyMillis();
            if (radio >= 0) {
                radioLastEnd[radio] = Math.max(radioLastEnd[radio], end);
            }
            pending.add(new CompletedRequest(k, entry, t, now, end, cost.uplinkBytes(), cost.uplinkMillis(),
                    cost.downlinkBytes(), cost.downlinkMillis(), t == 0 ? Double.NaN : links[t].rttMillis(),
                    t == 0 ? Double.NaN : queueMillis[t]));
            out.add(new RequestRecord(k, now, plan, choice.latencyMillis(), cost.latencyMillis(),
                    cost.energyMillijoules(), cost.bytes(), table.accuracy(entry),
                    !(cost.latencyMillis() > budgets.deadlineMillis()), violations(entry, cost),
                    previous >= 0 && previous != entry,
                    t == 0 ? Double.NaN : links[t].uplink().bitsPerSecondAt(now)));
            previous = entry;
            if ((k & 255) == 0) {
                progress.onProgress("simulate", doneBefore + k, total);
            }
        }
        while (!pending.isEmpty()) {
            policy.onCompleted(pending.poll());
        }
        policy.finished();
        return out;
    }

    /** Budgets (hard or soft) the realized request went over. */
    private int violations(int entry, RealizedCost c) {
        int v = 0;
        if (c.latencyMillis() > budgets.deadlineMillis()) {
            v |= Budget.DEADLINE.bit();
        }
        if (!Double.isInfinite(budgets.energyMillijoules())
                && !(c.energyMillijoules() <= budgets.energyMillijoules())) {
            v |= Budget.ENERGY.bit();
        }
        if (c.bytes() > budgets.bytesPerInference()) {
            v |= Budget.BYTES.bit();
        }
        double acc = table.accuracy(entry);
        if (budgets.minAccuracy() > 0 && !(acc >= budgets.minAccuracy())) {
            v |= Budget.ACCURACY.bit();
        }
        Plan p = table.plan(entry);
        if (!p.isLocal() && ((budgets.neverSendRawInput() && p.sendsRawInput())
                || p.headOperators() < budgets.minSplitDepth())) {
            v |= Budget.PRIVACY.bit();
        }
        return v;
    }

    private double tailMillis(int radio) {
        return radios[radio] == null ? 0 : radios[radio].tailTimeMillis();
    }

    /** See the class comment. */
    void realize(int k, int entry, boolean connected, RealizedCost out) {
        double start = starts[k];
        int t = table.plan(entry).targetIndex();
        if (t == 0) {
            out.set(table.headMillis(entry), table.computeMillijoules(entry), 0, 0, 0, 0);
            return;
        }
        LinkModel link = links[t];
        RadioPowerModel radio = table.radio(t);
        double promotion = !connected && radio != null ? radio.promotionTimeMillis() : 0;
        double upStart = start + table.headMillis(entry) + table.codecMillis(entry) + promotion;
        LinkModel.Transfer transfer = new LinkModel.Transfer();
        link.send(true, upStart, table.uplinkBytes(entry), mix(seed, k, t, 0), transfer);
        double upEnd = transfer.endMillis();
        long upWire = transfer.wireBytes();
        double wait = link.rttMillis() + queueMillis[t] + table.tailMillis(entry);
        double downStart = upEnd + wait;
        link.send(false, downStart, table.downlinkBytes(entry), mix(seed, k, t, 1), transfer);
        double downEnd = transfer.endMillis();
        long downWire = transfer.wireBytes();
        double upMillis = upEnd - upStart;
        double downMillis = downEnd - downStart;
        double energy;
        if (radio == null) {
            energy = Double.NaN;
        } else {
            double upMbps = upMillis > 0 ? upWire * 8.0 / upMillis / 1000 : 0;
            double downMbps = downMillis > 0 ? downWire * 8.0 / downMillis / 1000 : 0;
            energy = table.computeMillijoules(entry) + RadioEnergy.millijoules(radio, promotion, upMillis, upMbps,
                    downMillis, downMbps, wait, intervalMillis);
        }
        out.set(downEnd - start, energy, upWire, upMillis, downWire, downMillis);
    }

    /** A seed for one transfer's loss draws: the same request and direction lose the same packets in every policy. */
    private static long mix(long seed, int request, int target, int direction) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + request * 4L + direction) + 0xBF58476D1CE4E5B9L * target;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The trace-mean conditions a static policy assumes. */
    Estimates meanConditions() {
        Estimates.Builder b = Estimates.builder(table.targets().size());
        for (int t = 1; t < table.targets().size(); t++) {
            b.link(t, links[t].uplink().meanBitsPerSecond(), links[t].downlink().meanBitsPerSecond(),
                    links[t].rttMillis());
            b.queueMillis(t, queueMillis[t]);
        }
        return b.radioIdleMillis(intervalMillis).requestIntervalMillis(intervalMillis).build();
    }

    CostTable table() {
        return table;
    }

    Budgets budgets() {
        return budgets;
    }

    double durationMillis() {
        return durationMillis;
    }

    double requestsPerSecond() {
        return requestsPerSecond;
    }

    boolean poisson() {
        return poisson;
    }

    long seed() {
        return seed;
    }

    List<String> radioNames() {
        return radioNames;
    }

    /** What the policies of a run may know. */
    private final class Context implements PolicyContext {
        private final Estimates mean = Simulator.this.meanConditions();

        @Override
        public CostTable table() {
            return table;
        }

        @Override
        public Budgets budgets() {
            return budgets;
        }

        @Override
        public Planner planner() {
            return planner;
        }

        @Override
        public int requestCount() {
            return starts.length;
        }

        @Override
        public double requestStartMillis(int request) {
            return starts[request];
        }

        @Override
        public double meanRequestIntervalMillis() {
            return intervalMillis;
        }

        @Override
        public Estimates meanConditions() {
            return mean;
        }

        @Override
        public int radioCount() {
            return radios.length;
        }

        @Override
        public int radioOf(int target) {
            return radioOfTarget[target];
        }

        @Override
        public boolean radioPromotes(int radio) {
            return radios[radio] != null && radios[radio].promotionTimeMillis() > 0;
        }

        @Override
        public double radioTailMillis(int radio) {
            return tailMillis(radio);
        }

        @Override
        public void realize(int request, int entry, boolean radioConnected, RealizedCost out) {
            Simulator.this.realize(request, entry, radioConnected, out);
        }

        @Override
        public ProgressListener progress() {
            return progress;
        }
    }

    /**
     * Builder for {@link Simulator}; every option is validated once and named in errors. Required: the
     * traces (when the table has remote targets). Defaults: no budgets, a planner with the default
     * hysteresis, each target's RTT from the device's link profile, no loss, no queue, 2 requests per
     * second at a fixed interval, one pass of the downlink trace, seed 1, no progress.
     */
    public static final class Builder {
        private final CostTable table;
        private Budgets budgets = Budgets.UNLIMITED;
        private Planner planner = new Planner();
        private BandwidthTrace uplink;
        private BandwidthTrace downlink;
        private final double[] rttMillis;
        private final double[] queueMillis;
        private double lossRate;
        private double requestsPerSecond = 2;
        private double durationMillis = Double.NaN;
        private boolean poisson;
        private long seed = 1;
        private ProgressListener progress = ProgressListener.NONE;
        private final Map<String, String> setup = new LinkedHashMap<>();

        private Builder(CostTable table) {
            this.table = Objects.requireNonNull(table, "table");
            rttMillis = new double[table.targets().size()];
            Arrays.fill(rttMillis, Double.NaN);
            queueMillis = new double[table.targets().size()];
        }

        public Builder budgets(Budgets budgets) {
            this.budgets = Objects.requireNonNull(budgets, "budgets");
            return this;
        }

        public Builder planner(Planner planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return this;
        }

        /** The device's access link: the same traces carry the transfers to every remote target. */
        public Builder traces(BandwidthTrace uplink, BandwidthTrace downlink) {
            this.uplink = Objects.requireNonNull(uplink, "uplink");
            this.downlink = Objects.requireNonNull(downlink, "downlink");
            return this;
        }

        /** The RTT to every remote target (instead of the device's link profiles). */
        public Builder rttMillis(double ms) {
            for (int t = 1; t < rttMillis.length; t++) {
                rttMillis(t, ms);
            }
            return this;
        }

        /** The RTT to remote target {@code t}. */
        public Builder rttMillis(int t, double ms) {
            checkTarget(t);
            if (!(ms >= 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("rttMillis: must be finite and >= 0, was " + ms);
            }
            rttMillis[t] = ms;
            return this;
        }

        /** A constant wait in remote target {@code t}'s queue before its tail runs. */
        public Builder queueMillis(int t, double ms) {
            checkTarget(t);
            if (!(ms >= 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("queueMillis: must be finite and >= 0, was " + ms);
            }
            queueMillis[t] = ms;
            return this;
        }

        /** Probability that a packet is lost, in [0, 0.5]. */
        public Builder lossRate(double rate) {
            if (!(rate >= 0 && rate <= 0.5)) {
                throw new IllegalArgumentException("lossRate: must be in [0, 0.5], was " + rate);
            }
            this.lossRate = rate;
            return this;
        }

        public Builder requestsPerSecond(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("requestsPerSecond: must be finite and > 0, was " + rate);
            }
            this.requestsPerSecond = rate;
            return this;
        }

        /** Length of the run on the virtual clock (default: one pass of the downlink trace). */
        public Builder durationMillis(double ms) {
            if (!(ms > 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("durationMillis: must be finite and > 0, was " + ms);
            }
            this.durationMillis = ms;
            return this;
        }

        /** Poisson arrivals at the rate (seeded) instead of a fixed interval. */
        public Builder poissonArrivals(boolean poisson) {
            this.poisson = poisson;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** A line of the report's setup section ("package", "/tmp/syn"). */
        public Builder describe(String key, String value) {
            setup.put(Objects.requireNonNull(key, "key"), String.valueOf(value));
            return this;
        }

        private void checkTarget(int t) {
            if (t < 1 || t >= rttMillis.length) {
                throw new IllegalArgumentException("target: must be 1.." + (rttMillis.length - 1)
                        + " (0 is the device), was " + t);
            }
        }

        /**
         * @throws IllegalArgumentException when the table has remote targets but no traces were given, or
         *     the schedule holds more than {@link #MAX_REQUESTS} requests
         */
        public Simulator build() {
            if (uplink == null) {
                if (table.targets().size() > 1) {
                    throw new IllegalArgumentException("traces: the cost table has remote targets "
                            + table.targets().subList(1, table.targets().size()) + " but no bandwidth trace was given");
                }
                uplink = BandwidthTrace.constant("none", 1);
                downlink = uplink;
            }
            if (Double.isNaN(durationMillis)) {
                durationMillis = downlink.periodMillis();
            }
            return new Simulator(this);
        }
    }
}
