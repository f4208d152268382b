package io.edgesplit.graph;

import io.edgesplit.engine.tflite.TfLiteTypes;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.QuantizeOptionsT;
import org.tensorflow.lite.schema.DequantizeOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Builds small TensorFlow Lite models operator by operator (NHWC, SAME padding for convolutions),
 * with output shapes inferred: float models, and with the typed overloads full-integer, hybrid
 * (dynamic-range) and float16-weight models. Used for the synthetic model family and for tests; not
 * a general converter.
 */
public final class ModelBuilder {

    private final String name;
    private final List<TensorT> tensors = new ArrayList<>();
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<OperatorT> operators = new ArrayList<>();
    private final Map<Integer, Integer> codeIndex = new LinkedHashMap<>();
    private final List<OperatorCodeT> codes = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();

    public ModelBuilder(String name) {
        this.name = name;
        buffers.add(new byte[0]);
    }

    /** Adds a model input. */
    public int input(String tensorName, DataType type, int... shape) {
        int t = tensor(tensorName, type, shape, 0);
        inputs.add(t);
        return t;
    }

    /** Adds an FP32 constant (weights, biases). */
    public int constant(String tensorName, int[] shape, float[] values) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("constant '" + tensorName + "': shape " + java.util.Arrays.toString(shape)
                    + " holds " + n + " values, got " + values.length);
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        buffers.add(bb.array());
        return tensor(tensorName, DataType.FP32, shape, buffers.size() - 1);
    }

    /** Adds an INT32 constant (shapes, axes). */
    public int constantInt32(String tensorName, int[] shape, int[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putInt(v);
        }
        buffers.add(bb.array());
        return tensor(tensorName, DataType.INT32, shape, buffers.size() - 1);
    }

    /** CONV_2D with SAME padding; filter [Cout,Kh,Kw,Cin]. */
    public int conv2d(String opName, int input, int filter, int bias, int stride, byte activation) {
        return conv2d(opName, input, filter, bias, stride, activation, DataType.FP32, Quantization.NONE);
    }

    /** DEPTHWISE_CONV_2D with SAME padding and multiplier 1; filter [1,Kh,Kw,C]. */
    public int depthwiseConv2d(String opName, int input, int filter, int bias, int stride, byte activation) {
        return depthwiseConv2d(opName, input, filter, bias, stride, activation, DataType.FP32, Quantization.NONE);
    }

    /** Elementwise ADD of two tensors of the same shape. */
    public int add(String opName, int a, int b, byte activation) {
        return add(opName, a, b, activation, DataType.FP32, Quantization.NONE);
    }

    /** AVERAGE_POOL_2D over the whole spatial extent (global average pooling), VALID padding. */
    public int globalAveragePool(String opName, int input) {
        return globalAveragePool(opName, input, DataType.FP32, Quantization.NONE);
    }

    /** RESHAPE to {@code newShape}, with the shape also given as a constant input. */
    public int reshape(String opName, int input, int... newShape) {
        int shapeTensor = constantInt32(opName + "/shape", new int[] {newShape.length}, newShape);
        int out = tensor(opName, DataType.FP32, newShape, 0);
        ReshapeOptionsT o = new ReshapeOptionsT();
        o.setNewShape(newShape.clone());
        op(BuiltinOperator.RESHAPE, BuiltinOptions.ReshapeOptions, o, new int[] {input, shapeTensor}, out);
        return out;
    }

    /** FULLY_CONNECTED: input [N,In], weights [Out,In], bias [Out]. */
    public int fullyConnected(String opName, int input, int weights, int bias, byte activation) {
        return fullyConnected(opName, input, weights, bias, activation, DataType.FP32, Quantization.NONE);
    }

    /** SOFTMAX over the last axis. */
    public int softmax(String opName, int input) {
        int out = tensor(opName, DataType.FP32, shape(input), 0);
        SoftmaxOptionsT o = new SoftmaxOptionsT();
        o.setBeta(1f);
        op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, o, new int[] {input}, out);
        return out;
    }

    /** Marks a tensor as a model output. */
    public void output(int tensor) {
        outputs.add(tensor);
    }

    public int[] shape(int tensor) {
        return tensors.get(tensor).getShape().clone();
    }

    public ModelGraph build() {
        SubGraphT sg = new SubGraphT();
        sg.setTensors(tensors.toArray(new TensorT[0]));
        sg.setOperators(operators.toArray(new OperatorT[0]));
        sg.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray());
        sg.setOutputs(outputs.stream().mapToInt(Integer::intValue).toArray());
        sg.setName("main");
        return new ModelGraph(name, 3, "EdgeSplit ModelBuilder: " + name, codes.toArray(new OperatorCodeT[0]),
                new SubGraphT[] {sg}, new ArrayList<>(buffers), null, null, null);
    }

    private int tensor(String tensorName, DataType type, int[] shape, int buffer) {
        return tensor(tensorName, type, shape, buffer, Quantization.NONE);
    }

    private int tensor(String tensorName, DataType type, int[] shape, int buffer, Quantization q) {
        TensorT t = new TensorT();
        t.setName(tensorName);
        t.setType(TfLiteTypes.toSchemaType(type));
        t.setShape(shape.clone());
        t.setBuffer(buffer);
        if (q.isQuantized()) {
            QuantizationParametersT qp = new QuantizationParametersT();
            qp.setScale(q.scales());
            qp.setZeroPoint(q.zeroPoints());
            qp.setQuantizedDimension(q.axis());
            t.setQuantization(qp);
        }
        tensors.add(t);
        return tensors.size() - 1;
    }

    /** Adds a quantized model input. */
    public int input(String tensorName, DataType type, Quantization q, int... shape) {
        int t = tensor(tensorName, type, shape, 0, q);
        inputs.add(t);
        return t;
    }

    /** Adds a constant of any type from its little-endian bytes (quantized weights, int32 biases, FP16 weights). */
    public int constantBytes(String tensorName, DataType type, int[] shape, byte[] data, Quantization q) {
        long n = type.byteSize();
        for (int d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("constant '" + tensorName + "': " + TensorSpec.shapeString(shape) + " "
                    + type + " needs " + n + " bytes, got " + data.length);
        }
        buffers.add(data.clone());
        return tensor(tensorName, type, shape, buffers.size() - 1, q);
    }

    /** The element type and quantization of a tensor's output-to-be, for the quantized overloads. */
    private int output(String opName, DataType type, Quantization q, int[] shape) {
        return tensor(opName, type, shape, 0, q);
    }

    /** CONV_2D with SAME padding producing {@code outType}/{@code outQ} (int8 or hybrid models). */
    public int conv2d(String opName, int input, int filter, int bias, int stride, byte activation, DataType outType,
            Quantization outQ) {
        int[] in = shape(input);
        int[] f = shape(filter);
        int out = output(opName, outType, outQ, new int[] {in[0], ceilDiv(in[1], stride), ceilDiv(in[2], stride), f[0]});
        Conv2DOptionsT o = new Conv2DOptionsT();
        o.setPadding(Padding.SAME);
        o.setStrideH(stride);
        o.setStrideW(stride);
        o.setDilationHFactor(1);
        o.setDilationWFactor(1);
        o.setFusedActivationFunction(activation);
        op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, o, new int[] {input, filter, bias}, out);
        return out;
    }

    /** DEPTHWISE_CONV_2D with SAME padding producing {@code outType}/{@code outQ}. */
    public int depthwiseConv2d(String opName, int input, int filter, int bias, int stride, byte activation,
            DataType outType, Quantization outQ) {
        int[] in = shape(input);
        int[] f = shape(filter);
        int out = output(opName, outType, outQ, new int[] {in[0], ceilDiv(in[1], stride), ceilDiv(in[2], stride), f[3]});
        DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
        o.setPadding(Padding.SAME);
        o.setStrideH(stride);
        o.setStrideW(stride);
        o.setDepthMultiplier(f[3] / in[3]);
        o.setDilationHFactor(1);
        o.setDilationWFactor(1);
        o.setFusedActivationFunction(activation);
        op(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DepthwiseConv2DOptions, o, new int[] {input, filter, bias},
                out);
        return out;
    }

    /** ADD producing {@code outType}/{@code outQ}. */
    public int add(String opName, int a, int b, byte activation, DataType outType, Quantization outQ) {
        int out = output(opName, outType, outQ, shape(a));
        AddOptionsT o = new AddOptionsT();
        o.setFusedActivationFunction(activation);
        op(BuiltinOperator.ADD, BuiltinOptions.AddOptions, o, new int[] {a, b}, out);
        return out;
    }

    /** Global AVERAGE_POOL_2D producing {@code outType}/{@code outQ}. */
    public int globalAveragePool(String opName, int input, DataType outType, Quantization outQ) {
        int[] in = shape(input);
        int out = output(opName, outType, outQ, new int[] {in[0], 1, 1, in[3]});
        Pool2DOptionsT o = new Pool2DOptionsT();
        o.setPadding(Padding.VALID);
        o.setFilterHeight(in[1]);
        o.setFilterWidth(in[2]);
        o.setStrideH(1);
        o.setStrideW(1);
        op(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOptions.Pool2DOptions, o, new int[] {input}, out);
        return out;
    }

    /** RESHAPE keeping the input's type and quantization. */
    public int reshapeKeepingType(String opName, int input, int... newShape) {
        int shapeTensor = constantInt32(opName + "/shape", new int[] {newShape.length}, newShape);
        TensorT src = tensors.get(input);
        int out = tensors.size();
        TensorT t = new TensorT();
        t.setName(opName);
        t.setType(src.getType());
        t.setShape(newShape.clone());
        t.setBuffer(0);
        t.setQuantization(src.getQuantization());
        tensors.add(t);
        ReshapeOptionsT o = new ReshapeOptionsT();
        o.setNewShape(newShape.clone());
        op(BuiltinOperator.RESHAPE, BuiltinOptions.ReshapeOptions, o, new int[] {input, shapeTensor}, out);
        return out;
    }

    /** FULLY_CONNECTED producing {@code outType}/{@code outQ}. */
    public int fullyConnected(String opName, int input, int weights, int bias, byte activation, DataType outType,
            Quantization outQ) {
        int[] in = shape(input);
        int[] w = shape(weights);
        int out = output(opName, outType, outQ, new int[] {in[0], w[0]});
        FullyConnectedOptionsT o = new FullyConnectedOptionsT();
        o.setFusedActivationFunction(activation);
        op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, o, new int[] {input, weights, bias},
                out);
        return out;
    }

    /** QUANTIZE to {@code outType} with {@code outQ}. */
    public int quantize(String opName, int input, DataType outType, Quantization outQ) {
        int out = output(opName, outType, outQ, shape(input));
        op(BuiltinOperator.QUANTIZE, BuiltinOptions.QuantizeOptions, new QuantizeOptionsT(), new int[] {input}, out);
        return out;
    }

    /** DEQUANTIZE to FP32 (of activations, or of constant FP16/INT8 weights). */
    public int dequantize(String opName, int input) {
        int out = output(opName, DataType.FP32, Quantization.NONE, shape(input));
        op(BuiltinOperator.DEQUANTIZE, BuiltinOptions.DequantizeOptions, new DequantizeOptionsT(), new int[] {input},
                out);
        return out;
    }

    private void op(int builtin, byte optionsType, Object options, int[] ins, int out) {
        Integer code = codeIndex.get(builtin);
        if (code == null) {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(builtin);
            c.setDeprecatedBuiltinCode((byte) Math.min(builtin, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES));
            c.setVersion(1);
            code = codes.size();
            codes.add(c);
            codeIndex.put(builtin, code);
        }
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(code);
        op.setInputs(ins);
        op.setOutputs(new int[] {out});
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(optionsType);
        u.setValue(options);
        op.setBuiltinOptions(u);
        operators.add(op);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
