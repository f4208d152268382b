package io.edgesplit.router.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.CostTableBuilder;
import io.edgesplit.router.Estimates;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.Target;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EstimatorSetTest {

    private static CostTable table;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void build() {
        table = new CostTableBuilder(io.edgesplit.router.RouterTestAccess.syntheticPackage().manifest(),
                io.edgesplit.router.RouterTestAccess.profile("pixel-4"))
                .addTarget(Target.edge("edge", io.edgesplit.router.RouterTestAccess.profile("x86-edge-server"), "lte"))
                .build();
    }

    private EstimatorSet estimators() {
        return new EstimatorSet(table, now::get);
    }

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    /** A transfer of {@code bytes} at {@code mbps}. */
    private void upload(EstimatorSet e, long bytes, double mbps) {
        long nanos = (long) (bytes * 8 / (mbps * 1e6) * 1e9);
        advanceMillis(nanos / 1_000_000L);
        e.onUplink(1, bytes, nanos);
    }

    @Test
    void coldStartUsesTheProfilesNominalLink() {
        EstimatorSet e = estimators();
        assertEquals(5.9e6, e.uplinkBitsPerSecond(1), 1);
        assertEquals(5e6, e.downlinkBitsPerSecond(1), 1);
        assertEquals(60, e.rttMillis(1), 1e-9);
        assertEquals(0, e.uplinkSamples(1));
    }

    @Test
    void oneFastOutlierMovesTheEstimateLittle() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 4; i++) {
            upload(e, 200_000, 2);
        }
        upload(e, 200_000, 200); // a burst 100x faster
        assertEquals(2.5e6, e.uplinkBitsPerSecond(1), 0.1e6, "harmonic mean of 2,2,2,2,200 Mbit/s");
    }

    @Test
    void aSustainedDropIsFollowedWithinTheWindow() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 5; i++) {
            upload(e, 200_000, 10);
        }
        for (int i = 0; i < 5; i++) {
            upload(e, 200_000, 1);
        }
        assertEquals(1e6, e.uplinkBitsPerSecond(1), 1e3);
    }

    @Test
    void tinyTransfersSayNothingAboutBandwidth() {
        EstimatorSet e = estimators();
        e.onUplink(1, 100, 50_000_000L); // 100 bytes in 50 ms: latency, not bandwidth
        assertEquals(0, e.uplinkSamples(1));
        assertEquals(5.9e6, e.uplinkBitsPerSecond(1), 1);
    }

    @Test
    void oldMeasurementsRelaxTowardsNominalAfterAnIdleGap() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 5; i++) {
            upload(e, 200_000, 1);
        }
        double fresh = e.uplinkBitsPerSecond(1);
        advanceMillis(10_000 + 30_000); // stale threshold plus one half-life
        double halfway = e.uplinkBitsPerSecond(1);
        assertEquals((fresh + 5.9e6) / 2, halfway, 1e3);
        advanceMillis(600_000);
        assertEquals(5.9e6, e.uplinkBitsPerSecond(1), 1e3);
    }

    @Test
    void aTimeoutBoundsAnOptimisticEstimateByImputingHalfTheBound() {
        EstimatorSet e = estimators(); // nominal 5.9 Mbit/s
        // 200 kB not answered although the uplink part of the wait was 1 s: the link carried < 1.6 Mbit/s
        assertTrue(e.onUplinkTimeout(1, 200_000, 1_000_000_000L));
        assertEquals(0.8e6, e.uplinkBitsPerSecond(1), 1);
        assertEquals(1, e.uplinkSamples(1));
        assertEquals(1, e.uplinkImputed(1));
    }

    @Test
    void aTimeoutTheEstimateAlreadyExplainsChangesNothing() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 5; i++) {
            upload(e, 200_000, 1);
        }
        assertFalse(e.onUplinkTimeout(1, 200_000, 1_000_000_000L), "1 Mbit/s is below the bound of 1.6");
        assertEquals(1e6, e.uplinkBitsPerSecond(1), 1e3);
        assertEquals(0, e.uplinkImputed(1));
        // nor does the same timeout again once the bound was applied: it is no new evidence
        EstimatorSet f = estimators();
        f.onUplinkTimeout(1, 200_000, 1_000_000_000L);
        assertFalse(f.onUplinkTimeout(1, 200_000, 1_000_000_000L));
        assertEquals(0.8e6, f.uplinkBitsPerSecond(1), 1);
    }

    @Test
    void aTimeoutDropsTheSamplesItContradictsAndKeepsTheOthers() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 4; i++) {
            upload(e, 200_000, 10);
        }
        upload(e, 200_000, 1);
        assertEquals(3.57e6, e.uplinkBitsPerSecond(1), 0.01e6, "harmonic mean of 10,10,10,10,1");
        assertFalse(e.onUplinkTimeout(1, 500_000, 1_000_000_000L), "< 4 Mbit/s: the estimate agrees");
        // < 3 Mbit/s: the four 10 Mbit/s samples are contradicted, the 1 Mbit/s one is not; 1.5 is imputed
        assertTrue(e.onUplinkTimeout(1, 375_000, 1_000_000_000L));
        assertEquals(2 / (1 / 1e6 + 1 / 1.5e6), e.uplinkBitsPerSecond(1), 1);
        assertEquals(2, e.uplinkSamples(1));
    }

    @Test
    void repliesUndoTheImputedValue() {
        EstimatorSet e = estimators();
        e.onUplinkTimeout(1, 200_000, 1_000_000_000L);
        upload(e, 200_000, 4); // the link carries 4 Mbit/s again
        assertEquals(4e6, e.uplinkBitsPerSecond(1), 1e3, "a measurement replaces what was imputed");
        assertEquals(0, e.uplinkImputed(1));

        EstimatorSet f = estimators();
        f.onUplinkTimeout(1, 200_000, 1_000_000_000L);
        f.onUplinkDelivered(1, 200_000, 4_000_000_000L); // delivered, but in up to 4 s: at least 0.4 Mbit/s
        assertEquals(0.8e6, f.uplinkBitsPerSecond(1), 1, "a lower bound below the imputed value leaves it");
        f.onUplinkDelivered(1, 200_000, 100_000_000L); // at least 16 Mbit/s
        assertEquals(0, f.uplinkImputed(1));
        assertEquals(5.9e6, f.uplinkBitsPerSecond(1), 1, "nothing measured is left: the nominal value again");
    }

    @Test
    void anImputedValueRelaxesTowardsNominalLikeAMeasurement() {
        EstimatorSet e = estimators();
        e.onUplinkTimeout(1, 200_000, 1_000_000_000L);
        advanceMillis(10_000 + 30_000);
        assertEquals((0.8e6 + 5.9e6) / 2, e.uplinkBitsPerSecond(1), 1e3);
    }

    @Test
    void tinyOrInstantTimeoutsSayNothingAboutBandwidth() {
        EstimatorSet e = estimators();
        assertFalse(e.onUplinkTimeout(1, 100, 50_000_000L));
        assertFalse(e.onUplinkTimeout(1, 200_000, 0));
        assertEquals(5.9e6, e.uplinkBitsPerSecond(1), 1);
    }

    @Test
    void aTimeoutMovesThePlannerOffALinkThatCollapsedAndAReplyBringsItBack() {
        CostTable wifi = new CostTableBuilder(io.edgesplit.router.RouterTestAccess.syntheticPackage().manifest(),
                io.edgesplit.router.RouterTestAccess.profile("pixel-4")).latencyModel(io.edgesplit.router.RouterTestAccess.LINEAR)
                .addTarget(Target.edge("edge", io.edgesplit.router.RouterTestAccess.profile("x86-edge-server"), "wifi"))
                .build();
        EstimatorSet e = new EstimatorSet(wifi, now::get);
        // 400 ms: w1.00 runs locally in ~147 ms, so its fallback reserve (1.5 x 147 + 5 ms) leaves an
        // offload ~175 ms; under 200 ms no offload of it would have time (the executor would cut it at once)
        Budgets budgets = Budgets.builder().deadlineMillis(400, true).minAccuracy(0.7, true).build();
        Planner planner = new Planner();
        PlanOutcome first = planner.plan(wifi, e, budgets, -1, new PlanOutcome());
        assertFalse(first.plan().isLocal(), "offloads on the nominal WiFi link: " + first);
        int entry = first.plan().entry();
        // the request timed out: 150 ms waited, of which the RTT, the tail and the reply explain ~20 ms
        double otherMs = e.rttMillis(1) + wifi.tailMillis(entry) + wifi.downlinkBytes(entry) * 8000.0 / e.downlinkBitsPerSecond(1);
        long upNs = (long) ((150 - otherMs) * 1e6);
        assertTrue(e.onUplinkTimeout(1, wifi.uplinkBytes(entry), upNs));
        assertTrue(e.uplinkBitsPerSecond(1) < wifi.uplinkBytes(entry) * 8e9 / upNs, "below the bound");
        PlanOutcome next = planner.plan(wifi, e, budgets, entry, new PlanOutcome());
        assertTrue(next.plan().isLocal(), "no failure rate involved, the bound alone moves it: " + next);
        upload(e, wifi.uplinkBytes(entry), 20); // a reply at WiFi speed again (e.g. after the estimate relaxed)
        PlanOutcome back = planner.plan(wifi, e, budgets, next.plan().entry(), new PlanOutcome());
        assertFalse(back.plan().isLocal(), back.toString());
    }

    /** A queue estimate of about {@code ms}: replies that all waited that long, at 100 ms intervals. */
    private void busyReplies(EstimatorSet e, double ms) {
        for (int i = 0; i < 40; i++) {
            advanceMillis(100);
            e.onQueueDelay(1, ms);
        }
    }

    @Test
    void aQueueEstimateSmoothsRepliesAsBefore() {
        EstimatorSet e = estimators();
        assertEquals(0, e.queueMillis(1), 0);
        e.onQueueDelay(1, 100);
        assertEquals(20, e.queueMillis(1), 1e-9, "the first reply counts with the gain, from 0");
        e.onQueueDelay(1, 100); // right after: the plain moving average
        assertEquals(36, e.queueMillis(1), 1e-9);
        e.onQueueDelay(1, -1); // servers that do not measure report -1
        assertEquals(36, e.queueMillis(1), 1e-9);
        busyReplies(e, 100);
        assertEquals(100, e.queueMillis(1), 0.5, "a steady queue is followed, not decayed away");
    }

    @Test
    void aQueueEstimateHalvesEveryHalfLifeWithoutNews() {
        EstimatorSet e = estimators();
        busyReplies(e, 400);
        double busy = e.queueMillis(1);
        assertEquals(400, busy, 2);
        long halfLife = EstimatorSet.QUEUE_HALF_LIFE_NANOS / 1_000_000L;
        advanceMillis(halfLife);
        assertEquals(busy / 2, e.queueMillis(1), 1e-6);
        advanceMillis(3 * halfLife);
        assertEquals(busy / 16, e.queueMillis(1), 1e-6, "four half-lives after the last reply");
        advanceMillis(6 * halfLife);
        assertEquals(busy / 1024, e.queueMillis(1), 1e-6);
        assertEquals(busy / 1024, e.snapshot().queueMillis(1), 1e-6, "and so does the planner's snapshot");
    }

    @Test
    void theQueueHalfLifeIsConfigurableAndSurvivesARebuild() {
        EstimatorSet e = new EstimatorSet(table, now::get, null, 1_000_000_000L);
        busyReplies(e, 400);
        double busy = e.queueMillis(1);
        EstimatorSet rebuilt = new EstimatorSet(table, now::get, e);
        assertEquals(busy, rebuilt.queueMillis(1), 1e-9, "the rebuilt set keeps the estimate");
        advanceMillis(2_000);
        assertEquals(busy / 4, rebuilt.queueMillis(1), 1e-6, "and the 1 s half-life");
        assertEquals(1_000_000_000L, rebuilt.queueHalfLifeNanos());
    }

    @Test
    void aReplyAfterALongSilenceCountsNearlyInFull() {
        // the planner came back after the estimate decayed: what the probe finds is what there is
        EstimatorSet e = estimators();
        busyReplies(e, 400);
        advanceMillis(60_000);
        e.onQueueDelay(1, 300);
        assertEquals(300, e.queueMillis(1), 1, "not 20% of it averaged with an estimate 12 half-lives old");
    }

    @Test
    void anAnnouncedEmptyQueueLowersAStaleEstimateAtOnce() {
        EstimatorSet e = estimators();
        busyReplies(e, 400);
        advanceMillis(500);
        long announcedAt = now.get();
        advanceMillis(20); // delivered a little later
        assertTrue(e.onAnnouncedQueue(1, 0, announcedAt));
        assertEquals(0, e.queueMillis(1), 0);
        // a busy announcement is taken as it is (the server's own figure for its whole queue), and it decays
        // from when it was made, not from when it arrived
        long halfLife = EstimatorSet.QUEUE_HALF_LIFE_NANOS / 1_000_000L;
        advanceMillis(halfLife);
        assertTrue(e.onAnnouncedQueue(1, 250, now.get() - halfLife * 1_000_000L / 2));
        assertEquals(250 * Math.sqrt(0.5), e.queueMillis(1), 1e-6, "announced half a half-life ago");
    }

    @Test
    void anAnnouncementOlderThanTheLastReplyDoesNotOverrideIt() {
        EstimatorSet e = estimators();
        long announcedAt = now.get(); // the server announced an empty queue...
        busyReplies(e, 400); // ...then replies showed it filling up; the announcement arrives late
        double busy = e.queueMillis(1);
        assertFalse(e.onAnnouncedQueue(1, 0, announcedAt));
        assertEquals(busy, e.queueMillis(1), 0);
        assertFalse(e.onAnnouncedQueue(1, 0, now.get()), "made at the same moment as the last reply: not fresher");
        assertEquals(busy, e.queueMillis(1), 0);
        // nor does an announcement older than the last announcement
        advanceMillis(10);
        assertTrue(e.onAnnouncedQueue(1, 50, now.get()));
        assertFalse(e.onAnnouncedQueue(1, 0, now.get() - 5_000_000L));
        assertEquals(50, e.queueMillis(1), 0);
        // a reply right after the announcement is smoothed with it
        e.onQueueDelay(1, 100);
        assertEquals(0.8 * 50 + 0.2 * 100, e.queueMillis(1), 1e-9);
    }

    @Test
    void anAnnouncementFromTheFutureCountsAsNow() {
        EstimatorSet e = estimators();
        assertTrue(e.onAnnouncedQueue(1, 100, now.get() + 60_000_000_000L));
        assertEquals(100, e.queueMillis(1), 0);
        long halfLife = EstimatorSet.QUEUE_HALF_LIFE_NANOS / 1_000_000L;
        advanceMillis(halfLife);
        assertEquals(50, e.queueMillis(1), 1e-6, "decays from the moment it was applied, not from the future");
        assertTrue(e.onAnnouncedQueue(1, 0, now.get()), "a later announcement is fresher than it");
        assertEquals(0, e.queueMillis(1), 0);
    }

    @Test
    void invalidAnnouncementsAreRefusedAndChangeNothing() {
        EstimatorSet e = estimators();
        busyReplies(e, 400);
        double busy = e.queueMillis(1);
        advanceMillis(10);
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> e.onAnnouncedQueue(1, bad, now.get()));
        }
        assertEquals(busy * Math.pow(0.5, 10e6 / EstimatorSet.QUEUE_HALF_LIFE_NANOS), e.queueMillis(1), 1e-9);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> e.onAnnouncedQueue(0, 0, now.get()), "the device has no queue");
    }

    @Test
    void aStaleQueueEstimateStopsBlockingTheServerAfterItDecaysOrTheServerAnnouncesItIsIdle() {
        CostTable wifi = new CostTableBuilder(io.edgesplit.router.RouterTestAccess.syntheticPackage().manifest(),
                io.edgesplit.router.RouterTestAccess.profile("pixel-4")).latencyModel(io.edgesplit.router.RouterTestAccess.LINEAR)
                .addTarget(Target.edge("edge", io.edgesplit.router.RouterTestAccess.profile("x86-edge-server"), "wifi"))
                .build();
        // 400 ms: w1.00 runs locally in ~147 ms, so its fallback reserve (1.5 x 147 + 5 ms) leaves an
        // offload ~175 ms; under 200 ms no offload of it would have time (the executor would cut it at once)
        Budgets budgets = Budgets.builder().deadlineMillis(400, true).minAccuracy(0.7, true).build();
        Planner planner = new Planner();
        for (boolean announce : new boolean[] {false, true}) {
            EstimatorSet e = new EstimatorSet(wifi, now::get);
            assertFalse(planner.plan(wifi, e, budgets, -1, new PlanOutcome()).plan().isLocal(), "offloads when idle");
            busyReplies(e, 2_000); // a burst: replies waited 2 s in the queue
            PlanOutcome busy = planner.plan(wifi, e, budgets, -1, new PlanOutcome());
            assertTrue(busy.plan().isLocal(), "priced as busy: " + busy);
            if (announce) {
                advanceMillis(1_000);
                assertTrue(e.onAnnouncedQueue(1, 0, now.get()));
            } else {
                advanceMillis(10 * EstimatorSet.QUEUE_HALF_LIFE_NANOS / 1_000_000L);
            }
            PlanOutcome after = planner.plan(wifi, e, budgets, busy.plan().entry(), new PlanOutcome());
            assertFalse(after.plan().isLocal(), (announce ? "after the announcement: " : "after ten half-lives: ") + after);
        }
    }

    @Test
    void rttIgnoresASingleStallButFollowsARealChange() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 20; i++) {
            e.onRtt(1, 40);
        }
        e.onRtt(1, 4000);
        assertTrue(e.rttMillis(1) < 50, "one 4 s stall: " + e.rttMillis(1));
        for (int i = 0; i < 40; i++) {
            e.onRtt(1, 120);
        }
        assertEquals(120, e.rttMillis(1), 2);
    }

    @Test
    void failureRateRisesAndDecaysWithTime() {
        EstimatorSet e = estimators();
        for (int i = 0; i < 10; i++) {
            e.onFailure(1);
        }
        assertEquals(1.0, e.failureRate(1), 1e-9);
        for (int i = 0; i < 10; i++) {
            e.onSuccess(1);
        }
        assertEquals(0.5, e.failureRate(1), 1e-9);
        advanceMillis(30_000);
        e.onSuccess(1);
        assertTrue(e.failureRate(1) < 0.5, "older failures weigh less: " + e.failureRate(1));
    }

    @Test
    void aFailureRateRecoversByItselfWhenNoRequestsFollow() {
        // the planner avoids a target that just failed, so nothing new is learnt about it
        EstimatorSet e = estimators();
        e.onFailure(1);
        assertEquals(1.0, e.failureRate(1), 1e-9);
        advanceMillis(30_000);
        assertEquals(0.5, e.failureRate(1), 1e-9);
        advanceMillis(60_000);
        assertEquals(0.125, e.failureRate(1), 1e-9);
    }

    @Test
    void radioIdleTimeAndRequestIntervalFollowTheClock() {
        EstimatorSet e = estimators();
        assertTrue(Double.isInfinite(e.radioIdleMillis()));
        upload(e, 100_000, 10);
        advanceMillis(250);
        assertEquals(250, e.radioIdleMillis(), 1e-6);
        e.onRequest();
        advanceMillis(500);
        e.onRequest();
        assertEquals(500, e.requestIntervalMillis(), 1e-6);
    }

    @Test
    void snapshotIsAnImmutableCopy() {
        EstimatorSet e = estimators();
        e.setAvailable(1, false);
        Estimates s = e.snapshot();
        e.setAvailable(1, true);
        assertFalse(s.available(1));
        assertTrue(e.available(1));
    }
}
