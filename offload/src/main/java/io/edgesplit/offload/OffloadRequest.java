package io.edgesplit.offload;

import io.edgesplit.common.Sha256;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.util.List;
import java.util.Objects;

/**
 * One offloaded inference: which tail segment to run (by SHA-256, as model packages name segments),
 * the crossing tensors the head produced (in the tail's input order), the codec to send them with,
 * and optionally the specs of the tail's outputs (names and quantization the wire does not carry).
 * Immutable apart from the tensors, which the caller owns and must not change until the request
 * completes. Build with {@link #builder()}.
 */
public final class OffloadRequest {

    private final String segmentSha256;
    private final String modelName;
    private final String codecName;
    private final List<Tensor> inputs;
    private final List<TensorSpec> outputSpecs;
    private final String label;

    private OffloadRequest(Builder b) {
        this.segmentSha256 = b.segmentSha256;
        this.modelName = b.modelName;
        this.codecName = b.codecName;
        this.inputs = io.edgesplit.common.Lists.copyOf(b.inputs);
        this.outputSpecs = b.outputSpecs == null ? null : io.edgesplit.common.Lists.copyOf(b.outputSpecs);
        this.label = b.label;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().segmentSha256(segmentSha256).modelName(modelName).codecName(codecName).inputs(inputs)
                .outputSpecs(outputSpecs).label(label);
    }

    /** SHA-256 (64 lowercase hex characters) of the tail segment to run. */
    public String segmentSha256() {
        return segmentSha256;
    }

    /**
     * The model name on an Open Inference Protocol server; by default the segment's SHA-256, which is
     * how the EdgeSplit server names its tails there.
     */
    public String modelName() {
        return modelName == null ? segmentSha256 : modelName;
    }

    /** Codec of the crossing tensors on the native protocol (see {@code io.edgesplit.codec.Codecs}). */
    public String codecName() {
        return codecName;
    }

    /** The crossing tensors, in the tail's input order. */
    public List<Tensor> inputs() {
        return inputs;
    }

    /**
     * Specs of the tail's outputs (names, quantization) to decode into, or null to take shape and type
     * from the reply and name outputs {@code output0, output1, ...}.
     */
    public List<TensorSpec> outputSpecs() {
        return outputSpecs;
    }

    /** Free text for logs ("mobilenet_v2 w1.00/s012"), or null. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return "OffloadRequest{" + (label == null ? segmentSha256.substring(0, 12) : label) + ", codec=" + codecName
                + ", " + inputs.size() + " tensors}";
    }

    /** Builder for {@link OffloadRequest}; {@link #build()} checks every field once. */
    public static final class Builder {
        private String segmentSha256;
        private String modelName;
        private String codecName = "raw";
        private List<Tensor> inputs = java.util.Collections.emptyList();
        private List<TensorSpec> outputSpecs;
        private String label;

        private Builder() {
        }

        /** Required: the tail segment's SHA-256. */
        public Builder segmentSha256(String sha256) {
            this.segmentSha256 = sha256;
            return this;
        }

        /** Model name on OIP servers. Default: the segment's SHA-256. */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        /** Codec name. Default {@code raw}. */
        public Builder codecName(String name) {
            this.codecName = name;
            return this;
        }

        /** Required, at least one: the crossing tensors in the tail's input order. */
        public Builder inputs(List<Tensor> inputs) {
            this.inputs = Objects.requireNonNull(inputs, "inputs");
            return this;
        }

        public Builder inputs(Tensor... inputs) {
            return inputs(java.util.Arrays.asList(inputs));
        }

        /** Optional: the tail's output specs. */
        public Builder outputSpecs(List<TensorSpec> specs) {
            this.outputSpecs = specs;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public OffloadRequest build() {
            if (!Sha256.isValid(segmentSha256)) {
                throw new IllegalArgumentException("segmentSha256: expected 64 lowercase hex characters, was "
                        + (segmentSha256 == null ? "null" : "'" + segmentSha256 + "'"));
            }
            if (codecName == null || codecName.isEmpty() || codecName.length() > 16) {
                throw new IllegalArgumentException("codecName: must be 1..16 characters, was " + codecName);
            }
            if (inputs.isEmpty() || inputs.size() > 16) {
                throw new IllegalArgumentException("inputs: 1..16 tensors, was " + inputs.size());
            }
            if (modelName != null && modelName.isEmpty()) {
                throw new IllegalArgumentException("modelName: must not be empty");
            }
            return new OffloadRequest(this);
        }
    }
}
