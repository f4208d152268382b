package io.edgesplit.tensor;

import java.util.Locale;

/**
 * Element type of a {@link Tensor}, named as in the Open Inference Protocol (KServe v2) so that the
 * same names appear in manifests, wire frames and REST payloads.
 */
public enum DataType {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    FP32(4),
    FP64(8),
    /** Variable-length byte strings; has no fixed element size. */
    BYTES(-1);

    private final int byteSize;

    DataType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element, or -1 for {@link #BYTES}. */
    public int byteSize() {
        return byteSize;
    }

    /** True when elements have a fixed size, so a tensor's byte size follows from its shape. */
    public boolean isFixedSize() {
        return byteSize > 0;
    }

    /** True for the integer types that carry affine quantization in TensorFlow Lite. */
    public boolean isQuantizable() {
        return this == UINT8 || this == INT8 || this == INT16 || this == INT32;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /** The Open Inference Protocol name ("FP32", "UINT8", ...). */
    public String oipName() {
        return name();
    }

    /**
     * Parses an Open Inference Protocol datatype name.
     *
     * @throws IllegalArgumentException naming the value when it is not one of the protocol's names
     */
    public static DataType fromOipName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("datatype: must be set");
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("datatype: unknown Open Inference Protocol type '" + name
                    + "', expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64,"
                    + " FP16, FP32, FP64, BYTES", e);
        }
    }
}
