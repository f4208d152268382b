package io.edgesplit.modelpackage;

import io.edgesplit.common.Lists;
import java.util.List;

/**
 * One width of a model family inside a package: where it came from, its accuracy (supplied by the
 * user, or unknown), its interface and its split points. Immutable.
 */
public final class Variant {

    private final String id;
    private final double width;
    private final Double accuracy;
    private final boolean calibrated;
    private final String derivedFrom;
    private final String sourceFile;
    private final String sourceSha256;
    private final List<TensorDescriptor> inputs;
    private final List<TensorDescriptor> outputs;
    private final int operatorCount;
    private final long macs;
    private final long parameters;
    private final List<SplitPoint> splits;

    public Variant(String id, double width, Double accuracy, boolean calibrated, String derivedFrom, String sourceFile,
            String sourceSha256, List<TensorDescriptor> inputs, List<TensorDescriptor> outputs, int operatorCount,
            long macs, long parameters, List<SplitPoint> splits) {
        this.id = id;
        this.width = width;
        this.accuracy = accuracy;
        this.calibrated = calibrated;
        this.derivedFrom = derivedFrom;
        this.sourceFile = sourceFile;
        this.sourceSha256 = sourceSha256;
        this.inputs = Lists.copyOf(inputs);
        this.outputs = Lists.copyOf(outputs);
        this.operatorCount = operatorCount;
        this.macs = macs;
        this.parameters = parameters;
        this.splits = Lists.copyOf(splits);
    }

    /** "w0.50". */
    public String id() {
        return id;
    }

    /** Width multiplier in (0, 1]. */
    public double width() {
        return width;
    }

    /** Expected accuracy in [0, 1] as the user supplied it (e.g. published top-1), or null when unknown. */
    public Double accuracy() {
        return accuracy;
    }

    /**
     * False for variants derived by channel slicing without retraining: they run, but their accuracy
     * is unknown.
     */
    public boolean calibrated() {
        return calibrated;
    }

    /** Id of the variant this one was sliced from, or null. */
    public String derivedFrom() {
        return derivedFrom;
    }

    /** File name of the model this variant came from. */
    public String sourceFile() {
        return sourceFile;
    }

    public String sourceSha256() {
        return sourceSha256;
    }

    public List<TensorDescriptor> inputs() {
        return inputs;
    }

    public List<TensorDescriptor> outputs() {
        return outputs;
    }

    public int operatorCount() {
        return operatorCount;
    }

    public long macs() {
        return macs;
    }

    public long parameters() {
        return parameters;
    }

    /** Split points ordered by head depth; the first is full offload, the last full local. */
    public List<SplitPoint> splits() {
        return splits;
    }

    /** The full-local split point (the whole model as one head segment). */
    public SplitPoint fullLocal() {
        return splits.get(splits.size() - 1);
    }

    /** The full-offload split point (raw inputs sent, whole model as the tail). */
    public SplitPoint fullOffload() {
        return splits.get(0);
    }

    /**
     * The split point with this id.
     *
     * @throws IllegalArgumentException naming the id and the variant
     */
    public SplitPoint split(String splitId) {
        for (SplitPoint s : splits) {
            if (s.id().equals(splitId)) {
                return s;
            }
        }
        throw new IllegalArgumentException("variant " + id + " has no split point '" + splitId + "'");
    }

    @Override
    public String toString() {
        return id + " (" + splits.size() + " split points, " + macs + " MACs)";
    }
}
