package io.edgesplit.graph;

import io.edgesplit.common.Lists;
import java.util.List;

/**
 * A place to cut the model in its execution order: the head runs operators {@code 0..afterOperator},
 * the tail runs the rest, and the {@link #crossing()} tensors travel from head to tail.
 * {@code afterOperator == -1} sends the raw inputs; {@code afterOperator == last} runs all on the
 * head. Immutable.
 */
public final class SplitCandidate {

    private final int afterOperator;
    private final List<GraphTensor> crossing;
    private final long crossingBytes;
    private final long headMacs;
    private final long tailMacs;

    SplitCandidate(int afterOperator, List<GraphTensor> crossing, long headMacs, long tailMacs) {
        this.afterOperator = afterOperator;
        this.crossing = Lists.copyOf(crossing);
        long bytes = 0;
        for (GraphTensor t : crossing) {
            bytes += Math.max(0, t.byteSize());
        }
        this.crossingBytes = bytes;
        this.headMacs = headMacs;
        this.tailMacs = tailMacs;
    }

    public int afterOperator() {
        return afterOperator;
    }

    public List<GraphTensor> crossing() {
        return crossing;
    }

    public long crossingBytes() {
        return crossingBytes;
    }

    public long headMacs() {
        return headMacs;
    }

    public long tailMacs() {
        return tailMacs;
    }

    @Override
    public String toString() {
        return "split after operator " + afterOperator + ": " + crossing.size() + " tensor(s), " + crossingBytes + " bytes";
    }
}
