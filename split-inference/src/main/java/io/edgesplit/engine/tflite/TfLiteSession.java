package io.edgesplit.engine.tflite;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.InferenceException;
import io.edgesplit.engine.Session;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteAffineQuantization;
import org.bytedeco.tensorflowlite.TfLiteFloatArray;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteQuantization;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * One TensorFlow Lite interpreter. Inputs and outputs are {@link Tensor} views over the
 * interpreter's arena (no copies); output views are re-pointed only if the interpreter moved its
 * buffers. Not thread-safe.
 */
final class TfLiteSession implements Session {

    /** TfLiteQuantizationType kTfLiteAffineQuantization. */
    private static final int AFFINE_QUANTIZATION = 1;
    /** TfLiteAllocationType kTfLiteDynamic: the buffer may move on every Invoke. */
    private static final int DYNAMIC_ALLOCATION = 4;

    private final TfLiteCompiledModel model;
    private final Interpreter interpreter;
    private final Tensor[] inputs;
    private final Tensor[] outputs;
    private final TfLiteTensor[] nativeOutputs;
    private final long[] outputAddresses;
    /** Outputs TensorFlow Lite may re-allocate during Invoke; only these are re-checked after a run. */
    private final int[] dynamicOutputs;
    private boolean closed;

    TfLiteSession(TfLiteCompiledModel model, Interpreter interpreter) {
        this.model = model;
        this.interpreter = interpreter;
        List<TensorSpec> inSpecs = model.inputs();
        List<TensorSpec> outSpecs = model.outputs();
        this.inputs = new Tensor[inSpecs.size()];
        this.outputs = new Tensor[outSpecs.size()];
        this.nativeOutputs = new TfLiteTensor[outSpecs.size()];
        this.outputAddresses = new long[outSpecs.size()];
        for (int i = 0; i < inputs.length; i++) {
            TfLiteTensor t = interpreter.input_tensor(i);
            inputs[i] = view(inSpecs.get(i), t);
        }
        List<Integer> dynamic = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            TfLiteTensor t = interpreter.output_tensor(i);
            nativeOutputs[i] = t;
            outputAddresses[i] = dataAddress(t);
            outputs[i] = view(outSpecs.get(i), t);
            if (t.allocation_type() == DYNAMIC_ALLOCATION) {
                dynamic.add(i);
            }
        }
        this.dynamicOutputs = dynamic.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long dataAddress(TfLiteTensor t) {
        BytePointer raw = t.data().raw();
        return raw == null ? 0 : raw.address();
    }

    private static Tensor view(TensorSpec spec, TfLiteTensor t) {
        return Tensor.wrapAddress(spec, dataAddress(t), (int) t.bytes());
    }

    /** Reads a native tensor's name, shape, type and quantization. */
    static TensorSpec specOf(TfLiteTensor t, String source, String what) {
        BytePointer namePtr = t.name();
        String name = namePtr == null || namePtr.isNull() ? what : namePtr.getString();
        DataType type = TfLiteTypes.fromCApiType(t.type());
        if (type == null || !type.isFixedSize()) {
            throw new InferenceException(source + ": " + what + " '" + name + "' has TensorFlow Lite type "
                    + t.type() + ", which EdgeSplit cannot exchange");
        }
        TfLiteIntArray dims = t.dims();
        int[] shape = new int[dims.size()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = dims.data(d);
        }
        return new TensorSpec(name, shape, type, quantizationOf(t));
    }

    private static Quantization quantizationOf(TfLiteTensor t) {
        TfLiteQuantization q = t.quantization();
        if (q != null && !q.isNull() && q.type() == AFFINE_QUANTIZATION && q.params() != null && !q.params().isNull()) {
            TfLiteAffineQuantization aq = new TfLiteAffineQuantization(q.params());
            TfLiteFloatArray scale = aq.scale();
            TfLiteIntArray zp = aq.zero_point();
            if (scale != null && !scale.isNull() && scale.size() > 0) {
                float[] scales = new float[scale.size()];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = scale.data(i);
                }
                long[] zps = new long[zp == null || zp.isNull() ? 0 : zp.size()];
                for (int i = 0; i < zps.length; i++) {
                    zps[i] = zp.data(i);
                }
                return Quantization.of(scales, zps, aq.quantized_dimension());
            }
        }
        if (t.params().scale() > 0) {
            return Quantization.perTensor(t.params().scale(), t.params().zero_point());
        }
        return Quantization.NONE;
    }

    @Override
    public CompiledModel model() {
        return model;
    }

    @Override
    public int inputCount() {
        return inputs.length;
    }

    @Override
    public int outputCount() {
        return outputs.length;
    }

    @Override
    public Tensor input(int index) {
        checkOpen();
        checkIndex(index, inputs.length, "input");
        return inputs[index];
    }

    @Override
    public Tensor input(String name) {
        checkOpen();
        return inputs[indexOf(inputs, name, "input")];
    }

    @Override
    public Tensor output(int index) {
        checkOpen();
        checkIndex(index, outputs.length, "output");
        return outputs[index];
    }

    @Override
    public Tensor output(String name) {
        checkOpen();
        return outputs[indexOf(outputs, name, "output")];
    }

    @Override
    public void setInput(int index, Tensor value) {
        input(index).copyFrom(value);
    }

    @Override
    public void run() {
        checkOpen();
        int status = interpreter.Invoke();
        if (status != 0) {
            throw new InferenceException(model.name() + ": TensorFlow Lite Invoke failed with status " + status);
        }
        for (int i : dynamicOutputs) {
            long address = dataAddress(nativeOutputs[i]);
            if (address != outputAddresses[i]) {
                outputAddresses[i] = address;
                outputs[i] = view(outputs[i].spec(), nativeOutputs[i]);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        interpreter.close();
        model.sessionClosed();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("session of " + model.name() + " is closed");
        }
    }

    private void checkIndex(int index, int count, String what) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(model.name() + ": " + what + " index " + index + " out of range, model has "
                    + count + " " + what + (count == 1 ? "" : "s"));
        }
    }

    private int indexOf(Tensor[] tensors, String name, String what) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].name().equals(name)) {
                return i;
            }
            names.add(tensors[i].name());
        }
        throw new IllegalArgumentException(model.name() + ": no " + what + " named '" + name + "', the model's "
                + what + "s are " + names);
    }
}
