package io.edgesplit.profile.costmodel;

import io.edgesplit.graph.GraphOperator;
import io.edgesplit.graph.GraphTensor;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.profile.CostModel;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The features a cost model predicts a segment from: its operators grouped by type
 * ({@code CONV_2D}, {@code ADD}, ...), each type with its operator count, MACs and activation bytes.
 * Computed from a segment's {@link ModelGraph} (so a segment that was never run can be predicted) or
 * built directly. Immutable and thread-safe.
 */
public final class SegmentFeatures {

    private final Map<String, OperatorFeatures> byType;

    private SegmentFeatures(Map<String, OperatorFeatures> byType) {
        this.byType = Collections.unmodifiableMap(new TreeMap<>(byType));
    }

    /**
     * The features of every operator of {@code segment}'s primary subgraph. Activation bytes of an
     * operator are the bytes of its inputs that are not constants (nor computed only from
     * constants) plus the bytes of its outputs; tensors without a fixed size count zero.
     */
    public static SegmentFeatures of(ModelGraph segment) {
        Map<String, OperatorFeatures> byType = new TreeMap<>();
        for (GraphOperator op : segment.operators()) {
            long bytes = 0;
            for (int in : op.inputs()) {
                if (in >= 0 && !segment.isConstantDerived(in)) {
                    bytes += Math.max(0, segment.tensor(in).byteSize());
                }
            }
            for (int out : op.outputs()) {
                GraphTensor t = segment.tensor(out);
                bytes += Math.max(0, t.byteSize());
            }
            byType.merge(typeOf(op), new OperatorFeatures(1, op.macs(), bytes), OperatorFeatures::plus);
        }
        return new SegmentFeatures(byType);
    }

    /** Features given directly, e.g. by a test or from a manifest; types must match {@link CostModel#OPERATOR_TYPE}. */
    public static SegmentFeatures of(Map<String, OperatorFeatures> byType) {
        Objects.requireNonNull(byType, "byType");
        for (String type : byType.keySet()) {
            if (!CostModel.OPERATOR_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("byType: '" + type + "' is not an operator type name such as "
                        + "CONV_2D or CUSTOM:MyOp");
            }
            Objects.requireNonNull(byType.get(type), type);
        }
        return new SegmentFeatures(byType);
    }

    /**
     * The cost-model type name of an operator: its TensorFlow Lite builtin name, or
     * {@code CUSTOM:<name>} with characters other than letters, digits, {@code _ . -} replaced by
     * {@code _} (at most 64 of them).
     */
    public static String typeOf(GraphOperator op) {
        if (!op.isCustom()) {
            return op.opName().toUpperCase(Locale.ROOT);
        }
        String name = op.customCode().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.isEmpty()) {
            name = "_";
        }
        return "CUSTOM:" + (name.length() > 64 ? name.substring(0, 64) : name);
    }

    /** Features by operator type, sorted by type name. */
    public Map<String, OperatorFeatures> byType() {
        return byType;
    }

    /** The features of one type; {@link OperatorFeatures#NONE} when the segment has none. */
    public OperatorFeatures type(String type) {
        return byType.getOrDefault(type, OperatorFeatures.NONE);
    }

    /** Operators in the segment. */
    public long operatorCount() {
        long n = 0;
        for (OperatorFeatures f : byType.values()) {
            n += f.count();
        }
        return n;
    }

    /** Multiply-accumulates of the whole segment. */
    public long totalMacs() {
        long n = 0;
        for (OperatorFeatures f : byType.values()) {
            n += f.macs();
        }
        return n;
    }

    /** Activation bytes of the whole segment. */
    public long totalBytes() {
        long n = 0;
        for (OperatorFeatures f : byType.values()) {
            n += f.bytes();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentFeatures && ((SegmentFeatures) o).byType.equals(byType);
    }

    @Override
    public int hashCode() {
        return byType.hashCode();
    }

    @Override
    public String toString() {
        return "SegmentFeatures" + byType;
    }
}
