package io.edgesplit.profile.costmodel;

import io.edgesplit.common.Percentiles;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.internal.Backports;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well a cost model predicts segments it was not fitted on: fit on the segments of half the
 * cuts, predict the segments of the other half, compare with their measurements. This is the
 * situation the model exists for (a profile measured on some cuts, or on another package) and the
 * error it reports about itself.
 *
 * @param fitted the model fitted on the training segments
 * @param trainingSegments number of segments fitted
 * @param predictions one entry per held-out segment, in the order given
 * @param medianAbsolutePercentError median of {@code |predicted - measured| / measured * 100}
 * @param p90AbsolutePercentError 90th percentile ({@link Percentiles nearest rank}) of the same
 */
public record HeldOutEvaluation(OperatorCostModel fitted, int trainingSegments, List<HeldOutPrediction> predictions,
        double medianAbsolutePercentError, double p90AbsolutePercentError) {

    /** Copies the list. */
    public HeldOutEvaluation {
        predictions = Backports.listCopy(predictions);
    }

    /**
     * One held-out segment.
     *
     * @param segmentSha256 the segment
     * @param measuredMillis its measured median
     * @param predictedMillis the model's prediction
     */
    public record HeldOutPrediction(String segmentSha256, double measuredMillis, double predictedMillis) {
        /** {@code |predicted - measured| / measured}, in percent. */
        public double absolutePercentError() {
            return Math.abs(predictedMillis - measuredMillis) / measuredMillis * 100;
        }
    }

    /**
     * Which segments of a package go into the fit and which are held out.
     *
     * @param training segments of the even-numbered cuts of every variant (0, 2, 4, ...)
     * @param heldOut segments of the odd-numbered cuts that are not also training segments
     */
    public record Partition(Set<String> training, Set<String> heldOut) {
        /** Copies the sets. */
        public Partition {
            training = Backports.setCopy(training);
            heldOut = Backports.setCopy(heldOut);
        }
    }

    /**
     * Half the cuts of every variant for training (the even-numbered split points, which include the
     * full-offload and, for an odd count of split points, the full-local one), the other half held
     * out. A segment shared by a training and a held-out cut (the whole model is the tail of the
     * first and the head of the last) counts as training.
     */
    public static Partition alternateCuts(ModelPackage pkg) {
        Set<String> training = new LinkedHashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (Variant v : pkg.variants()) {
            List<SplitPoint> splits = v.splits();
            for (int i = 0; i < splits.size(); i++) {
                Set<String> target = i % 2 == 0 ? training : candidates;
                SplitPoint s = splits.get(i);
                if (s.headSegment() != null) {
                    target.add(s.headSegment());
                }
                if (s.tailSegment() != null) {
                    target.add(s.tailSegment());
                }
            }
        }
        candidates.removeAll(training);
        return new Partition(training, candidates);
    }

    /**
     * Fits on {@code training} and predicts {@code heldOut}.
     *
     * @throws IllegalArgumentException when either list is empty
     */
    public static HeldOutEvaluation evaluate(List<OperatorCostModel.Sample> training,
            List<OperatorCostModel.Sample> heldOut, int threads, Delegate delegate) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("heldOut: need at least one held-out segment to measure the error");
        }
        OperatorCostModel model = OperatorCostModel.fit(training, threads, delegate);
        List<HeldOutPrediction> predictions = new ArrayList<>();
        double[] errors = new double[heldOut.size()];
        for (int i = 0; i < heldOut.size(); i++) {
            OperatorCostModel.Sample s = heldOut.get(i);
            HeldOutPrediction p = new HeldOutPrediction(s.segmentSha256(), s.medianMillis(),
                    model.predictMillis(s.features()));
            predictions.add(p);
            errors[i] = p.absolutePercentError();
        }
        Arrays.sort(errors);
        return new HeldOutEvaluation(model, training.size(), predictions, median(errors),
                Percentiles.ofSorted(errors, 90));
    }

    /**
     * Splits {@code samples} by {@link #alternateCuts(ModelPackage)} and evaluates.
     *
     * @param samples measured segments by sha256, in the order they are fitted and reported
     * @throws IllegalArgumentException when the partition leaves either side without measured segments
     */
    public static HeldOutEvaluation alternateCuts(ModelPackage pkg, Map<String, OperatorCostModel.Sample> samples,
            int threads, Delegate delegate) {
        Partition partition = alternateCuts(pkg);
        List<OperatorCostModel.Sample> training = new ArrayList<>();
        List<OperatorCostModel.Sample> heldOut = new ArrayList<>();
        for (Map.Entry<String, OperatorCostModel.Sample> e : samples.entrySet()) {
            if (partition.training().contains(e.getKey())) {
                training.add(e.getValue());
            } else if (partition.heldOut().contains(e.getKey())) {
                heldOut.add(e.getValue());
            }
        }
        return evaluate(training, heldOut, threads, delegate);
    }

    /** Median of sorted values (mean of the middle two for an even count). */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
