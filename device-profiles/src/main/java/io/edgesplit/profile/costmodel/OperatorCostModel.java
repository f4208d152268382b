package io.edgesplit.profile.costmodel;

import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.OperatorCost;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A Neurosurgeon-style latency model (Kang et al., ASPLOS 2017: one regression per layer type):
 * a segment's median latency is a fixed per-invoke cost plus, for every operator type it contains,
 * {@code a_type * MACs + b_type * activation bytes + c_type * operators}. Only whole-segment
 * latencies are ever measured, so the coefficients are fitted jointly to segment totals, with
 * non-negative least squares ({@link Nnls}: a negative cost per MAC would be nonsense and would let
 * collinear types cancel each other out) on relative residuals (each row divided by its measured
 * latency, so a 2 ms head counts as much as a 100 ms tail, as the median percentage error that judges
 * the model does).
 *
 * <p>The fit never uses more parameters than the measurements can pin down: with fewer than
 * {@link #SAMPLES_PER_PARAMETER} segments per parameter it falls back to a time per MAC per type
 * (plus the per-invoke cost), and below that to one time per MAC for every type. An underdetermined
 * fit would otherwise be free to give a type zero cost and its time to a type it always appears with,
 * and then predict a segment made of the first type alone at 0 ms.
 *
 * <p>Operator types absent from the fit are predicted at the model's throughput,
 * {@code MACs / macsPerSecond}, and {@link #unknownTypes} lists them. Immutable and thread-safe.
 */
public final class OperatorCostModel {

    /** Significant digits kept in fitted coefficients: far below measurement noise, readable in YAML. */
    static final int SIGNIFICANT_DIGITS = 4;

    /** Measured segments needed per fitted parameter before the fit uses more parameters. */
    public static final int SAMPLES_PER_PARAMETER = 3;

    /** The parameters a fit uses, most detailed first. */
    public enum Features {
        /** Per type: time per MAC, per activation byte and per operator; plus the per-invoke cost. */
        MACS_BYTES_OPERATORS,
        /** Per type: time per MAC; plus the per-invoke cost. */
        MACS,
        /** One time per MAC for all types; plus the per-invoke cost. */
        GLOBAL_MACS
    }

    private final CostModel coefficients;

    private OperatorCostModel(CostModel coefficients) {
        this.coefficients = coefficients;
    }

    /** A measured segment: its features and its median latency. */
    public record Sample(String segmentSha256, SegmentFeatures features, double medianMillis) {
        /** Validates every component. */
        public Sample {
            Objects.requireNonNull(segmentSha256, "segmentSha256");
            Objects.requireNonNull(features, "features");
            if (!(medianMillis > 0) || Double.isInfinite(medianMillis)) {
                throw new IllegalArgumentException("medianMillis: must be > 0, was " + medianMillis + " for segment "
                        + segmentSha256);
            }
        }
    }

    /**
     * The model stored in a profile.
     *
     * @throws IllegalArgumentException when {@code coefficients} has no operator costs (a
     *     throughput-only model cannot predict by itself)
     */
    public static OperatorCostModel of(CostModel coefficients) {
        if (!coefficients.hasOperatorCosts()) {
            throw new IllegalArgumentException("cost model for threads " + coefficients.threads() + " and delegate "
                    + coefficients.delegate().yamlName() + " has only a throughput, no operator costs");
        }
        return new OperatorCostModel(coefficients);
    }

    /**
     * Fits a model to measured segments. The throughput is the MACs of the sample with the most
     * MACs over its median latency (for a profiled package: the whole widest model).
     *
     * @throws IllegalArgumentException when there are no samples or none has MACs
     */
    public static OperatorCostModel fit(List<Sample> samples, int threads, Delegate delegate) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples: need at least one measured segment to fit a cost model");
        }
        Sample reference = samples.get(0);
        for (Sample s : samples) {
            if (s.features().totalMacs() > reference.features().totalMacs()) {
                reference = s;
            }
        }
        if (reference.features().totalMacs() == 0) {
            throw new IllegalArgumentException("samples: no segment has any MACs, so no throughput can be measured");
        }
        double macsPerSecond = reference.features().totalMacs() / (reference.medianMillis() / 1e3);

        List<String> types = new ArrayList<>(new TreeSet<>(typesOf(samples)));
        Features features = featuresFor(samples.size(), types.size());
        int perType = features == Features.MACS_BYTES_OPERATORS ? 3 : 1;
        int groups = features == Features.GLOBAL_MACS ? 1 : types.size();
        int columns = 1 + perType * groups;
        double[][] a = new double[samples.size()][columns];
        double[] b = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            double weight = 1 / s.medianMillis();
            a[i][0] = weight;
            for (int t = 0; t < types.size(); t++) {
                OperatorFeatures f = s.features().type(types.get(t));
                int g = features == Features.GLOBAL_MACS ? 0 : t;
                a[i][1 + perType * g] += f.macs() * weight;
                if (perType == 3) {
                    a[i][2 + 3 * g] = f.bytes() * weight;
                    a[i][3 + 3 * g] = f.count() * weight;
                }
            }
            b[i] = 1; // measured / measured
        }
        double[] norms = new double[columns];
        for (int j = 0; j < columns; j++) {
            double norm = 0;
            for (double[] row : a) {
                norm = Math.hypot(norm, row[j]);
            }
            norms[j] = norm;
            for (double[] row : a) {
                row[j] = norm == 0 ? 0 : row[j] / norm;
            }
        }
        double[] x = Nnls.solve(a, b);
        double[] millis = new double[columns];
        for (int j = 0; j < columns; j++) {
            millis[j] = norms[j] == 0 ? 0 : x[j] / norms[j];
        }
        CostModel.Builder model = CostModel.builder(threads, delegate)
                .macsPerSecond(round(macsPerSecond))
                .perInvokeNanos(round(millis[0] * 1e6))
                .fittedSegments(samples.size());
        for (int t = 0; t < types.size(); t++) {
            int g = features == Features.GLOBAL_MACS ? 0 : t;
            double perByte = perType == 3 ? millis[2 + 3 * g] : 0;
            double perOperator = perType == 3 ? millis[3 + 3 * g] : 0;
            model.operator(types.get(t), new OperatorCost(round(millis[1 + perType * g] * 1e6), round(perByte * 1e6),
                    round(perOperator * 1e6)));
        }
        return new OperatorCostModel(model.build());
    }

    /** The most detailed features {@code samples} segments can pin down for {@code types} operator types. */
    public static Features featuresFor(int samples, int types) {
        if (samples >= SAMPLES_PER_PARAMETER * (1 + 3 * types)) {
            return Features.MACS_BYTES_OPERATORS;
        }
        if (samples >= SAMPLES_PER_PARAMETER * (1 + types)) {
            return Features.MACS;
        }
        return Features.GLOBAL_MACS;
    }

    private static List<String> typesOf(List<Sample> samples) {
        List<String> types = new ArrayList<>();
        for (Sample s : samples) {
            types.addAll(s.features().byType().keySet());
        }
        return types;
    }

    /** {@code value} to {@link #SIGNIFICANT_DIGITS} significant digits. */
    static double round(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value;
        }
        return new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS)).doubleValue();
    }

    /** The coefficients, as written into a profile. */
    public CostModel coefficients() {
        return coefficients;
    }

    /** Predicted median latency of a segment with these features, in milliseconds. */
    public double predictMillis(SegmentFeatures features) {
        double nanos = coefficients.perInvokeNanos();
        Map<String, OperatorCost> costs = coefficients.operators();
        for (Map.Entry<String, OperatorFeatures> e : features.byType().entrySet()) {
            OperatorFeatures f = e.getValue();
            OperatorCost cost = costs.get(e.getKey());
            nanos += cost != null ? cost.nanos(f.count(), f.macs(), f.bytes())
                    : f.macs() / coefficients.macsPerSecond() * 1e9;
        }
        return nanos / 1e6;
    }

    /** Operator types of {@code features} this model has no coefficients for. */
    public List<String> unknownTypes(SegmentFeatures features) {
        List<String> unknown = new ArrayList<>();
        for (String type : features.byType().keySet()) {
            if (!coefficients.operators().containsKey(type)) {
                unknown.add(type);
            }
        }
        return unknown;
    }

    @Override
    public String toString() {
        return "OperatorCostModel{" + coefficients + '}';
    }
}
