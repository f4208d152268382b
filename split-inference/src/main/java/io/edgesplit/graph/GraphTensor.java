package io.edgesplit.graph;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.TensorSpec;

/**
 * A tensor of a {@link ModelGraph}'s primary subgraph: its spec, whether its data is a constant in
 * the model (weights, biases, shapes), and which operator produces it. Immutable.
 */
public final class GraphTensor {

    private final int index;
    private final String name;
    private final int[] shape;
    private final String typeName;
    private final TensorSpec spec;
    private final int buffer;
    private final boolean constant;
    private final boolean variable;
    private final int producer;

    GraphTensor(int index, String name, int[] shape, String typeName, TensorSpec spec, int buffer,
            boolean constant, boolean variable, int producer) {
        this.index = index;
        this.name = name;
        this.shape = shape;
        this.typeName = typeName;
        this.spec = spec;
        this.buffer = buffer;
        this.constant = constant;
        this.variable = variable;
        this.producer = producer;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** TensorFlow Lite's name of the element type ("UINT8", "FLOAT32", ...). */
    public String typeName() {
        return typeName;
    }

    /** True when EdgeSplit can exchange this tensor (its type has an Open Inference Protocol name). */
    public boolean hasSpec() {
        return spec != null;
    }

    /**
     * Shape, type and quantization.
     *
     * @throws UnsupportedOperationException naming the tensor and its TensorFlow Lite type when that
     *     type has no EdgeSplit equivalent (complex, resource, variant, int4)
     */
    public TensorSpec spec() {
        if (spec == null) {
            throw new UnsupportedOperationException("tensor " + index + " '" + name + "' has TensorFlow Lite type "
                    + typeName + ", which EdgeSplit cannot exchange");
        }
        return spec;
    }

    public DataType dataType() {
        return spec().dataType();
    }

    /** Buffer index in the model (0 is TensorFlow Lite's reserved empty buffer). */
    public int buffer() {
        return buffer;
    }

    /** True when the model stores the tensor's values (weights, biases, constant shapes). */
    public boolean isConstant() {
        return constant;
    }

    public boolean isVariable() {
        return variable;
    }

    /** Index of the operator that writes this tensor, or -1 for model inputs and constants. */
    public int producer() {
        return producer;
    }

    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= Math.max(d, 0);
        }
        return n;
    }

    /** Bytes of the tensor's data; -1 when the type has no fixed size. */
    public long byteSize() {
        return spec == null || !spec.dataType().isFixedSize() ? -1 : elementCount() * spec.dataType().byteSize();
    }

    @Override
    public String toString() {
        return "tensor " + index + " '" + name + "' " + TensorSpec.shapeString(shape) + " " + typeName;
    }
}
