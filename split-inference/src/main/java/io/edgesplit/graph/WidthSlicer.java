package io.edgesplit.graph;

import io.edgesplit.engine.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Derives a narrower variant of a float model by channel slicing, the way slimmable networks share
 * weights: every convolution, depthwise convolution and fully connected layer keeps its first
 * {@code ceil(width * C)} output channels, and every layer downstream keeps the matching input
 * channels. The layers that produce the model's outputs (the classifier) keep all their outputs, so
 * the variant answers the same question with fewer channels inside.
 *
 * <p>The derived variant reuses the original weights unchanged (no retraining): it runs and has the
 * right shapes everywhere, but its accuracy is unknown until it is fine-tuned or measured, which is
 * why packages mark derived variants as uncalibrated.
 *
 * <p>Operators whose channel semantics this slicer does not know are refused with the operator named
 * when a sliced tensor reaches them.
 */
public final class WidthSlicer {

    private WidthSlicer() {
    }

    /** Returns a new graph at {@code width} (0 < width <= 1) of {@code model}, which must be float. */
    public static ModelGraph slice(ModelGraph model, double width) throws ModelLoadException {
        if (!(width > 0 && width <= 1)) {
            throw new IllegalArgumentException("width: must be in (0, 1], was " + width);
        }
        CutEnumerator.checkSplittable(model);
        ModelGraph copy = ModelGraph.read(ByteBuffer.wrap(model.toBytes()),
                model.source() + " @ width " + width);
        new Run(copy, width).apply();
        copy.invalidate();
        return copy;
    }

    /** Mutable state of one slicing pass. */
    private static final class Run {
        private final ModelGraph graph;
        private final double width;
        private final TensorT[] tensors;
        private final List<byte[]> buffers;
        /** Kept channel indices of each tensor's last axis; null = all kept. */
        private final int[][] kept;
        /** Constant tensors already sliced, with the slicing applied (to detect conflicting reuse). */
        private final Map<Integer, String> slicedConstants = new HashMap<>();
        private final BitSet lastWeightOps = new BitSet();

        Run(ModelGraph graph, double width) {
            this.graph = graph;
            this.width = width;
            this.tensors = graph.schemaSubgraph(0).getTensors();
            this.buffers = graph.schemaBuffers();
            this.kept = new int[tensors.length][];
        }

        void apply() throws ModelLoadException {
            findLastWeightOps();
            OperatorT[] ops = graph.schemaSubgraph(0).getOperators();
            for (GraphOperator op : graph.operators()) {
                sliceOperator(op, ops[op.index()]);
            }
            for (int t = 0; t < tensors.length; t++) {
                if (kept[t] != null) {
                    setLastDim(tensors[t], kept[t].length);
                }
            }
        }

        /** Weight layers from which a model output is reachable without passing another weight layer. */
        private void findLastWeightOps() {
            List<GraphOperator> ops = graph.operators();
            boolean[] freeToOutput = new boolean[tensors.length];
            for (GraphTensor t : graph.outputs()) {
                freeToOutput[t.index()] = true;
            }
            for (int i = ops.size() - 1; i >= 0; i--) {
                GraphOperator op = ops.get(i);
                boolean reaches = false;
                for (int out : op.outputs()) {
                    reaches |= freeToOutput[out];
                }
                if (!reaches) {
                    continue;
                }
                if (isWeightOp(op.builtinCode())) {
                    lastWeightOps.set(i);
                } else {
                    for (int in : op.inputs()) {
                        if (in >= 0) {
                            freeToOutput[in] = true;
                        }
                    }
                }
            }
        }

        private static boolean isWeightOp(int code) {
            return code == BuiltinOperator.CONV_2D || code == BuiltinOperator.DEPTHWISE_CONV_2D
                    || code == BuiltinOperator.FULLY_CONNECTED;
        }

