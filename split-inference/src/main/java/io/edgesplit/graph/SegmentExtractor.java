package io.edgesplit.graph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Cuts a model into a head and a tail model at a {@link Cut}: the head maps the model inputs it
 * reads to the crossing tensors; the tail maps the crossing tensors (plus passthrough inputs) to the
 * model outputs. Each segment keeps only the operators, tensors, operator codes and buffers it uses,
 * quantization as it was, and one signature whose names are the tensor names, so that a head's
 * outputs and a tail's inputs match by name.
 */
public final class SegmentExtractor {

    /** Signature key of every segment. */
    public static final String SIGNATURE_KEY = "serving_default";

    private static final String MIN_RUNTIME_METADATA = "min_runtime_version";

    private SegmentExtractor() {
    }

    /** The head model, or null when the head is empty (full offload). */
    public static ModelGraph head(ModelGraph graph, Cut cut) {
        if (cut.isFullOffload()) {
            return null;
        }
        List<Integer> inputs = new ArrayList<>();
        for (GraphTensor t : graph.inputs()) {
            for (int c : graph.consumers(t.index())) {
                if (cut.inHead(c)) {
                    inputs.add(t.index());
                    break;
                }
            }
        }
        List<Integer> outputs = new ArrayList<>();
        for (GraphTensor t : cut.crossing()) {
            outputs.add(t.index());
        }
        return extract(graph, withConstantOperators(graph, cut.headOperators()), inputs, outputs,
                "head (operators " + cut.headRanges() + ")");
    }

    /** The tail model, or null when the tail is empty (full local). */
    public static ModelGraph tail(ModelGraph graph, Cut cut) {
        if (cut.isFullLocal()) {
            return null;
        }
        BitSet ops = new BitSet();
        for (int o = 0; o < graph.operators().size(); o++) {
            if (!cut.inHead(o) && !graph.isConstantOperator(o)) {
                ops.set(o);
            }
        }
        String what = "tail (operators " + Cut.ranges(ops) + ")";
        ops = withConstantOperators(graph, ops);
        List<Integer> inputs = new ArrayList<>();
        for (GraphTensor t : cut.crossing()) {
            inputs.add(t.index());
        }
        for (GraphTensor t : cut.passthrough()) {
            inputs.add(t.index());
        }
        List<Integer> outputs = new ArrayList<>();
        for (GraphTensor t : graph.outputs()) {
            outputs.add(t.index());
        }
        return extract(graph, ops, inputs, outputs, what);
    }

    /**
     * {@code ops} plus the constant operators whose outputs they read, transitively: a segment
     * carries its own copy of the constant folding it needs.
     */
    static BitSet withConstantOperators(ModelGraph graph, BitSet ops) {
        BitSet all = (BitSet) ops.clone();
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        ops.stream().forEach(work::add);
        while (!work.isEmpty()) {
            for (int in : graph.operators().get(work.poll()).inputs()) {
                if (in >= 0) {
                    int producer = graph.tensor(in).producer();
                    if (producer >= 0 && graph.isConstantOperator(producer) && !all.get(producer)) {
                        all.set(producer);
                        work.add(producer);
                    }
                }
            }
        }
        return all;
    }

