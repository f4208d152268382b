package io.edgesplit.graph;

import io.edgesplit.common.Lists;
import java.util.BitSet;
import java.util.List;

/**
 * A cut of a model's operator graph into a head (run on the device) and a tail (run elsewhere).
 * The head is closed under predecessors: every operator whose output a head operator reads is in
 * the head too. The {@link #crossing()} tensors are written by the head and read by the tail; the
 * {@link #passthrough()} tensors are model inputs the tail reads directly, which travel with them.
 * Immutable.
 */
public final class Cut {

    private final BitSet head;
    private final int operatorCount;
    private final List<GraphTensor> crossing;
    private final List<GraphTensor> passthrough;
    private final long headMacs;
    private final long tailMacs;
    private final long headParameters;
    private final long tailParameters;
    private final boolean prefix;

    Cut(BitSet head, int operatorCount, List<GraphTensor> crossing, List<GraphTensor> passthrough, long headMacs,
            long tailMacs, long headParameters, long tailParameters, boolean prefix) {
        this.prefix = prefix;
        this.head = (BitSet) head.clone();
        this.operatorCount = operatorCount;
        this.crossing = Lists.copyOf(crossing);
        this.passthrough = Lists.copyOf(passthrough);
        this.headMacs = headMacs;
        this.tailMacs = tailMacs;
        this.headParameters = headParameters;
        this.tailParameters = tailParameters;
    }

    /** Operators of the head, by index in the model's execution order. */
    public BitSet headOperators() {
        return (BitSet) head.clone();
    }

    public boolean inHead(int operator) {
        return head.get(operator);
    }

    /** Number of operators in the head: the split depth used by privacy budgets. */
    public int headOperatorCount() {
        return head.cardinality();
    }

    public int tailOperatorCount() {
        return operatorCount - head.cardinality();
    }

    /** The head is empty: the raw inputs are sent and everything runs remotely. */
    public boolean isFullOffload() {
        return head.isEmpty();
    }

    /** The tail is empty: everything runs on the device. */
    public boolean isFullLocal() {
        return head.cardinality() == operatorCount;
    }

    /**
     * True when the head is a prefix of the execution order, constant operators aside (always so
     * for chain models; DAGs with parallel branches also have cuts that interleave them).
     */
    public boolean isPrefix() {
        return prefix;
    }

    /** Tensors the head writes and the tail reads (or model outputs the head writes when the tail is empty). */
    public List<GraphTensor> crossing() {
        return crossing;
    }

    /** Model inputs the tail reads directly (sent alongside the crossing tensors). */
    public List<GraphTensor> passthrough() {
        return passthrough;
    }

    /** Bytes that leave the device: crossing tensors plus passthrough inputs, before any codec. */
    public long transferBytes() {
        long sum = 0;
        for (GraphTensor t : crossing) {
            sum += t.byteSize();
        }
        for (GraphTensor t : passthrough) {
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

    /** Constant elements the head's operators read (weights it must hold). */
    public long headParameters() {
        return headParameters;
    }

    public long tailParameters() {
        return tailParameters;
    }

    /** Head operators as compact ranges, e.g. "0-12" or "0-5,7" (for manifests and messages). */
    public String headRanges() {
        return ranges(head);
    }

    static String ranges(BitSet set) {
        StringBuilder sb = new StringBuilder();
        int i = set.nextSetBit(0);
        while (i >= 0) {
            int end = set.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    /**
     * Parses {@link #headRanges()} notation back into a set of operators.
     *
     * @throws IllegalArgumentException naming the part that is not a number or range
     */
    public static BitSet parseRanges(String ranges, int operatorCount) {
        BitSet set = new BitSet();
        if (ranges == null || ranges.trim().isEmpty()) {
            return set;
        }
        for (String part : ranges.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || to < from || to >= operatorCount) {
                    throw new IllegalArgumentException("operator range '" + p + "' is outside 0-" + (operatorCount - 1));
                }
                set.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("operator range '" + p + "' is not N or N-M", e);
            }
        }
        return set;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cut && ((Cut) o).head.equals(head) && ((Cut) o).operatorCount == operatorCount;
    }

    @Override
    public int hashCode() {
        return head.hashCode();
    }

    @Override
    public String toString() {
        String where = isFullOffload() ? "nothing" : "operators " + headRanges();
        return "cut: head runs " + where + "; " + crossing.size() + " crossing tensor(s), " + transferBytes() + " bytes";
    }
}
