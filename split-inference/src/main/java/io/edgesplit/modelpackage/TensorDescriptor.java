package io.edgesplit.modelpackage;

import io.edgesplit.tensor.TensorSpec;
import java.util.Objects;

/**
 * A tensor as a package describes it: its spec (name, shape, Open Inference Protocol type,
 * quantization) and whether it is a model input the tail reads directly (a passthrough) rather
 * than a tensor the head computes. Immutable.
 */
public final class TensorDescriptor {

    private final TensorSpec spec;
    private final boolean passthrough;

    public TensorDescriptor(TensorSpec spec, boolean passthrough) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.passthrough = passthrough;
    }

    public TensorSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public boolean passthrough() {
        return passthrough;
    }

    public long byteSize() {
        return spec.byteSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorDescriptor && ((TensorDescriptor) o).spec.equals(spec)
                && ((TensorDescriptor) o).passthrough == passthrough;
    }

    @Override
    public int hashCode() {
        return spec.hashCode() * 31 + (passthrough ? 1 : 0);
    }

    @Override
    public String toString() {
        return spec + (passthrough ? " (model input)" : "");
    }
}