    private static ModelGraph extract(ModelGraph graph, BitSet ops, List<Integer> inputs, List<Integer> outputs,
            String what) {
        if (ops.cardinality() == graph.operators().size()) {
            what = "full model"; // identical bytes whether it serves as a head or as a tail
        }
        SubGraphT source = graph.schemaSubgraph(0);
        TensorT[] tensors = source.getTensors();
        OperatorT[] operators = source.getOperators();
        OperatorCodeT[] codes = graph.schemaOperatorCodes();
        List<byte[]> buffers = graph.schemaBuffers();

        Map<Integer, Integer> tensorMap = new LinkedHashMap<>();
        Map<Integer, Integer> bufferMap = new LinkedHashMap<>();
        Map<Long, Integer> codeMap = new LinkedHashMap<>();
        List<byte[]> newBuffers = new ArrayList<>();
        newBuffers.add(new byte[0]); // buffer 0: TensorFlow Lite's empty sentinel
        List<TensorT> newTensors = new ArrayList<>();
        List<OperatorCodeT> newCodes = new ArrayList<>();
        List<OperatorT> newOps = new ArrayList<>();

        for (int i : inputs) {
            mapTensor(i, tensors, buffers, tensorMap, bufferMap, newTensors, newBuffers);
        }
        for (int o = ops.nextSetBit(0); o >= 0; o = ops.nextSetBit(o + 1)) {
            OperatorT op = operators[o];
            OperatorT copy = new OperatorT();
            Integer code = codeMap.get(op.getOpcodeIndex());
            if (code == null) {
                code = newCodes.size();
                codeMap.put(op.getOpcodeIndex(), code);
                newCodes.add(copyCode(codes[(int) op.getOpcodeIndex()]));
            }
            copy.setOpcodeIndex(code);
            copy.setInputs(remap(op.getInputs(), tensors, buffers, tensorMap, bufferMap, newTensors, newBuffers));
            copy.setOutputs(remap(op.getOutputs(), tensors, buffers, tensorMap, bufferMap, newTensors, newBuffers));
            copy.setIntermediates(remap(op.getIntermediates(), tensors, buffers, tensorMap, bufferMap, newTensors,
                    newBuffers));
            copy.setBuiltinOptions(op.getBuiltinOptions());
            copy.setCustomOptions(op.getCustomOptions());
            copy.setCustomOptionsFormat(op.getCustomOptionsFormat());
            copy.setMutatingVariableInputs(op.getMutatingVariableInputs());
            newOps.add(copy);
        }
        for (int o : outputs) {
            mapTensor(o, tensors, buffers, tensorMap, bufferMap, newTensors, newBuffers);
        }

        SubGraphT sg = new SubGraphT();
        sg.setTensors(newTensors.toArray(new TensorT[0]));
        sg.setOperators(newOps.toArray(new OperatorT[0]));
        int[] newInputs = inputs.stream().mapToInt(tensorMap::get).toArray();
        int[] newOutputs = outputs.stream().mapToInt(tensorMap::get).toArray();
        sg.setInputs(newInputs);
        sg.setOutputs(newOutputs);
        sg.setName(source.getName());

        List<MetadataT> metadata = new ArrayList<>();
        if (graph.schemaMetadata() != null) {
            for (MetadataT m : graph.schemaMetadata()) {
                // The runtime-version marker stays valid for a segment; TFLite Support metadata describes
                // the whole model's inputs and outputs and would be wrong here.
                if (MIN_RUNTIME_METADATA.equals(m.getName())) {
                    MetadataT copy = new MetadataT();
                    copy.setName(m.getName());
                    copy.setBuffer(newBuffers.size());
                    newBuffers.add(buffers.get((int) m.getBuffer()));
                    metadata.add(copy);
                }
            }
        }
        SignatureDefT signature = new SignatureDefT();
        signature.setSignatureKey(SIGNATURE_KEY);
        signature.setSubgraphIndex(0);
        signature.setInputs(tensorMaps(newInputs, newTensors));
        signature.setOutputs(tensorMaps(newOutputs, newTensors));

        return new ModelGraph(graph.source() + " " + what, graph.schemaVersion(),
                "EdgeSplit " + what + " of " + fileName(graph.source()), newCodes.toArray(new OperatorCodeT[0]),
                new SubGraphT[] {sg}, newBuffers, metadata.toArray(new MetadataT[0]), new SignatureDefT[] {signature},
                null);
    }

    private static String fileName(String source) {
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return slash >= 0 ? source.substring(slash + 1) : source;
    }

    private static TensorMapT[] tensorMaps(int[] indices, List<TensorT> tensors) {
        TensorMapT[] maps = new TensorMapT[indices.length];
        for (int i = 0; i < indices.length; i++) {
            maps[i] = new TensorMapT();
            maps[i].setName(tensors.get(indices[i]).getName());
            maps[i].setTensorIndex(indices[i]);
        }
        return maps;
    }

    private static int[] remap(int[] indices, TensorT[] tensors, List<byte[]> buffers, Map<Integer, Integer> tensorMap,
            Map<Integer, Integer> bufferMap, List<TensorT> newTensors, List<byte[]> newBuffers) {
        if (indices == null) {
            return null;
        }
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] < 0 ? indices[i]
                    : mapTensor(indices[i], tensors, buffers, tensorMap, bufferMap, newTensors, newBuffers);
        }
        return out;
    }

    private static int mapTensor(int index, TensorT[] tensors, List<byte[]> buffers, Map<Integer, Integer> tensorMap,
            Map<Integer, Integer> bufferMap, List<TensorT> newTensors, List<byte[]> newBuffers) {
        Integer mapped = tensorMap.get(index);
        if (mapped != null) {
            return mapped;
        }
        TensorT t = tensors[index];
        TensorT copy = new TensorT();
        copy.setShape(t.getShape());
        copy.setType(t.getType());
        copy.setName(t.getName());
        copy.setQuantization(t.getQuantization());
        copy.setIsVariable(t.getIsVariable());
        copy.setSparsity(t.getSparsity());
        copy.setShapeSignature(t.getShapeSignature());
        copy.setHasRank(t.getHasRank());
        copy.setVariantTensors(t.getVariantTensors());
        int buffer = (int) t.getBuffer();
        if (buffer > 0 && buffers.get(buffer).length > 0) {
            Integer nb = bufferMap.get(buffer);
            if (nb == null) {
                nb = newBuffers.size();
                bufferMap.put(buffer, nb);
                newBuffers.add(buffers.get(buffer));
            }
            copy.setBuffer(nb);
        } else {
            copy.setBuffer(0);
        }
        int newIndex = newTensors.size();
        newTensors.add(copy);
        tensorMap.put(index, newIndex);
        return newIndex;
    }

    private static OperatorCodeT copyCode(OperatorCodeT c) {
        OperatorCodeT copy = new OperatorCodeT();
        copy.setBuiltinCode(c.getBuiltinCode());
        copy.setDeprecatedBuiltinCode(c.getDeprecatedBuiltinCode());
        copy.setCustomCode(c.getCustomCode());
        copy.setVersion(c.getVersion());
        return copy;
    }
}