        private void sliceOperator(GraphOperator op, OperatorT raw) throws ModelLoadException {
            int[] in = op.inputs();
            int out = op.outputs().length > 0 ? op.outputs()[0] : -1;
            int[] inMask = in.length > 0 && in[0] >= 0 ? kept[in[0]] : null;
            switch (op.builtinCode()) {
                case BuiltinOperator.CONV_2D: {
                    requireFloatWeights(op, in[1]);
                    int cout = dim(in[1], 0);
                    int[] outMask = lastWeightOps.get(op.index()) ? null : firstChannels(cout);
                    sliceConstant(op, in[1], new int[][] {outMask, null, null, inMask});
                    sliceBias(op, in, outMask);
                    kept[out] = outMask;
                    return;
                }
                case BuiltinOperator.DEPTHWISE_CONV_2D: {
                    requireFloatWeights(op, in[1]);
                    int multiplier = ((DepthwiseConv2DOptionsT) raw.getBuiltinOptions().getValue()).getDepthMultiplier();
                    int[] outMask = null;
                    if (inMask != null) {
                        outMask = new int[inMask.length * multiplier];
                        for (int i = 0; i < inMask.length; i++) {
                            for (int j = 0; j < multiplier; j++) {
                                outMask[i * multiplier + j] = inMask[i] * multiplier + j;
                            }
                        }
                    }
                    sliceConstant(op, in[1], new int[][] {null, null, null, outMask});
                    sliceBias(op, in, outMask);
                    kept[out] = outMask;
                    return;
                }
                case BuiltinOperator.FULLY_CONNECTED: {
                    requireFloatWeights(op, in[1]);
                    int outputs = dim(in[1], 0);
                    int inFeatures = dim(in[1], 1);
                    if (inMask != null && lastDim(in[0]) != inFeatures) {
                        throw refuse(op, "its input " + Arrays.toString(tensors[in[0]].getShape())
                                + " is flattened from a sliced tensor; only channel-last inputs can be sliced");
                    }
                    int[] outMask = lastWeightOps.get(op.index()) ? null : firstChannels(outputs);
                    sliceConstant(op, in[1], new int[][] {outMask, inMask});
                    sliceBias(op, in, outMask);
                    kept[out] = outMask;
                    return;
                }
                case BuiltinOperator.ADD:
                case BuiltinOperator.MUL:
                case BuiltinOperator.SUB:
                case BuiltinOperator.MAXIMUM:
                case BuiltinOperator.MINIMUM:
                case BuiltinOperator.SQUARED_DIFFERENCE: {
                    int[] mask = null;
                    boolean first = true;
                    for (int t : in) {
                        if (t < 0 || isConstant(t)) {
                            continue;
                        }
                        if (first) {
                            mask = kept[t];
                            first = false;
                        } else if (!Arrays.equals(mask, kept[t])) {
                            throw refuse(op, "its inputs keep different channels (" + describe(mask) + " vs "
                                    + describe(kept[t]) + ")");
                        }
                    }
                    for (int t : in) {
                        if (t >= 0 && isConstant(t) && mask != null && tensors[t].getShape().length > 0
                                && lastDim(t) > 1) {
                            int[][] masks = new int[tensors[t].getShape().length][];
                            masks[masks.length - 1] = mask;
                            sliceConstant(op, t, masks);
                        }
                    }
                    kept[out] = mask;
                    return;
                }
                case BuiltinOperator.CONCATENATION: {
                    boolean any = false;
                    for (int t : in) {
                        any |= kept[t] != null;
                    }
                    if (!any) {
                        return;
                    }
                    int rank = tensors[out].getShape().length;
                    int axis = ((org.tensorflow.lite.schema.ConcatenationOptionsT) raw.getBuiltinOptions().getValue())
                            .getAxis();
                    if (axis < 0) {
                        axis += rank;
                    }
                    if (axis != rank - 1) {
                        throw refuse(op, "it concatenates along axis " + axis + ", not the channel axis");
                    }
                    int total = 0;
                    int offset = 0;
                    int[] mask = new int[0];
                    for (int t : in) {
                        int[] m = kept[t] != null ? kept[t] : allChannels(lastDim(t));
                        int[] merged = Arrays.copyOf(mask, mask.length + m.length);
                        for (int i = 0; i < m.length; i++) {
                            merged[mask.length + i] = offset + m[i];
                        }
                        mask = merged;
                        offset += lastDim(t);
                        total += m.length;
                    }
                    kept[out] = total == offset ? null : mask;
                    return;
                }
                case BuiltinOperator.RESHAPE:
                case BuiltinOperator.SQUEEZE:
                case BuiltinOperator.EXPAND_DIMS: {
                    if (inMask == null) {
                        return;
                    }
                    if (lastDim(out) != lastDim(in[0])) {
                        throw refuse(op, "it moves the channel axis (" + Arrays.toString(tensors[in[0]].getShape())
                                + " -> " + Arrays.toString(tensors[out].getShape()) + ")");
                    }
                    kept[out] = inMask;
                    if (op.builtinCode() == BuiltinOperator.RESHAPE) {
                        fixReshapeTarget(op, raw, in, inMask.length);
                    }
                    return;
                }
                case BuiltinOperator.MEAN:
                case BuiltinOperator.SUM:
                case BuiltinOperator.REDUCE_MAX: {
                    if (inMask != null && reducesChannelAxis(in)) {
                        throw refuse(op, "it reduces over the channel axis");
                    }
                    kept[out] = inMask;
                    return;
                }
                case BuiltinOperator.PAD:
                case BuiltinOperator.PADV2:
                case BuiltinOperator.MIRROR_PAD:
                case BuiltinOperator.RELU:
                case BuiltinOperator.RELU6:
                case BuiltinOperator.RELU_N1_TO_1:
                case BuiltinOperator.LEAKY_RELU:
                case BuiltinOperator.LOGISTIC:
                case BuiltinOperator.TANH:
                case BuiltinOperator.HARD_SWISH:
                case BuiltinOperator.AVERAGE_POOL_2D:
                case BuiltinOperator.MAX_POOL_2D:
                case BuiltinOperator.SOFTMAX:
                case BuiltinOperator.DEQUANTIZE:
                case BuiltinOperator.QUANTIZE:
                    kept[out] = inMask;
                    return;
                default:
                    for (int t : in) {
                        if (t >= 0 && kept[t] != null) {
                            throw refuse(op, "EdgeSplit does not know how its channels map to its inputs'");
                        }
                    }
            }
        }

