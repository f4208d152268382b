package io.edgesplit.graph;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.tflite.TfLiteFormat;
import io.edgesplit.engine.tflite.TfLiteTypes;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDef;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * A TensorFlow Lite model as a graph: read from and written to .tflite flatbuffers with the schema
 * classes of {@code tensorflow-lite-metadata}, with per-operator MACs and parameter counts,
 * activation sizes and the candidate split points along the execution order.
 *
 * <p>Reading is safe on untrusted bytes: the header is checked in Java and the whole buffer passes
 * TensorFlow Lite's native flatbuffer verifier before any vector is read, so no length from the file
 * is allocated unchecked. Writing is lossless for what TensorFlow Lite executes: operators, tensors,
 * buffers (kept 16-byte aligned), signatures and metadata; see {@link #toBytes()} for the
 * empty-vector trap it avoids.
 *
 * <p>Analysis methods look at the primary subgraph (index 0), the one TensorFlow Lite runs. Not
 * thread-safe while being modified; immutable in practice once read.
 */
public final class ModelGraph {

    /** Operator table fields this schema version does not know; a model using them cannot round-trip. */
    private static final int OPERATOR_FIRST_UNKNOWN_FIELD = 9;
    private static final int OPERATOR_DEBUG_METADATA_FIELD = 13;
    private static final int BUFFER_OFFSET_FIELD = 1;
    private static final int MODEL_SUBGRAPHS_FIELD = 2;
    private static final int MODEL_BUFFERS_FIELD = 4;
    private static final int SUBGRAPH_OPERATORS_FIELD = 3;

    private final String source;
    private long version;
    private String description;
    private OperatorCodeT[] operatorCodes;
    private SubGraphT[] subgraphs;
    private List<byte[]> buffers;
    private MetadataT[] metadata;
    private SignatureDefT[] signatureDefs;
    private int[] metadataBuffer;

    private volatile Analysis analysis;

    ModelGraph(String source, long version, String description, OperatorCodeT[] operatorCodes, SubGraphT[] subgraphs,
            List<byte[]> buffers, MetadataT[] metadata, SignatureDefT[] signatureDefs, int[] metadataBuffer) {
        this.source = Objects.requireNonNull(source, "source");
        this.version = version;
        this.description = description;
        this.operatorCodes = operatorCodes;
        this.subgraphs = subgraphs;
        this.buffers = buffers;
        this.metadata = metadata;
        this.signatureDefs = signatureDefs;
        this.metadataBuffer = metadataBuffer;
    }

    /**
     * Reads a .tflite file.
     *
     * @throws ModelLoadException naming the file and the reason (missing, truncated, not TensorFlow
     *     Lite, corrupt, or using schema features this reader cannot preserve)
     */
    public static ModelGraph read(Path file) throws ModelLoadException {
        try (BytePointer bytes = TfLiteFormat.readFile(file, Integer.MAX_VALUE - 8)) {
            return read(bytes.asByteBuffer(), file.toString());
        }
    }

    /** Reads a model from {@code bytes} (position to limit); the bytes are copied. */
    public static ModelGraph read(ByteBuffer bytes, String source) throws ModelLoadException {
        String src = source == null ? "<memory>" : source;
        TfLiteFormat.checkHeader(bytes, src);
        try (BytePointer copy = TfLiteFormat.copyToNative(bytes, src, Integer.MAX_VALUE - 8)) {
            FlatBufferModel verified = TfLiteFormat.verifyAndBuild(copy, src);
            verified.close();
            return parse(copy.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN), src);
        }
    }

    private static ModelGraph parse(ByteBuffer bb, String source) throws ModelLoadException {
        try {
            Model model = Model.getRootAsModel(bb);
            RawTable rawModel = RawTable.root(bb);
            OperatorCodeT[] codes = new OperatorCodeT[model.operatorCodesLength()];
            for (int i = 0; i < codes.length; i++) {
                OperatorCode code = model.operatorCodes(i);
                codes[i] = code.unpack();
            }
            SubGraphT[] subgraphs = new SubGraphT[model.subgraphsLength()];
            for (int s = 0; s < subgraphs.length; s++) {
                SubGraph sg = model.subgraphs(s);
                checkOperators(sg, rawModel.element(MODEL_SUBGRAPHS_FIELD, s), s, source);
                subgraphs[s] = sg.unpack();
            }
            List<byte[]> buffers = new ArrayList<>(model.buffersLength());
            Buffer reuse = new Buffer();
            for (int i = 0; i < model.buffersLength(); i++) {
                Buffer buf = model.buffers(reuse, i);
                if (rawModel.element(MODEL_BUFFERS_FIELD, i).has(BUFFER_OFFSET_FIELD)) {
                    throw new ModelLoadException(source, "buffer " + i + " stores its data outside the flatbuffer "
                            + "(a >2 GB model layout); EdgeSplit reads only models with inline buffers");
                }
                ByteBuffer data = buf.dataAsByteBuffer();
                byte[] bytes = new byte[data == null ? 0 : data.remaining()];
                if (data != null) {
                    data.get(bytes);
                }
                buffers.add(bytes);
            }
            MetadataT[] metadata = new MetadataT[model.metadataLength()];
            for (int i = 0; i < metadata.length; i++) {
                Metadata m = model.metadata(i);
                metadata[i] = m.unpack();
            }
            SignatureDefT[] sigs = new SignatureDefT[model.signatureDefsLength()];
            for (int i = 0; i < sigs.length; i++) {
                SignatureDef sd = model.signatureDefs(i);
                sigs[i] = sd.unpack();
            }
            int[] metadataBuffer = new int[model.metadataBufferLength()];
            for (int i = 0; i < metadataBuffer.length; i++) {
                metadataBuffer[i] = model.metadataBuffer(i);
            }
            ModelGraph graph = new ModelGraph(source, model.version(), model.description(), codes, subgraphs, buffers,
                    metadata, sigs, metadataBuffer);
            graph.validateReferences();
            return graph;
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException(source, "corrupt TensorFlow Lite flatbuffer (" + e + ")", e);
        }
    }

    private static void checkOperators(SubGraph sg, RawTable rawSubgraph, int subgraph, String source)
            throws ModelLoadException {
        Operator op = new Operator();
        int knownOptionTypes = BuiltinOptions.names.length;
        for (int i = 0; i < sg.operatorsLength(); i++) {
            sg.operators(op, i);
            int optionsType = op.builtinOptionsType() & 0xff;
            if (optionsType >= knownOptionTypes) {
                throw new ModelLoadException(source, "subgraph " + subgraph + " operator " + i
                        + " uses builtin options type " + optionsType + ", newer than the schema EdgeSplit reads");
            }
            for (int field = OPERATOR_FIRST_UNKNOWN_FIELD; field < OPERATOR_DEBUG_METADATA_FIELD; field++) {
                if (rawSubgraph.element(SUBGRAPH_OPERATORS_FIELD, i).has(field)) {
                    throw new ModelLoadException(source, "subgraph " + subgraph + " operator " + i
                            + " uses large custom options or builtin_options_2 (StableHLO), which EdgeSplit "
                            + "cannot preserve");
                }
            }
        }
    }

    /** Rejects out-of-range indices so that later analysis and surgery can trust them. */
    private void validateReferences() throws ModelLoadException {
        for (int s = 0; s < subgraphs.length; s++) {
            SubGraphT sg = subgraphs[s];
            TensorT[] tensors = nonNull(sg.getTensors(), new TensorT[0]);
            for (int t = 0; t < tensors.length; t++) {
                long b = tensors[t].getBuffer();
                if (b < 0 || b >= buffers.size()) {
                    throw new ModelLoadException(source, "subgraph " + s + " tensor " + t + " refers to buffer " + b
                            + ", the model has " + buffers.size());
                }
            }
            checkIndices(sg.getInputs(), tensors.length, "subgraph " + s + " inputs", false);
            checkIndices(sg.getOutputs(), tensors.length, "subgraph " + s + " outputs", false);
            OperatorT[] ops = nonNull(sg.getOperators(), new OperatorT[0]);
            for (int o = 0; o < ops.length; o++) {
                long code = ops[o].getOpcodeIndex();
                if (code < 0 || code >= operatorCodes.length) {
                    throw new ModelLoadException(source, "subgraph " + s + " operator " + o + " refers to operator code "
                            + code + ", the model has " + operatorCodes.length);
                }
                checkIndices(ops[o].getInputs(), tensors.length, "subgraph " + s + " operator " + o + " inputs", true);
                checkIndices(ops[o].getOutputs(), tensors.length, "subgraph " + s + " operator " + o + " outputs", false);
            }
        }
    }

    private void checkIndices(int[] indices, int tensorCount, String what, boolean optionalAllowed)
            throws ModelLoadException {
        if (indices == null) {
            return;
        }
        for (int idx : indices) {
            if ((idx == -1 && optionalAllowed)) {
                continue;
            }
            if (idx < 0 || idx >= tensorCount) {
                throw new ModelLoadException(source, what + " refer to tensor " + idx + ", the subgraph has "
                        + tensorCount);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Serializes the model. The object API of the schema writes an empty vector where TensorFlow Lite
     * expects an absent one ("Tensor N is invalidly specified in schema", "builtin operator with
     * custom options"), so empty optional vectors are cleared first; buffers are written 16-byte
     * aligned as the TensorFlow Lite converter does.
     */
    public byte[] toBytes() {
        long dataBytes = 0;
        for (byte[] b : buffers) {
            dataBytes += b.length + 32;
        }
        if (dataBytes > Integer.MAX_VALUE - (64 << 20)) {
            throw new IllegalStateException(source + ": model of " + dataBytes + " bytes exceeds the 2 GiB flatbuffer limit");
        }
        FlatBufferBuilder fbb = new FlatBufferBuilder((int) dataBytes + (1 << 16));
        // Buffers first: the builder writes back to front, so they end up at the end of the file.
        int[] bufferOffsets = new int[buffers.size()];
        for (int i = buffers.size() - 1; i >= 0; i--) {
            byte[] data = buffers.get(i);
            int dataOffset = 0;
            if (data.length > 0) {
                fbb.prep(16, data.length);
                dataOffset = fbb.createByteVector(data);
            }
            Buffer.startBuffer(fbb);
            if (dataOffset != 0) {
                Buffer.addData(fbb, dataOffset);
            }
            bufferOffsets[i] = Buffer.endBuffer(fbb);
        }
        int buffersVector = Model.createBuffersVector(fbb, bufferOffsets);

        int[] codeOffsets = new int[operatorCodes.length];
        for (int i = 0; i < operatorCodes.length; i++) {
            codeOffsets[i] = OperatorCode.pack(fbb, operatorCodes[i]);
        }
        int codesVector = Model.createOperatorCodesVector(fbb, codeOffsets);

        int[] subgraphOffsets = new int[subgraphs.length];
        for (int i = 0; i < subgraphs.length; i++) {
            clearEmptyVectors(subgraphs[i]);
            subgraphOffsets[i] = SubGraph.pack(fbb, subgraphs[i]);
        }
        int subgraphsVector = Model.createSubgraphsVector(fbb, subgraphOffsets);

        int descriptionOffset = description == null ? 0 : fbb.createString(description);
        int metadataBufferVector = metadataBuffer == null || metadataBuffer.length == 0
                ? 0 : Model.createMetadataBufferVector(fbb, metadataBuffer);
        int metadataVector = 0;
        if (metadata != null && metadata.length > 0) {
            int[] offs = new int[metadata.length];
            for (int i = 0; i < metadata.length; i++) {
                offs[i] = Metadata.pack(fbb, metadata[i]);
            }
            metadataVector = Model.createMetadataVector(fbb, offs);
        }
        int signaturesVector = 0;
        if (signatureDefs != null && signatureDefs.length > 0) {
            int[] offs = new int[signatureDefs.length];
            for (int i = 0; i < signatureDefs.length; i++) {
                offs[i] = SignatureDef.pack(fbb, signatureDefs[i]);
            }
            signaturesVector = Model.createSignatureDefsVector(fbb, offs);
        }
        Model.startModel(fbb);
        Model.addVersion(fbb, version);
        Model.addOperatorCodes(fbb, codesVector);
        Model.addSubgraphs(fbb, subgraphsVector);
        if (descriptionOffset != 0) {
            Model.addDescription(fbb, descriptionOffset);
        }
        Model.addBuffers(fbb, buffersVector);
        if (metadataBufferVector != 0) {
            Model.addMetadataBuffer(fbb, metadataBufferVector);
        }
        if (metadataVector != 0) {
            Model.addMetadata(fbb, metadataVector);
        }
        if (signaturesVector != 0) {
            Model.addSignatureDefs(fbb, signaturesVector);
        }
        int root = Model.endModel(fbb);
        Model.finishModelBuffer(fbb, root);
        return fbb.sizedByteArray();
    }

    /** Writes the model to {@code file} (through a temporary file, then renamed into place). */
    public void write(Path file) throws IOException {
        byte[] bytes = toBytes();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void clearEmptyVectors(SubGraphT sg) {
        for (OperatorT op : nonNull(sg.getOperators(), new OperatorT[0])) {
            if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
                op.setCustomOptions(null);
            }
            if (op.getMutatingVariableInputs() != null && op.getMutatingVariableInputs().length == 0) {
                op.setMutatingVariableInputs(null);
            }
            if (op.getIntermediates() != null && op.getIntermediates().length == 0) {
                op.setIntermediates(null);
            }
        }
        for (TensorT t : nonNull(sg.getTensors(), new TensorT[0])) {
            if (t.getShapeSignature() != null && t.getShapeSignature().length == 0) {
                t.setShapeSignature(null);
            }
            if (t.getVariantTensors() != null && t.getVariantTensors().length == 0) {
                t.setVariantTensors(null);
            }
            QuantizationParametersT q = t.getQuantization();
            if (q != null) {
                if (q.getMin() != null && q.getMin().length == 0) {
                    q.setMin(null);
                }
                if (q.getMax() != null && q.getMax().length == 0) {
                    q.setMax(null);
                }
                if (q.getScale() != null && q.getScale().length == 0) {
                    q.setScale(null);
                }
                if (q.getZeroPoint() != null && q.getZeroPoint().length == 0) {
                    q.setZeroPoint(null);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors

    /** Where the model came from (file name or the name given to {@link #read(ByteBuffer, String)}). */
    public String source() {
        return source;
    }

    /** Schema version stored in the model (3 for every current model). */
    public long schemaVersion() {
        return version;
    }

    public String description() {
        return description;
    }

    public int subgraphCount() {
        return subgraphs.length;
    }

    public int bufferCount() {
        return buffers.size();
    }

    /** Names of the model's metadata entries ("min_runtime_version", "TFLITE_METADATA", ...). */
    public List<String> metadataNames() {
        List<String> names = new ArrayList<>();
        if (metadata != null) {
            for (MetadataT m : metadata) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /** Names of the model's signatures (empty for models converted without signatures). */
    public List<String> signatureKeys() {
        List<String> keys = new ArrayList<>();
        if (signatureDefs != null) {
            for (SignatureDefT s : signatureDefs) {
                keys.add(s.getSignatureKey());
            }
        }
        return keys;
    }

    /** Tensors of the primary subgraph. */
    public List<GraphTensor> tensors() {
        return analysis().tensors;
    }

    public GraphTensor tensor(int index) {
        return analysis().tensors.get(index);
    }

    /** Operators of the primary subgraph, in execution order. */
    public List<GraphOperator> operators() {
        return analysis().operators;
    }

    public List<GraphTensor> inputs() {
        return analysis().inputs;
    }

    public List<GraphTensor> outputs() {
        return analysis().outputs;
    }

    /**
     * True for operators that compute only from constants (for example DEQUANTIZE of float16
     * weights). They are not scheduled on either side of a cut: each segment that needs their output
     * carries its own copy.
     */
    public boolean isConstantOperator(int operator) {
        return analysis().constantOperators.get(operator);
    }

    /** True for tensors stored in the model or computed only from such tensors. */
    public boolean isConstantDerived(int tensor) {
        return analysis().constantTensors.get(tensor);
    }

    /** For every tensor, the operators that read it, in execution order. */
    public List<Integer> consumers(int tensor) {
        return analysis().consumers.get(tensor);
    }

    /** Operator counts by name, most frequent first (ties alphabetically). */
    public Map<String, Integer> operatorCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (GraphOperator op : operators()) {
            counts.merge(op.isCustom() ? "CUSTOM:" + op.customCode() : op.opName(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue());
        Map<String, Integer> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted;
    }

    /** Sum of every operator's MACs. */
    public long totalMacs() {
        long sum = 0;
        for (GraphOperator op : operators()) {
            sum += op.macs();
        }
        return sum;
    }

    /** Elements of all constant tensors (weights, biases), each counted once. */
    public long totalParameters() {
        long sum = 0;
        for (GraphTensor t : tensors()) {
            if (t.isConstant()) {
                sum += t.elementCount();
            }
        }
        return sum;
    }

    /**
     * The split points along the execution order, from "send the inputs" ({@code afterOperator = -1})
     * to "run everything here" (the last operator): at each, the non-constant tensors produced so far
     * (or fed as model inputs) that a later operator reads or that are model outputs.
     */
    public List<SplitCandidate> splitCandidates() {
        Analysis a = analysis();
        int n = a.operators.size();
        long total = totalMacs();
        List<SplitCandidate> result = new ArrayList<>(n + 1);
        int[] lastUse = new int[a.tensors.size()];
        Arrays.fill(lastUse, -2);
        BitSet isOutput = new BitSet();
        for (GraphTensor t : a.outputs) {
            isOutput.set(t.index());
        }
        for (int t = 0; t < a.tensors.size(); t++) {
            List<Integer> cons = a.consumers.get(t);
            lastUse[t] = cons.isEmpty() ? -2 : cons.get(cons.size() - 1);
            if (isOutput.get(t)) {
                lastUse[t] = Integer.MAX_VALUE;
            }
        }
        long headMacs = 0;
        for (int p = -1; p < n; p++) {
            if (p >= 0) {
                headMacs += a.operators.get(p).macs();
            }
            List<GraphTensor> crossing = new ArrayList<>();
            for (GraphTensor t : a.tensors) {
                if (a.constantTensors.get(t.index())) {
                    continue;
                }
                boolean available = t.producer() <= p && (t.producer() >= 0 || a.inputIndices.get(t.index()));
                if (available && lastUse[t.index()] > p) {
                    crossing.add(t);
                }
            }
            result.add(new SplitCandidate(p, crossing, headMacs, total - headMacs));
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Package-private access for graph surgery

    OperatorCodeT[] schemaOperatorCodes() {
        return operatorCodes;
    }

    SubGraphT schemaSubgraph(int index) {
        return subgraphs[index];
    }

    List<byte[]> schemaBuffers() {
        return buffers;
    }

    SignatureDefT[] schemaSignatureDefs() {
        return signatureDefs;
    }

    MetadataT[] schemaMetadata() {
        return metadata;
    }

    int[] schemaMetadataBuffer() {
        return metadataBuffer;
    }

    /** Replaces the operator code table (after surgery that changes which operators exist). */
    void replaceOperatorCodes(OperatorCodeT[] codes) {
        this.operatorCodes = codes;
        this.analysis = null;
    }

    /** Call after modifying the schema objects so that analysis is recomputed. */
    void invalidate() {
        this.analysis = null;
    }

    // ---------------------------------------------------------------------------------------------
    // Analysis

    private Analysis analysis() {
        Analysis a = analysis;
        if (a == null) {
            a = new Analysis(this);
            analysis = a;
        }
        return a;
    }

    /** The name TensorFlow Lite uses for an operator code: max(deprecated code, builtin code). */
    static int builtinCodeOf(OperatorCodeT code) {
        return Math.max(code.getDeprecatedBuiltinCode(), code.getBuiltinCode());
    }

    static String builtinName(int code) {
        if (code >= 0 && code < BuiltinOperator.names.length && !BuiltinOperator.names[code].isEmpty()) {
            return BuiltinOperator.name(code);
        }
        return "BUILTIN_" + code;
    }

    static <T> T nonNull(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static final class Analysis {
        final List<GraphTensor> tensors;
        final List<GraphOperator> operators;
        final List<GraphTensor> inputs;
        final List<GraphTensor> outputs;
        final List<List<Integer>> consumers;
        final BitSet inputIndices = new BitSet();
        /** Operators whose inputs are all constant (e.g. DEQUANTIZE of float16 weights): constant folding. */
        final BitSet constantOperators = new BitSet();
        /** Tensors with data in the model, or computed only from such tensors. */
        final BitSet constantTensors = new BitSet();

        Analysis(ModelGraph g) {
            if (g.subgraphs.length == 0) {
                tensors = Collections.emptyList();
                operators = Collections.emptyList();
                inputs = Collections.emptyList();
                outputs = Collections.emptyList();
                consumers = Collections.emptyList();
                return;
            }
            SubGraphT sg = g.subgraphs[0];
            TensorT[] ts = nonNull(sg.getTensors(), new TensorT[0]);
            OperatorT[] ops = nonNull(sg.getOperators(), new OperatorT[0]);
            int[] producer = new int[ts.length];
            Arrays.fill(producer, -1);
            List<List<Integer>> cons = new ArrayList<>(ts.length);
            for (int i = 0; i < ts.length; i++) {
                cons.add(new ArrayList<>());
            }
            for (int o = 0; o < ops.length; o++) {
                for (int out : nonNull(ops[o].getOutputs(), new int[0])) {
                    producer[out] = o;
                }
                for (int in : nonNull(ops[o].getInputs(), new int[0])) {
                    if (in >= 0 && (cons.get(in).isEmpty() || cons.get(in).get(cons.get(in).size() - 1) != o)) {
                        cons.get(in).add(o);
                    }
                }
            }
            List<GraphTensor> tl = new ArrayList<>(ts.length);
            for (int i = 0; i < ts.length; i++) {
                tl.add(tensorOf(g, i, ts[i], producer[i]));
            }
            tensors = Collections.unmodifiableList(tl);
            List<GraphOperator> ol = new ArrayList<>(ops.length);
            for (int o = 0; o < ops.length; o++) {
                ol.add(operatorOf(g, o, ops[o], tl));
            }
            operators = Collections.unmodifiableList(ol);
            List<GraphTensor> in = new ArrayList<>();
            for (int i : nonNull(sg.getInputs(), new int[0])) {
                in.add(tl.get(i));
                inputIndices.set(i);
            }
            List<GraphTensor> out = new ArrayList<>();
            for (int i : nonNull(sg.getOutputs(), new int[0])) {
                out.add(tl.get(i));
            }
            inputs = Collections.unmodifiableList(in);
            outputs = Collections.unmodifiableList(out);
            List<List<Integer>> frozen = new ArrayList<>(cons.size());
            for (List<Integer> c : cons) {
                frozen.add(Collections.unmodifiableList(c));
            }
            consumers = Collections.unmodifiableList(frozen);
            for (GraphTensor t : tl) {
                if (t.isConstant()) {
                    constantTensors.set(t.index());
                }
            }
            for (GraphOperator op : ol) {
                boolean allConstant = true;
                for (int i : op.inputs()) {
                    if (i >= 0 && !constantTensors.get(i)) {
                        allConstant = false;
                        break;
                    }
                }
                boolean producesOutput = false;
                for (int o : op.outputs()) {
                    producesOutput |= out.stream().anyMatch(t -> t.index() == o);
                }
                if (allConstant && op.inputs().length > 0 && !producesOutput) {
                    constantOperators.set(op.index());
                    for (int o : op.outputs()) {
                        constantTensors.set(o);
                    }
                }
            }
        }

        private static GraphTensor tensorOf(ModelGraph g, int index, TensorT t, int producer) {
            int[] shape = nonNull(t.getShape(), new int[0]).clone();
            String name = t.getName() == null ? "tensor_" + index : t.getName();
            DataType type = TfLiteTypes.fromSchemaType(t.getType());
            TensorSpec spec = null;
            boolean validShape = Arrays.stream(shape).allMatch(d -> d >= 0);
            if (type != null && validShape) {
                spec = new TensorSpec(name, shape, type, quantizationOf(t.getQuantization()));
            }
            int buffer = (int) t.getBuffer();
            boolean constant = buffer > 0 && g.buffers.get(buffer).length > 0;
            return new GraphTensor(index, name, shape, TfLiteTypes.schemaTypeName(t.getType()), spec, buffer, constant,
                    t.getIsVariable(), producer);
        }

        private static Quantization quantizationOf(QuantizationParametersT q) {
            if (q == null || q.getScale() == null || q.getScale().length == 0) {
                return Quantization.NONE;
            }
            try {
                return Quantization.of(q.getScale(), q.getZeroPoint(), q.getQuantizedDimension());
            } catch (IllegalArgumentException e) {
                // e.g. a zero scale on an unused tensor: report the tensor as not quantized
                return Quantization.NONE;
            }
        }

        private static GraphOperator operatorOf(ModelGraph g, int index, OperatorT op, List<GraphTensor> tensors) {
            OperatorCodeT code = g.operatorCodes[(int) op.getOpcodeIndex()];
            int builtin = builtinCodeOf(code);
            String custom = builtin == BuiltinOperator.CUSTOM ? nonNull(code.getCustomCode(), "") : null;
            int[] ins = nonNull(op.getInputs(), new int[0]).clone();
            int[] outs = nonNull(op.getOutputs(), new int[0]).clone();
            long params = 0;
            for (int i : ins) {
                if (i >= 0 && tensors.get(i).isConstant()) {
                    params += tensors.get(i).elementCount();
                }
            }
            long macs = OperatorCosts.macs(builtin, op, ins, outs, tensors);
            return new GraphOperator(index, builtin, builtinName(builtin), custom, Math.max(1, code.getVersion()),
                    ins, outs, macs, params);
        }
    }

    /**
     * Navigates tables by field id to see fields the generated accessors do not expose (those of
     * schema versions newer than the one the classes were generated from).
     */
    private static final class RawTable extends Table {
        RawTable(int position, ByteBuffer buffer) {
            __reset(position, buffer);
        }

        static RawTable root(ByteBuffer buffer) {
            return new RawTable(buffer.getInt(buffer.position()) + buffer.position(), buffer);
        }

        boolean has(int fieldId) {
            return __offset(4 + 2 * fieldId) != 0;
        }

        RawTable element(int vectorFieldId, int index) {
            int o = __offset(4 + 2 * vectorFieldId);
            return new RawTable(__indirect(__vector(o) + 4 * index), bb);
        }
    }
}
