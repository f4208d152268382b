package io.edgesplit.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * Finds every valid cut of a model's primary subgraph with at most {@code maxCrossing} tensors
 * crossing from head to tail, exactly.
 *
 * <h2>Why this is exact</h2>
 * A cut is valid when its head is closed under predecessors (no tail operator feeds a head
 * operator), i.e. the head is an <em>ideal</em> (down-set) of the operator DAG. Every ideal is
 * reached from the empty set by adding, one at a time, an operator whose predecessors are all
 * already in the set (take the ideal's operators in any topological order: every prefix of that
 * order is itself an ideal). The search below visits exactly the ideals, each once (a visited set
 * removes duplicates), and keeps those whose crossing set has at most {@code maxCrossing} tensors.
 * Nothing is pruned on crossing size, because a large frontier can shrink again later (a residual
 * block closes with its ADD), so no cut of size at most K is missed. For chain models the ideals
 * are the prefixes of the execution order, one per layer boundary; for DAGs (residual ADDs, parallel
 * branches) they include every interleaving of independent branches. The number of ideals is
 * bounded by {@link #DEFAULT_MAX_IDEALS}; wider graphs are refused with a message saying so rather
 * than silently enumerated in part.
 *
 * <p>Beyond the DAG condition a cut must have every model output written by the tail (unless the
 * tail is empty) and only exchangeable crossing tensors (fixed-size types). The two extremes, full
 * offload (empty head) and full local (empty tail), are always included.
 */
public final class CutEnumerator {

    /** Default K: at most two tensors cross (enough for a residual block's skip connection). */
    public static final int DEFAULT_MAX_CROSSING = 2;

    /** Upper bound on the ideals visited before the search gives up. */
    public static final int DEFAULT_MAX_IDEALS = 2_000_000;

    private CutEnumerator() {
    }

    /** Every valid cut with at most {@code maxCrossing} crossing tensors, ordered by head depth then head MACs. */
    public static List<Cut> enumerate(ModelGraph graph, int maxCrossing) throws UnsplittableModelException {
        return enumerate(graph, maxCrossing, DEFAULT_MAX_IDEALS);
    }

    public static List<Cut> enumerate(ModelGraph graph, int maxCrossing, int maxIdeals)
            throws UnsplittableModelException {
        if (maxCrossing < 1) {
            throw new IllegalArgumentException("maxCrossing: must be >= 1, was " + maxCrossing);
        }
        checkSplittable(graph);
        Dag dag = new Dag(graph);
        int n = dag.operatorCount;
        List<Cut> cuts = new ArrayList<>();
        Set<BitSet> seen = new HashSet<>();
        Deque<BitSet> frontier = new ArrayDeque<>();
        BitSet empty = new BitSet(n);
        seen.add(empty);
        frontier.add(empty);
        while (!frontier.isEmpty()) {
            BitSet ideal = frontier.poll();
            Cut cut = dag.cutOf(ideal);
            boolean extreme = ideal.isEmpty() || ideal.cardinality() == n;
            if (cut != null && (extreme || cut.crossing().size() + cut.passthrough().size() <= maxCrossing)) {
                cuts.add(cut);
            }
            for (int op = dag.nextCandidate(ideal, 0); op < dag.graph.operators().size();
                    op = dag.nextCandidate(ideal, op + 1)) {
                if (dag.ready(op, ideal)) {
                    BitSet next = (BitSet) ideal.clone();
                    next.set(op);
                    if (seen.add(next)) {
                        if (seen.size() > maxIdeals) {
                            throw new UnsplittableModelException(graph.source(), "the operator graph is too wide to "
                                    + "enumerate its cuts exactly (more than " + maxIdeals + " head sets); "
                                    + "split it at explicit operator ranges instead");
                        }
                        frontier.add(next);
                    }
                }
            }
        }
        cuts.sort(Comparator.comparingInt(Cut::headOperatorCount).thenComparingLong(Cut::headMacs)
                .thenComparing(Cut::headRanges));
        return cuts;
    }

    /**
     * The cut whose head is exactly {@code head}.
     *
     * @throws UnsplittableModelException explaining why when the set is not a valid cut (a tail
     *     operator feeds a head operator, a model output would be written by the head, ...)
     */
    public static Cut cutAt(ModelGraph graph, BitSet head) throws UnsplittableModelException {
        checkSplittable(graph);
        Dag dag = new Dag(graph);
        if (head.length() > graph.operators().size()) {
            throw new UnsplittableModelException(graph.source(), "operator " + (head.length() - 1)
                    + " does not exist, the model has " + graph.operators().size() + " operators");
        }
        for (int op = head.nextSetBit(0); op >= 0; op = head.nextSetBit(op + 1)) {
            for (int pred : dag.predecessors.get(op)) {
                if (!head.get(pred)) {
                    throw new UnsplittableModelException(graph.source(), "invalid cut: head operator " + op + " ("
                            + graph.operators().get(op).opName() + ") reads the output of operator " + pred + " ("
                            + graph.operators().get(pred).opName() + "), which would run in the tail");
                }
            }
        }
        String why = dag.whyInvalid(head);
        if (why != null) {
            throw new UnsplittableModelException(graph.source(), "invalid cut: " + why);
        }
        return dag.cutOf(head);
    }

    /** The cut after operator {@code afterOperator} of the execution order (head = 0..afterOperator). */
    public static Cut cutAfter(ModelGraph graph, int afterOperator) throws UnsplittableModelException {
        int n = graph.operators().size();
        if (afterOperator < -1 || afterOperator >= n) {
            throw new UnsplittableModelException(graph.source(), "invalid cut: after operator " + afterOperator
                    + ", expected -1 to " + (n - 1));
        }
        BitSet head = new BitSet(n);
        for (int op = 0; op <= afterOperator; op++) {
            if (!graph.isConstantOperator(op)) {
                head.set(op);
            }
        }
        return cutAt(graph, head);
    }

    /**
     * Refuses models EdgeSplit cannot cut: several subgraphs (control flow), control-flow or custom
     * operators, resource variables.
     */
    public static void checkSplittable(ModelGraph graph) throws UnsplittableModelException {
        if (graph.subgraphCount() != 1) {
            String hint = "";
            for (GraphOperator op : graph.operators()) {
                if (isControlFlow(op.builtinCode())) {
                    hint = " (operator " + op.index() + " " + op.opName() + " calls another subgraph)";
                    break;
                }
            }
            throw new UnsplittableModelException(graph.source(), "cannot split a model with " + graph.subgraphCount()
                    + " subgraphs" + hint + "; only single-subgraph models without control flow can be split");
        }
        for (GraphOperator op : graph.operators()) {
            if (isControlFlow(op.builtinCode())) {
                throw new UnsplittableModelException(graph.source(), "cannot split across control flow: operator "
                        + op.index() + " " + op.opName());
            }
            if (op.isCustom()) {
                throw new UnsplittableModelException(graph.source(), "cannot split a model with custom operators: "
                        + "operator " + op.index() + " custom '" + op.customCode() + "' has no known semantics to "
                        + "separate, and the serving side may not have its kernel");
            }
            if (op.builtinCode() == BuiltinOperator.VAR_HANDLE || op.builtinCode() == BuiltinOperator.READ_VARIABLE
                    || op.builtinCode() == BuiltinOperator.ASSIGN_VARIABLE) {
                throw new UnsplittableModelException(graph.source(), "cannot split a model with resource variables: "
                        + "operator " + op.index() + " " + op.opName());
            }
        }
        if (graph.operators().isEmpty()) {
            throw new UnsplittableModelException(graph.source(), "the model has no operators to split");
        }
    }

    private static boolean isControlFlow(int code) {
        return code == BuiltinOperator.WHILE || code == BuiltinOperator.IF || code == BuiltinOperator.CALL_ONCE
                || code == BuiltinOperator.CALL;
    }

    /**
     * The operator DAG: edges follow non-constant tensors from producer to consumer. Constant
     * operators (computing only from constants) are not scheduled: they go with whichever side
     * reads their outputs, so they neither cross nor multiply the number of cuts.
     */
    private static final class Dag {
        final ModelGraph graph;
        final int operatorCount;
        final BitSet schedulable = new BitSet();
        final List<int[]> predecessors = new ArrayList<>();
        final BitSet modelInputs = new BitSet();
        final BitSet modelOutputs = new BitSet();

        Dag(ModelGraph graph) {
            this.graph = graph;
            for (GraphOperator op : graph.operators()) {
                BitSet preds = new BitSet();
                if (!graph.isConstantOperator(op.index())) {
                    schedulable.set(op.index());
                    for (int in : op.inputs()) {
                        if (in >= 0 && !graph.isConstantDerived(in)) {
                            int producer = graph.tensor(in).producer();
                            if (producer >= 0) {
                                preds.set(producer);
                            }
                        }
                    }
                }
                predecessors.add(preds.stream().toArray());
            }
            this.operatorCount = schedulable.cardinality();
            for (GraphTensor t : graph.inputs()) {
                modelInputs.set(t.index());
            }
            for (GraphTensor t : graph.outputs()) {
                modelOutputs.set(t.index());
            }
        }

        int nextCandidate(BitSet ideal, int from) {
            int op = from;
            while (true) {
                op = ideal.nextClearBit(op);
                if (op >= graph.operators().size() || schedulable.get(op)) {
                    return op;
                }
                op++;
            }
        }

        boolean ready(int op, BitSet ideal) {
            for (int p : predecessors.get(op)) {
                if (!ideal.get(p)) {
                    return false;
                }
            }
            return true;
        }

        /** Null when the head is a valid cut, else the reason. */
        String whyInvalid(BitSet head) {
            BitSet constant = (BitSet) head.clone();
            constant.andNot(schedulable);
            if (!constant.isEmpty()) {
                int op = constant.nextSetBit(0);
                return "operator " + op + " (" + graph.operators().get(op).opName() + ") only computes constants; "
                        + "it goes with the operators that read it and cannot be placed explicitly";
            }
            boolean tailEmpty = head.cardinality() == operatorCount;
            if (!tailEmpty) {
                for (GraphTensor out : graph.outputs()) {
                    if (out.producer() >= 0 && head.get(out.producer())) {
                        return "model output '" + out.name() + "' would be written by head operator " + out.producer()
                                + "; every model output must come from the tail";
                    }
                }
            }
            return null;
        }

        /** The cut with this head, or null when it is not a valid cut (see {@link #whyInvalid}). */
        Cut cutOf(BitSet head) {
            if (whyInvalid(head) != null) {
                return null;
            }
            boolean tailEmpty = head.cardinality() == operatorCount;
            List<GraphTensor> crossing = new ArrayList<>();
            List<GraphTensor> passthrough = new ArrayList<>();
            for (GraphTensor t : graph.tensors()) {
                if (graph.isConstantDerived(t.index())) {
                    continue;
                }
                boolean readByTail = false;
                for (int c : graph.consumers(t.index())) {
                    if (!head.get(c)) {
                        readByTail = true;
                        break;
                    }
                }
                if (t.producer() >= 0 && head.get(t.producer())) {
                    if (readByTail || (tailEmpty && modelOutputs.get(t.index()))) {
                        crossing.add(t);
                    }
                } else if (t.producer() < 0 && modelInputs.get(t.index()) && (readByTail || head.isEmpty())) {
                    passthrough.add(t);
                }
            }
            for (GraphTensor t : crossing) {
                if (!t.hasSpec() || t.byteSize() < 0) {
                    return null;
                }
            }
            BitSet tail = (BitSet) schedulable.clone();
            tail.andNot(head);
            BitSet headAll = SegmentExtractor.withConstantOperators(graph, head);
            BitSet tailAll = SegmentExtractor.withConstantOperators(graph, tail);
            int lastHead = head.length() - 1;
            BitSet before = (BitSet) schedulable.clone();
            before.clear(lastHead + 1, Math.max(lastHead + 1, before.length()));
            boolean prefix = before.equals(head);
            return new Cut(head, operatorCount, crossing, passthrough, macs(headAll), macs(tailAll),
                    parameters(headAll), parameters(tailAll), prefix);
        }

        private long macs(BitSet ops) {
            long sum = 0;
            for (int o = ops.nextSetBit(0); o >= 0; o = ops.nextSetBit(o + 1)) {
                sum += graph.operators().get(o).macs();
            }
            return sum;
        }

        private long parameters(BitSet ops) {
            BitSet constants = new BitSet();
            for (int o = ops.nextSetBit(0); o >= 0; o = ops.nextSetBit(o + 1)) {
                for (int in : graph.operators().get(o).inputs()) {
                    if (in >= 0 && graph.tensor(in).isConstant()) {
                        constants.set(in);
                    }
                }
            }
            long sum = 0;
            for (int t = constants.nextSetBit(0); t >= 0; t = constants.nextSetBit(t + 1)) {
                sum += graph.tensor(t).elementCount();
            }
            return sum;
        }
    }
}