        private void requireFloatWeights(GraphOperator op, int weights) throws ModelLoadException {
            if (tensors[weights].getType() != 0) {
                throw new UnsplittableModelException(graph.source(), "deriving widths needs a float model: operator "
                        + op.index() + " " + op.opName() + " has " + graph.tensor(weights).typeName() + " weights");
            }
            if (!isConstant(weights)) {
                throw refuse(op, "its weights are not constant");
            }
        }

        private boolean reducesChannelAxis(int[] in) {
            if (in.length < 2 || !isConstant(in[1])) {
                return true;
            }
            int rank = tensors[in[0]].getShape().length;
            ByteBuffer axes = ByteBuffer.wrap(buffers.get((int) tensors[in[1]].getBuffer())).order(ByteOrder.LITTLE_ENDIAN);
            while (axes.remaining() >= 4) {
                int a = axes.getInt();
                if (a == -1 || a == rank - 1) {
                    return true;
                }
            }
            return false;
        }

        private void fixReshapeTarget(GraphOperator op, OperatorT raw, int[] in, int channels) throws ModelLoadException {
            if (raw.getBuiltinOptions() != null && raw.getBuiltinOptions().getValue() instanceof ReshapeOptionsT) {
                ReshapeOptionsT o = (ReshapeOptionsT) raw.getBuiltinOptions().getValue();
                int[] ns = o.getNewShape();
                if (ns != null && ns.length > 0 && ns[ns.length - 1] > 0) {
                    ns = ns.clone();
                    ns[ns.length - 1] = channels;
                    o.setNewShape(ns);
                }
            }
            if (in.length > 1 && in[1] >= 0 && isConstant(in[1])) {
                byte[] data = buffers.get((int) tensors[in[1]].getBuffer()).clone();
                ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                int last = data.length - 4;
                if (last >= 0 && bb.getInt(last) > 0) {
                    bb.putInt(last, channels);
                }
                replaceBuffer(op, in[1], data);
            }
        }

