package io.edgesplit.modelpackage;

import io.edgesplit.common.Lists;
import java.util.List;

/**
 * One way to run a variant: the head segment on the device, the crossing tensors over the network,
 * the tail segment on a server. The full-offload point has no head; the full-local point has no
 * tail. Immutable.
 */
public final class SplitPoint {

    private final String id;
    private final String headOperators;
    private final int headOperatorCount;
    private final int tailOperatorCount;
    private final List<TensorDescriptor> crossing;
    private final long headMacs;
    private final long tailMacs;
    private final long headParameters;
    private final long tailParameters;
    private final String headSegment;
    private final String tailSegment;

    public SplitPoint(String id, String headOperators, int headOperatorCount, int tailOperatorCount,
            List<TensorDescriptor> crossing, long headMacs, long tailMacs, long headParameters, long tailParameters,
            String headSegment, String tailSegment) {
        this.id = id;
        this.headOperators = headOperators;
        this.headOperatorCount = headOperatorCount;
        this.tailOperatorCount = tailOperatorCount;
        this.crossing = Lists.copyOf(crossing);
        this.headMacs = headMacs;
        this.tailMacs = tailMacs;
        this.headParameters = headParameters;
        this.tailParameters = tailParameters;
        this.headSegment = headSegment;
        this.tailSegment = tailSegment;
    }

    /** "w0.50/s012": variant id, then the split's position in head-depth order. */
    public String id() {
        return id;
    }

    /** Head operators of the source model as ranges ("0-12"), empty for full offload. */
    public String headOperators() {
        return headOperators;
    }

    /** Operators run on the device: the split depth privacy budgets use. */
    public int headOperatorCount() {
        return headOperatorCount;
    }

    public int tailOperatorCount() {
        return tailOperatorCount;
    }

    public boolean isFullOffload() {
        return headSegment == null;
    }

    public boolean isFullLocal() {
        return tailSegment == null;
    }

    /** Tensors sent from device to server, in the tail's input order. */
    public List<TensorDescriptor> crossing() {
        return crossing;
    }

    /** Raw bytes of the crossing tensors (before any codec). */
    public long transferBytes() {
        long sum = 0;
        for (TensorDescriptor t : crossing) {
            sum += t.byteSize();
        }
        return sum;
    }

    public long headMacs() {
        return headMacs;
    }

    public long tailMacs() {
        return tailMacs;
    }

    public long headParameters() {
        return headParameters;
    }

    public long tailParameters() {
        return tailParameters;
    }

    /** SHA-256 of the head segment, or null for full offload. */
    public String headSegment() {
        return headSegment;
    }

    /** SHA-256 of the tail segment, or null for full local execution. */
    public String tailSegment() {
        return tailSegment;
    }

    @Override
    public String toString() {
        return id + " (head " + headOperatorCount + " ops, " + transferBytes() + " bytes across)";
    }
}
