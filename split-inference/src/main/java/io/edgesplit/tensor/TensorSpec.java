package io.edgesplit.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a tensor is without its data: name, shape, element type and quantization. Immutable.
 */
public final class TensorSpec {

    private final String name;
    private final int[] shape;
    private final DataType dataType;
    private final Quantization quantization;

    public TensorSpec(String name, int[] shape, DataType dataType, Quantization quantization) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.quantization = quantization == null ? Quantization.NONE : quantization;
        for (int i = 0; i < this.shape.length; i++) {
            if (this.shape[i] < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': dimension " + i
                        + " must be >= 0, was " + this.shape[i] + " in " + Arrays.toString(this.shape));
            }
        }
    }

    public static TensorSpec of(String name, DataType dataType, int... shape) {
        return new TensorSpec(name, shape, dataType, Quantization.NONE);
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public DataType dataType() {
        return dataType;
    }

    public Quantization quantization() {
        return quantization;
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    /** Size of the data in bytes; -1 for {@link DataType#BYTES}. */
    public long byteSize() {
        return dataType.isFixedSize() ? Math.multiplyExact(elementCount(), (long) dataType.byteSize()) : -1;
    }

    /** True when shape and type match, which is what a session checks before it copies data in. */
    public boolean isCompatibleWith(TensorSpec other) {
        return dataType == other.dataType && Arrays.equals(shape, other.shape);
    }

    public TensorSpec withName(String newName) {
        return new TensorSpec(newName, shape, dataType, quantization);
    }

    public TensorSpec withShape(int... newShape) {
        return new TensorSpec(name, newShape, dataType, quantization);
    }

    public TensorSpec withQuantization(Quantization q) {
        return new TensorSpec(name, shape, dataType, q);
    }

    /** "[1,224,224,3] UINT8", the form used in every shape error. */
    public String shapeAndType() {
        return shapeString(shape) + " " + dataType;
    }

    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TensorSpec)) {
            return false;
        }
        TensorSpec t = (TensorSpec) o;
        return name.equals(t.name) && Arrays.equals(shape, t.shape) && dataType == t.dataType
                && quantization.equals(t.quantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), dataType, quantization);
    }

    @Override
    public String toString() {
        return "'" + name + "' " + shapeAndType() + (quantization.isQuantized() ? " (" + quantization + ")" : "");
    }
}
