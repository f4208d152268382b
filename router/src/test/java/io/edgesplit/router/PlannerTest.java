package io.edgesplit.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.profile.RadioPowerModel;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlannerTest {

    private static CostTable table;
    private final Planner planner = new Planner();

    @BeforeAll
    static void build() {
        table = RouterFixtures.table();
    }

    private static Estimates conditions(double edgeUpMbps, double cloudUpMbps) {
        return Estimates.builder(3)
                .link(1, edgeUpMbps * 1e6, 50e6, 10)
                .link(2, cloudUpMbps * 1e6, 20e6, 60)
                .requestIntervalMillis(1000)
                .radioIdleMillis(0)
                .build();
    }

    @Test
    void tableHoldsOneLocalPlanPerVariantAndEveryRemoteCombination() {
        int local = 0;
        for (int i = 0; i < table.size(); i++) {
            local += table.plan(i).isLocal() ? 1 : 0;
        }
        assertEquals(2, local);
        var pkg = RouterFixtures.syntheticPackage();
        int splits = pkg.variants().stream().mapToInt(v -> v.splits().size() - 1).sum();
        assertEquals(2 + splits * 2 /* targets */ * 3 /* codecs */, table.size());
    }

    @Test
    void fastLinkAndFastServerOffload() {
        PlanOutcome out = planner.plan(table, conditions(500, 0.1), Budgets.UNLIMITED, -1, new PlanOutcome());
        assertEquals("edge", out.plan().target().id(), out.toString());
        assertTrue(out.feasible());
    }

    @Test
    void slowLinksKeepEverythingLocal() {
        PlanOutcome out = planner.plan(table, conditions(0.05, 0.05), Budgets.UNLIMITED, -1, new PlanOutcome());
        assertTrue(out.plan().isLocal(), out.toString());
    }

    @Test
    void predictedLatencyOfARemotePlanAddsEveryStage() {
        Estimates c = conditions(10, 1);
        int e = firstRemote(1);
        PlanOutcome out = new PlanOutcome();
        Planner.Eval ev = out.scratch;
        assertTrue(Planner.evaluate(table, e, c, Budgets.UNLIMITED, ev));
        double expected = table.headMillis(e) + table.codecMillis(e) + 10 /* rtt */ + table.tailMillis(e)
                + table.uplinkBytes(e) * 8000.0 / 10e6 + table.downlinkBytes(e) * 8000.0 / 50e6;
        assertEquals(expected, ev.latency, 1e-9);
    }

    @Test
    void radioEnergyFollowsTheHuangModelWithPromotionWhenIdle() {
        int e = firstRemote(2); // the cloud, over LTE
        RadioPowerModel lte = table.radio(2);
        Estimates busy = conditions(10, 2);
        Estimates idle = busy.toBuilder().radioIdleMillis(60_000).build();
        Planner.Eval a = new Planner.Eval();
        Planner.Eval b = new Planner.Eval();
        Planner.evaluate(table, e, busy, Budgets.UNLIMITED, a);
        Planner.evaluate(table, e, idle, Budgets.UNLIMITED, b);
        assertEquals(lte.promotionTimeMillis(), b.latency - a.latency, 1e-9);
        assertEquals(lte.promotionTimeMillis() * lte.promotionPowerMilliwatts() / 1000, b.energy - a.energy, 1e-9);
        double upMs = table.uplinkBytes(e) * 8000.0 / 2e6;
        double downMs = table.downlinkBytes(e) * 8000.0 / 20e6;
        double waitMs = 60 + table.tailMillis(e);
        double expected = table.computeMillijoules(e)
                + upMs * (lte.alphaUpMilliwattsPerMbps() * 2 + lte.betaMilliwatts()) / 1000
                + downMs * (lte.alphaDownMilliwattsPerMbps() * 20 + lte.betaMilliwatts()) / 1000
                + waitMs * lte.betaMilliwatts() / 1000
                + Math.min(1000, lte.tailTimeMillis()) * lte.tailPowerMilliwatts() / 1000;
        assertEquals(expected, a.energy, 1e-9);
    }

    @Test
    void impossibleDeadlineGivesBestEffortNamingTheBudget() {
        Budgets b = Budgets.builder().deadlineMillis(0.001, true).build();
        PlanOutcome out = planner.plan(table, conditions(10, 1), b, -1, new PlanOutcome());
        assertFalse(out.feasible());
        assertEquals("deadline", Budget.describe(out.violations()));
        assertTrue(out.toString().contains("INFEASIBLE (deadline)"), out.toString());
    }

    @Test
    void softDeadlineIsAPenaltyNotAnExclusion() {
        Budgets b = Budgets.builder().deadlineMillis(0.001, false).build();
        PlanOutcome out = planner.plan(table, conditions(10, 1), b, -1, new PlanOutcome());
        assertTrue(out.feasible());
    }

    @Test
    void privacyNeverSendsRawInputAndHonoursSplitDepth() {
        Estimates fast = conditions(1000, 1000);
        PlanOutcome free = planner.plan(table, fast, Budgets.UNLIMITED, -1, new PlanOutcome());
        assertTrue(free.plan().sendsRawInput(), "with a very fast link, sending the input is best: " + free);
        PlanOutcome priv = planner.plan(table, fast, Budgets.builder().neverSendRawInput(true).build(), -1,
                new PlanOutcome());
        assertFalse(priv.plan().sendsRawInput(), priv.toString());
        PlanOutcome deep = planner.plan(table, fast, Budgets.builder().minSplitDepth(10).build(), -1, new PlanOutcome());
        assertTrue(deep.plan().headOperators() >= 10, deep.toString());
    }

    @Test
    void accuracyBudgetExcludesTheNarrowVariant() {
        PlanOutcome narrow = planner.plan(table, conditions(0.05, 0.05), Budgets.UNLIMITED, -1, new PlanOutcome());
        assertEquals("w0.50", narrow.plan().variantId(), "slow links: the narrow variant is fastest");
        PlanOutcome accurate = planner.plan(table, conditions(0.05, 0.05),
                Budgets.builder().minAccuracy(0.7, true).build(), -1, new PlanOutcome());
        assertEquals("w1.00", accurate.plan().variantId());
        PlanOutcome most = planner.plan(table, conditions(0.05, 0.05),
                Budgets.builder().objective(Objective.MAX_ACCURACY).build(), -1, new PlanOutcome());
        assertEquals(0.75, most.accuracy());
    }

    @Test
    void unavailableTargetIsNeverChosen() {
        Estimates down = conditions(500, 0.1).toBuilder().available(1, false).build();
        PlanOutcome out = planner.plan(table, down, Budgets.UNLIMITED, -1, new PlanOutcome());
        assertNotEquals("edge", out.plan().target().id());
    }

    @Test
    void failuresMakeATargetLessAttractive() {
        int e = firstRemote(1);
        Planner.Eval ok = new Planner.Eval();
        Planner.Eval flaky = new Planner.Eval();
        Planner.evaluate(table, e, conditions(10, 1), Budgets.UNLIMITED, ok);
        Planner.evaluate(table, e, conditions(10, 1).toBuilder().failureRate(1, 0.5).build(), Budgets.UNLIMITED, flaky);
        assertEquals(ok.latency + 0.5 * table.fallbackMillis[e], flaky.latency, 1e-9);
        // the fallback's energy is expected too: a flaky target is no bargain for a battery
        assertTrue(table.deviceActiveWatts > 0);
        assertEquals(ok.energy + 0.5 * table.fallbackMillis[e] * table.deviceActiveWatts, flaky.energy, 1e-9);
    }

    @Test
    void underAnEnergyObjectiveAFlakyTargetLosesToTheDevice() {
        Budgets minEnergy = Budgets.builder().objective(Objective.MIN_ENERGY).build();
        Estimates fast = conditions(500, 0.1);
        PlanOutcome healthy = planner.plan(table, fast, minEnergy, -1, new PlanOutcome());
        assertFalse(healthy.plan().isLocal(), "a fast, healthy edge saves energy: " + healthy);
        Estimates failing = fast.toBuilder().failureRate(healthy.plan().targetIndex(), 0.9).build();
        PlanOutcome flaky = planner.plan(table, failing, minEnergy, -1, new PlanOutcome());
        assertNotEquals(healthy.plan().target().id(), flaky.plan().target().id(),
                "9 requests in 10 fall back: offloading there costs the head, the radio and the local run: " + flaky);
    }

    @Test
    void plansToATargetUseOnlyTheCodecsItsTransportCarries() {
        var phone = RouterFixtures.profile("pixel-4");
        CostTable restricted = new CostTableBuilder(RouterFixtures.syntheticPackage().manifest(), phone)
                .addTarget(Target.edge("edge", RouterFixtures.profile("x86-edge-server"), "wifi"))
                .addTarget(Target.cloud("oip", RouterFixtures.profile("cloud-gpu-server"), "lte"), "raw"::equals)
                .latencyModel(RouterFixtures.LINEAR).build();
        java.util.Set<String> edgeCodecs = new java.util.TreeSet<>();
        java.util.Set<String> cloudCodecs = new java.util.TreeSet<>();
        for (int i = 0; i < restricted.size(); i++) {
            Plan p = restricted.plan(i);
            if (p.targetIndex() == 1) {
                edgeCodecs.add(p.codec());
            } else if (p.targetIndex() == 2) {
                cloudCodecs.add(p.codec());
            }
        }
        assertEquals(new java.util.TreeSet<>(RouterFixtures.syntheticPackage().manifest().codecs()), edgeCodecs);
        assertEquals(java.util.Set.of("raw"), cloudCodecs, "the cloud target sends tensors as they are");

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new CostTableBuilder(RouterFixtures.syntheticPackage().manifest(), phone).codecs(List.of("int8"))
                        .addTarget(Target.cloud("oip", RouterFixtures.profile("cloud-gpu-server"), "lte"), "raw"::equals)
                        .build());
        assertTrue(none.getMessage().contains("oip") && none.getMessage().contains("[int8]"), none.getMessage());
    }

    @ParameterizedTest(name = "edge uplink {0} Mbit/s then {1} Mbit/s: switch = {2}")
    @CsvSource({"200, 210, false", "200, 190, false", "200, 0.05, true", "0.05, 200, true"})
    void hysteresisIgnoresNoiseButFollowsRealChange(double before, double after, boolean switches) {
        PlanOutcome first = planner.plan(table, conditions(before, 0.1), Budgets.UNLIMITED, -1, new PlanOutcome());
        PlanOutcome second = planner.plan(table, conditions(after, 0.1), Budgets.UNLIMITED, first.entry(),
                new PlanOutcome());
        assertEquals(switches, second.entry() != first.entry(), first + " -> " + second);
    }

    @Test
    void explainListsTheChoiceFirstThenRunnersUp() {
        List<PlanOutcome> ranked = planner.explain(table, conditions(10, 1), Budgets.UNLIMITED, -1, 5);
        assertEquals(5, ranked.size());
        PlanOutcome chosen = planner.plan(table, conditions(10, 1), Budgets.UNLIMITED, -1, new PlanOutcome());
        assertEquals(chosen.entry(), ranked.get(0).entry());
        for (int i = 2; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).score() <= ranked.get(i).score());
        }
    }

    /** The edge at 500 Mbit/s, the cloud out of planning: the edge's best plan beats the device's. */
    private static Estimates edgeOnly() {
        return conditions(500, 1).toBuilder().available(2, false).build();
    }

    /** pixel-4 over wifi to the edge, as {@link RouterFixtures#table()}, with a fixed fallback reserve. */
    private static CostTable tableWithReserve(double reserveMillis) {
        return new CostTableBuilder(RouterFixtures.syntheticPackage().manifest(), RouterFixtures.profile("pixel-4"))
                .addTarget(Target.edge("edge", RouterFixtures.profile("x86-edge-server"), "wifi"))
                .addTarget(Target.cloud("cloud", RouterFixtures.profile("cloud-gpu-server"), "lte"))
                .latencyModel(RouterFixtures.LINEAR).fallbackReserve(0, reserveMillis).build();
    }

    @Test
    void theDefaultReserveIsTheVariantsLocalRunWithMarginAndTheSameForAllItsPlans() {
        for (int i = 0; i < table.size(); i++) {
            assertEquals(1.5 * table.fallbackMillis(i) + 5, table.fallbackReserveMillis(i), 1e-9, table.plan(i).describe());
            assertTrue(table.fallbackReserveMillis(i) > 5);
        }
        CostTable fixed = tableWithReserve(42);
        for (int i = 0; i < fixed.size(); i++) {
            assertEquals(42, fixed.fallbackReserveMillis(i), 0);
        }
        assertEquals("fallbackReserve factor: must be >= 0 and finite, was -1.0", assertThrows(
                IllegalArgumentException.class, () -> new CostTableBuilder(RouterFixtures.syntheticPackage().manifest(),
                        RouterFixtures.profile("pixel-4")).fallbackReserve(-1, 5)).getMessage());
    }

    /**
     * The executor cuts a remote attempt at deadline - reserve: a remote plan predicted to answer after
     * that is rejected in favour of the device, one predicted well before it is chosen, and a local
     * plan keeps the whole deadline.
     */
    @Test
    void remotePlansAreHeldToTheDeadlineLessTheFallbackReserveAndLocalPlansToTheDeadline() {
        Estimates c = edgeOnly();
        PlanOutcome remote = planner.plan(table, c, Budgets.UNLIMITED, -1, new PlanOutcome(), 1);
        PlanOutcome local = planner.plan(table, c, Budgets.UNLIMITED, -1, new PlanOutcome(), 0);
        double p = remote.latencyMillis(); // the fastest remote plan: every remote plan answers at p or later
        double l = local.latencyMillis();
        assertTrue(p < l, "the fixture: offloading is faster than the device (" + p + " < " + l + ")");
        double reserve = 2 * (l - p) + 10;
        CostTable reserved = tableWithReserve(reserve);

        // predicted at deadline - reserve/2: inside the reserve, cut by the executor; the device fits
        Budgets inside = Budgets.builder().deadlineMillis(p + reserve / 2, true).build();
        PlanOutcome out = planner.plan(reserved, c, inside, -1, new PlanOutcome());
        assertTrue(out.plan().isLocal(), "a remote plan predicted inside the reserve is not chosen: " + out);
        assertTrue(out.feasible(), out.toString());
        assertEquals(l, out.latencyMillis(), 1e-9);
        PlanOutcome predicted = planner.predict(reserved, remote.entry(), c, inside, new PlanOutcome());
        assertEquals(Budget.DEADLINE.bit(), predicted.violations(), "before the deadline, after the cut-off: " + predicted);
        // nor kept by hysteresis when it was the previous choice
        assertTrue(planner.plan(reserved, c, inside, remote.entry(), new PlanOutcome()).plan().isLocal());

        // predicted at deadline - 2 x reserve: the offload has time, and it is faster
        Budgets ample = Budgets.builder().deadlineMillis(p + 2 * reserve, true).build();
        out = planner.plan(reserved, c, ample, -1, new PlanOutcome());
        assertEquals(remote.entry(), out.entry(), out.toString());
        assertTrue(out.feasible(), out.toString());

        // a local plan predicted just under the deadline stays feasible: the reserve is not its business
        Budgets tight = Budgets.builder().deadlineMillis(l + 1e-6, true).build();
        out = planner.plan(reserved, c, tight, -1, new PlanOutcome());
        assertTrue(out.plan().isLocal() && out.feasible(), out.toString());
        assertEquals(local.entry(), out.entry());
    }

    @Test
    void aSoftDeadlinePenalizesARemotePlanInsideTheReserve() {
        Estimates c = edgeOnly();
        PlanOutcome remote = planner.plan(table, c, Budgets.UNLIMITED, -1, new PlanOutcome(), 1);
        double p = remote.latencyMillis();
        double reserve = 50;
        Budgets soft = Budgets.builder().deadlineMillis(p + reserve / 2, false).build();
        PlanOutcome inside = planner.predict(tableWithReserve(reserve), remote.entry(), c, soft, new PlanOutcome());
        PlanOutcome before = planner.predict(tableWithReserve(0), remote.entry(), c, soft, new PlanOutcome());
        assertEquals(before.score() + Budgets.SOFT_PENALTY * (reserve / 2) / (p + reserve / 2), inside.score(), 1e-6);
        assertEquals(0, inside.violations());
    }

    @Test
    void planningAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Estimates c = conditions(10, 1);
        PlanOutcome out = new PlanOutcome();
        Budgets b = Budgets.builder().deadlineMillis(200, true).build();
        int prev = -1;
        for (int i = 0; i < 20_000; i++) {
            prev = planner.plan(table, c, b, prev, out).entry();
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1000; i++) {
            prev = planner.plan(table, c, b, prev, out).entry();
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(0, allocated, "bytes allocated by 1000 plan() calls");
    }

    @Test
    void budgetsAndObjectivesValidateTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Budgets.builder().deadlineMillis(-5, true));
        assertEquals("deadlineMillis: must be > 0, was -5.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Objective.parse("fastest"));
        assertTrue(e.getMessage().startsWith("objective: 'fastest' is not one of latency, energy, accuracy"));
        assertEquals(Objective.Kind.WEIGHTED, Objective.parse("weighted:1,0.5,0,10").kind());
    }

    @Test
    void predictGivesAnyPlansFiguresAndFlagsPrivacyInsteadOfSkippingIt() {
        Estimates c = conditions(10, 1);
        int raw = -1;
        for (int i = 0; i < table.size() && raw < 0; i++) {
            raw = table.plan(i).sendsRawInput() ? i : -1;
        }
        Budgets privacy = Budgets.builder().neverSendRawInput(true).build();
        PlanOutcome p = planner.predict(table, raw, c, privacy, new PlanOutcome());
        assertEquals(Budget.PRIVACY.bit(), p.violations());
        Planner.Eval e = new Planner.Eval();
        assertFalse(Planner.evaluate(table, raw, c, privacy, e), "the planner itself never considers it");
        assertTrue(Planner.evaluate(table, raw, c, Budgets.UNLIMITED, e));
        assertEquals(e.latency, p.latencyMillis(), 1e-12);
        assertEquals(e.energy, p.energyMillijoules(), 1e-12);
        assertEquals("entry: must be 0.." + (table.size() - 1) + ", was -1", assertThrows(IllegalArgumentException.class,
                () -> planner.predict(table, -1, c, privacy, new PlanOutcome())).getMessage());
    }

    private static int firstRemote(int target) {
        for (int i = 0; i < table.size(); i++) {
            if (table.target[i] == target && !table.plan(i).sendsRawInput() && table.plan(i).codec().equals("raw")) {
                return i;
            }
        }
        throw new AssertionError("no remote plan for target " + target);
    }
}