        private void sliceBias(GraphOperator op, int[] in, int[] mask) throws ModelLoadException {
            if (in.length > 2 && in[2] >= 0 && mask != null) {
                sliceConstant(op, in[2], new int[][] {mask});
            }
        }

        /** Slices a constant float tensor along the axes that have a mask (null = keep the axis whole). */
        private void sliceConstant(GraphOperator op, int t, int[][] masks) throws ModelLoadException {
            boolean any = false;
            for (int[] m : masks) {
                any |= m != null;
            }
            if (!any) {
                return;
            }
            String key = describeMasks(masks);
            String previous = slicedConstants.putIfAbsent(t, key);
            if (previous != null) {
                if (!previous.equals(key)) {
                    throw refuse(op, "constant '" + tensors[t].getName() + "' is shared with another layer that "
                            + "keeps different channels");
                }
                return;
            }
            int[] shape = tensors[t].getShape();
            if (shape.length != masks.length) {
                throw refuse(op, "constant '" + tensors[t].getName() + "' has rank " + shape.length + ", expected "
                        + masks.length);
            }
            ByteBuffer src = ByteBuffer.wrap(buffers.get((int) tensors[t].getBuffer())).order(ByteOrder.LITTLE_ENDIAN);
            int[][] idx = new int[shape.length][];
            int[] newShape = new int[shape.length];
            int count = 1;
            for (int d = 0; d < shape.length; d++) {
                idx[d] = masks[d] != null ? masks[d] : allChannels(shape[d]);
                newShape[d] = idx[d].length;
                count *= newShape[d];
            }
            int[] strides = new int[shape.length];
            int stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= shape[d];
            }
            ByteBuffer dst = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
            int[] pos = new int[shape.length];
            for (int i = 0; i < count; i++) {
                int offset = 0;
                for (int d = 0; d < shape.length; d++) {
                    offset += idx[d][pos[d]] * strides[d];
                }
                dst.putFloat(src.getFloat(offset * 4));
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++pos[d] < newShape[d]) {
                        break;
                    }
                    pos[d] = 0;
                }
            }
            replaceBuffer(op, t, dst.array());
            tensors[t].setShape(newShape);
            if (tensors[t].getShapeSignature() != null && tensors[t].getShapeSignature().length == newShape.length) {
                tensors[t].setShapeSignature(newShape.clone());
            }
        }

        private void replaceBuffer(GraphOperator op, int t, byte[] data) {
            // A fresh buffer per sliced constant: the original may be shared by another tensor.
            buffers.add(data);
            tensors[t].setBuffer(buffers.size() - 1);
        }

        private int[] firstChannels(int c) {
            int k = (int) Math.ceil(width * c - 1e-9);
            return allChannels(Math.max(1, Math.min(c, k)));
        }

        private static int[] allChannels(int n) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            return a;
        }

        private boolean isConstant(int t) {
            int b = (int) tensors[t].getBuffer();
            return b > 0 && buffers.get(b).length > 0;
        }

        private int dim(int t, int d) {
            return tensors[t].getShape()[d];
        }

        private int lastDim(int t) {
            int[] s = tensors[t].getShape();
            return s.length == 0 ? 1 : s[s.length - 1];
        }

        private static void setLastDim(TensorT t, int n) {
            int[] s = t.getShape().clone();
            s[s.length - 1] = n;
            t.setShape(s);
            int[] sig = t.getShapeSignature();
            if (sig != null && sig.length == s.length) {
                sig = sig.clone();
                sig[sig.length - 1] = n;
                t.setShapeSignature(sig);
            }
        }

        private UnsplittableModelException refuse(GraphOperator op, String why) {
            return new UnsplittableModelException(graph.source(), "cannot derive width " + width + ": operator "
                    + op.index() + " " + op.opName() + " cannot be channel-sliced: " + why);
        }

        private static String describe(int[] mask) {
            return mask == null ? "all" : mask.length + " channels";
        }

        private static String describeMasks(int[][] masks) {
            StringBuilder sb = new StringBuilder();
            for (int[] m : masks) {
                sb.append(m == null ? "*" : Arrays.toString(m)).append('|');
            }
            return sb.toString();
        }
    }
}
