package io.edgesplit.engine.tflite;

import io.edgesplit.common.Lists;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceException;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.Session;
import io.edgesplit.graph.GraphOperator;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.OpResolver;
import org.bytedeco.tensorflowlite.TfLiteRegistration;

/**
 * A verified TensorFlow Lite model plus its op resolver. Owns the native model bytes, which stay
 * alive until the model and all its sessions are closed.
 */
final class TfLiteCompiledModel implements CompiledModel {

    private final BytePointer bytes;
    private final FlatBufferModel model;
    private final OpResolver resolver;
    private final String name;
    private final EngineOptions options;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    private int openSessions;
    private boolean closed;
    private boolean released;

    private TfLiteCompiledModel(BytePointer bytes, FlatBufferModel model, OpResolver resolver, String name,
            EngineOptions options, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this.bytes = bytes;
        this.model = model;
        this.resolver = resolver;
        this.name = name;
        this.options = options;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Builds a first interpreter to prove the model runs here (every operator resolved, tensors
     * allocated) and to learn its input and output specs.
     */
    static TfLiteCompiledModel create(BytePointer bytes, FlatBufferModel model, String source, EngineOptions options)
            throws ModelLoadException {
        OpResolver resolver = options.xnnpack() ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        Interpreter probe = null;
        try {
            probe = newInterpreter(model, resolver, options.threads());
            if (probe == null) {
                throw new ModelLoadException(source, explainFailure(bytes, resolver, source,
                        "TensorFlow Lite could not build an interpreter (see TensorFlow Lite's message above)"));
            }
            if (probe.AllocateTensors() != 0) {
                // Unresolved custom operators surface here, when their kernels are prepared.
                throw new ModelLoadException(source, explainFailure(bytes, resolver, source,
                        "TensorFlow Lite could not allocate the model's tensors (a shape or type is inconsistent; "
                                + "see TensorFlow Lite's message above)"));
            }
            List<TensorSpec> ins = new ArrayList<>();
            List<TensorSpec> outs = new ArrayList<>();
            for (int i = 0; i < probe.inputs().limit(); i++) {
                ins.add(TfLiteSession.specOf(probe.input_tensor(i), source, "input " + i));
            }
            for (int i = 0; i < probe.outputs().limit(); i++) {
                outs.add(TfLiteSession.specOf(probe.output_tensor(i), source, "output " + i));
            }
            return new TfLiteCompiledModel(bytes, model, resolver, source, options, Lists.copyOf(ins), Lists.copyOf(outs));
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
            resolver.close();
            bytes.close();
            throw e;
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    /** Builds an interpreter, or returns null when TensorFlow Lite refuses the model. */
    static Interpreter newInterpreter(FlatBufferModel model, OpResolver resolver, int threads) {
        try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
            builder.SetNumThreads(threads);
            Interpreter interpreter = new Interpreter((Pointer) null);
            int status = builder.apply(interpreter);
            if (status != 0 || interpreter.isNull()) {
                interpreter.close();
                return null;
            }
            return interpreter;
        }
    }

    /**
     * Finds which operators this build of TensorFlow Lite cannot resolve, to name them in the error;
     * {@code fallback} when all resolve.
     */
    private static String explainFailure(BytePointer bytes, OpResolver resolver, String source, String fallback) {
        List<String> missing = new ArrayList<>();
        try {
            ModelGraph graph = ModelGraph.read(bytes.asByteBuffer(), source);
            for (GraphOperator op : graph.operators()) {
                TfLiteRegistration reg = op.isCustom()
                        ? resolver.FindOp(op.customCode(), op.version())
                        : resolver.FindOp(op.builtinCode(), op.version());
                if (reg == null || reg.isNull()) {
                    missing.add("operator " + op.index() + " " + op.describe());
                }
            }
        } catch (ModelLoadException | RuntimeException e) {
            return "TensorFlow Lite could not build an interpreter (" + e.getMessage() + ")";
        }
        if (missing.isEmpty()) {
            return fallback;
        }
        return "unsupported operator" + (missing.size() > 1 ? "s" : "") + " in TensorFlow Lite "
                + TfLiteNative.version() + ": " + String.join("; ", missing);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public EngineOptions options() {
        return options;
    }

    @Override
    public long byteSize() {
        return bytes.capacity();
    }

    @Override
    public synchronized Session newSession() {
        if (closed) {
            throw new IllegalStateException("model " + name + " is closed");
        }
        Interpreter interpreter = newInterpreter(model, resolver, options.threads());
        if (interpreter == null) {
            throw new InferenceException(name + ": TensorFlow Lite could not build an interpreter");
        }
        if (interpreter.AllocateTensors() != 0) {
            interpreter.close();
            throw new InferenceException(name + ": TensorFlow Lite could not allocate tensors");
        }
        openSessions++;
        try {
            return new TfLiteSession(this, interpreter);
        } catch (RuntimeException e) {
            interpreter.close();
            sessionClosed();
            throw e;
        }
    }

    synchronized void sessionClosed() {
        openSessions--;
        releaseIfUnused();
    }

    @Override
    public synchronized void close() {
        closed = true;
        releaseIfUnused();
    }

    private void releaseIfUnused() {
        if (closed && openSessions == 0 && !released) {
            released = true;
            model.close();
            resolver.close();
            bytes.close();
        }
    }

    @Override
    public String toString() {
        return "TfLiteCompiledModel{" + name + ", " + options + '}';
    }
}
