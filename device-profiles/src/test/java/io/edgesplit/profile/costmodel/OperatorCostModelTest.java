package io.edgesplit.profile.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.OperatorCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperatorCostModelTest {

    /** The truth the synthetic segments are generated from, in nanoseconds. */
    static final Map<String, OperatorCost> TRUTH = Map.of(
            "CONV_2D", new OperatorCost(0.35, 0.02, 4_000),
            "DEPTHWISE_CONV_2D", new OperatorCost(1.1, 0.08, 2_500),
            "ADD", new OperatorCost(0, 0.4, 1_500));
    static final double PER_INVOKE_NANOS = 30_000;

    /** A random segment: a few operators of each type with sizes spread over two orders of magnitude. */
    static SegmentFeatures randomSegment(Random rnd) {
        java.util.Map<String, OperatorFeatures> byType = new java.util.TreeMap<>();
        for (String type : TRUTH.keySet()) {
            int count = rnd.nextInt(6);
            OperatorFeatures f = OperatorFeatures.NONE;
            for (int i = 0; i < count; i++) {
                long macs = type.equals("ADD") ? 50_000 + rnd.nextInt(500_000) : 1_000_000 + rnd.nextInt(40_000_000);
                long bytes = 10_000 + rnd.nextInt(2_000_000);
                f = f.plus(new OperatorFeatures(1, macs, bytes));
            }
            if (count > 0) {
                byType.put(type, f);
            }
        }
        if (byType.isEmpty()) {
            byType.put("CONV_2D", new OperatorFeatures(1, 2_000_000, 50_000));
        }
        return SegmentFeatures.of(byType);
    }

    static double trueMillis(SegmentFeatures f) {
        double nanos = PER_INVOKE_NANOS;
        for (Map.Entry<String, OperatorFeatures> e : f.byType().entrySet()) {
            OperatorFeatures x = e.getValue();
            nanos += TRUTH.get(e.getKey()).nanos(x.count(), x.macs(), x.bytes());
        }
        return nanos / 1e6;
    }

    static List<OperatorCostModel.Sample> samples(long seed, int n) {
        Random rnd = new Random(seed);
        List<OperatorCostModel.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SegmentFeatures f = randomSegment(rnd);
            out.add(new OperatorCostModel.Sample(String.format("%064x", seed * 1000 + i), f, trueMillis(f)));
        }
        return out;
    }

    @Test
    void fitRecoversTheCoefficientsOfAnExactLinearModel() {
        OperatorCostModel model = OperatorCostModel.fit(samples(7, 80), 2, Delegate.XNNPACK);
        CostModel c = model.coefficients();
        assertEquals(PER_INVOKE_NANOS, c.perInvokeNanos(), PER_INVOKE_NANOS * 1e-3);
        for (Map.Entry<String, OperatorCost> e : TRUTH.entrySet()) {
            OperatorCost fitted = c.operators().get(e.getKey());
            OperatorCost truth = e.getValue();
            assertEquals(truth.nanosPerMac(), fitted.nanosPerMac(), 1e-3 * Math.max(truth.nanosPerMac(), 0.01), e.getKey());
            assertEquals(truth.nanosPerByte(), fitted.nanosPerByte(), 1e-3 * Math.max(truth.nanosPerByte(), 0.01),
                    e.getKey());
            assertEquals(truth.nanosPerOperator(), fitted.nanosPerOperator(), 1e-3 * truth.nanosPerOperator(),
                    e.getKey());
        }
        assertEquals(80, c.fittedSegments().getAsInt());
        assertEquals(2, c.threads());
        assertEquals(Delegate.XNNPACK, c.delegate());
    }

    @Test
    void fittedModelPredictsSegmentsItWasNotFittedOn() {
        OperatorCostModel model = OperatorCostModel.fit(samples(7, 80), 1, Delegate.NONE);
        for (OperatorCostModel.Sample s : samples(8, 40)) {
            assertEquals(s.medianMillis(), model.predictMillis(s.features()), s.medianMillis() * 1e-3);
        }
    }

    @Test
    void heldOutEvaluationOfAnExactModelHasNoError() {
        HeldOutEvaluation e = HeldOutEvaluation.evaluate(samples(3, 60), samples(4, 30), 1, Delegate.NONE);
        assertEquals(30, e.predictions().size());
        assertEquals(60, e.trainingSegments());
        assertTrue(e.medianAbsolutePercentError() < 0.1, "median error " + e.medianAbsolutePercentError());
        assertTrue(e.p90AbsolutePercentError() >= e.medianAbsolutePercentError());
    }

    @Test
    void throughputIsTheRateOfTheSegmentWithTheMostMacs() {
        SegmentFeatures small = SegmentFeatures.of(Map.of("CONV_2D", new OperatorFeatures(1, 1_000_000, 0)));
        SegmentFeatures big = SegmentFeatures.of(Map.of("CONV_2D", new OperatorFeatures(2, 300_000_000, 0)));
        OperatorCostModel model = OperatorCostModel.fit(List.of(
                new OperatorCostModel.Sample("a".repeat(64), small, 1.0),
                new OperatorCostModel.Sample("b".repeat(64), big, 120.0)), 1, Delegate.NONE);
        assertEquals(2.5e9, model.coefficients().macsPerSecond());
    }

    @Test
    void operatorTypesTheFitNeverSawArePredictedAtTheThroughput() {
        OperatorCostModel model = OperatorCostModel.fit(samples(7, 40), 1, Delegate.NONE);
        SegmentFeatures withNewType = SegmentFeatures.of(Map.of("MEAN", new OperatorFeatures(1, 5_000_000, 0)));
        double expected = model.coefficients().perInvokeNanos() / 1e6
                + 5_000_000 / model.coefficients().macsPerSecond() * 1e3;
        assertEquals(expected, model.predictMillis(withNewType), 1e-12);
        assertEquals(List.of("MEAN"), model.unknownTypes(withNewType));
    }

    @Test
    void fittedCoefficientsKeepFourSignificantDigits() {
        CostModel c = OperatorCostModel.fit(samples(9, 50), 1, Delegate.NONE).coefficients();
        for (OperatorCost cost : c.operators().values()) {
            for (double v : new double[] {cost.nanosPerMac(), cost.nanosPerByte(), cost.nanosPerOperator()}) {
                assertEquals(v, OperatorCostModel.round(v), 0.0);
            }
        }
    }

    @Test
    void fewSamplesFitOneTimePerMacForEveryTypeSoNoTypeIsFree() {
        // 5 segments cannot pin down 10 parameters: one rate for all types, so a type seen only together
        // with others still costs its MACs
        List<OperatorCostModel.Sample> few = samples(11, 5);
        assertEquals(OperatorCostModel.Features.GLOBAL_MACS, OperatorCostModel.featuresFor(5, 3));
        CostModel c = OperatorCostModel.fit(few, 1, Delegate.NONE).coefficients();
        double perMac = c.operators().get("CONV_2D").nanosPerMac();
        assertTrue(perMac > 0);
        for (OperatorCost cost : c.operators().values()) {
            assertEquals(new OperatorCost(perMac, 0, 0), cost);
        }
        SegmentFeatures convAlone = SegmentFeatures.of(Map.of("CONV_2D", new OperatorFeatures(1, 10_000_000, 0)));
        assertTrue(OperatorCostModel.of(c).predictMillis(convAlone) > 0);
    }

    @Test
    void theFitUsesMoreParametersOnlyWithThreeSegmentsPerParameter() {
        assertEquals(OperatorCostModel.Features.MACS_BYTES_OPERATORS, OperatorCostModel.featuresFor(57, 6));
        assertEquals(OperatorCostModel.Features.MACS, OperatorCostModel.featuresFor(56, 6));
        assertEquals(OperatorCostModel.Features.MACS, OperatorCostModel.featuresFor(21, 6));
        assertEquals(OperatorCostModel.Features.GLOBAL_MACS, OperatorCostModel.featuresFor(20, 6));
    }

    @Test
    void fittingNothingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OperatorCostModel.fit(List.of(), 1, Delegate.NONE));
        assertEquals("samples: need at least one measured segment to fit a cost model", e.getMessage());
    }

    @Test
    void aThroughputOnlyModelCannotPredictByItself() {
        CostModel onlyRate = CostModel.builder(4, Delegate.GPU).macsPerSecond(5e10).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OperatorCostModel.of(onlyRate));
        assertEquals("cost model for threads 4 and delegate gpu has only a throughput, no operator costs", e.getMessage());
    }

    @Test
    void featuresOfARealGraphAddUpToItsMacsAndOperators() {
        ModelGraph graph = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED);
        SegmentFeatures f = SegmentFeatures.of(graph);
        assertEquals(graph.totalMacs(), f.totalMacs());
        assertEquals(graph.operators().size(), f.operatorCount());
        assertEquals(graph.operatorCounts().keySet(), f.byType().keySet());
        // the stem reads a 160x160x3 float input and writes 80x80x32 floats
        assertTrue(f.type("CONV_2D").bytes() > (160 * 160 * 3 + 80 * 80 * 32) * 4L);
        assertEquals(2, f.type("ADD").count());
    }
}
