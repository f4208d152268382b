package io.edgesplit.codec;

import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.util.Objects;

/**
 * A payload could not be decoded into its tensor: wrong length, a header field out of range, a
 * corrupt LZ4 block. The message names the codec, the tensor and the reason, e.g. {@code int8:
 * tensor 'x' [1,56,56,24] FP32: payload is 12 bytes, expected 75272 (8-byte header + 75264 codes)}.
 *
 * <p>Thrown for malformed input only; misuse (a destination buffer too small, an offset outside the
 * source buffer) is an {@link IllegalArgumentException}.
 */
public final class CodecException extends IOException {

    private final String codecName;
    private final TensorSpec tensorSpec;
    private final String reason;

    public CodecException(String codecName, TensorSpec tensorSpec, String reason) {
        this(codecName, tensorSpec, reason, null);
    }

    public CodecException(String codecName, TensorSpec tensorSpec, String reason, Throwable cause) {
        super(message(codecName, tensorSpec, reason), cause);
        this.codecName = codecName;
        this.tensorSpec = tensorSpec;
        this.reason = reason;
    }

    private static String message(String codecName, TensorSpec spec, String reason) {
        Objects.requireNonNull(spec, "tensorSpec");
        return codecName + ": tensor '" + spec.name() + "' " + spec.shapeAndType() + ": " + reason;
    }

    /** Name of the codec that rejected the payload ({@code "int8+lz4"}). */
    public String codecName() {
        return codecName;
    }

    /** The tensor the payload was decoded into. */
    public TensorSpec tensorSpec() {
        return tensorSpec;
    }

    /** Why the payload was rejected, without the codec and tensor prefix. */
    public String reason() {
        return reason;
    }
}
