package io.edgesplit.engine.tflite;

import io.edgesplit.tensor.DataType;

/**
 * Maps between EdgeSplit's {@link DataType} and TensorFlow Lite's two type enumerations: the
 * flatbuffer schema's {@code TensorType} and the C API's {@code TfLiteType} (which differ by one
 * and in order).
 */
public final class TfLiteTypes {

    private TfLiteTypes() {
    }

    private static final String[] SCHEMA_NAMES = {
        "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
        "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"
    };

    /** The schema {@code TensorType} name of {@code code}, or {@code TYPE_<code>} for unknown codes. */
    public static String schemaTypeName(int code) {
        return code >= 0 && code < SCHEMA_NAMES.length ? SCHEMA_NAMES[code] : "TYPE_" + code;
    }

    /** The data type of a schema {@code TensorType}, or null when EdgeSplit has no equivalent. */
    public static DataType fromSchemaType(int code) {
        switch (code) {
            case 0: return DataType.FP32;
            case 1: return DataType.FP16;
            case 2: return DataType.INT32;
            case 3: return DataType.UINT8;
            case 4: return DataType.INT64;
            case 5: return DataType.BYTES;
            case 6: return DataType.BOOL;
            case 7: return DataType.INT16;
            case 9: return DataType.INT8;
            case 10: return DataType.FP64;
            case 12: return DataType.UINT64;
            case 15: return DataType.UINT32;
            case 16: return DataType.UINT16;
            default: return null;
        }
    }

    /** The schema {@code TensorType} code of {@code type}. */
    public static byte toSchemaType(DataType type) {
        switch (type) {
            case FP32: return 0;
            case FP16: return 1;
            case INT32: return 2;
            case UINT8: return 3;
            case INT64: return 4;
            case BYTES: return 5;
            case BOOL: return 6;
            case INT16: return 7;
            case INT8: return 9;
            case FP64: return 10;
            case UINT64: return 12;
            case UINT32: return 15;
            case UINT16: return 16;
            default: throw new IllegalArgumentException("no TensorFlow Lite type for " + type);
        }
    }

    /** The data type of a C API {@code TfLiteType}, or null when EdgeSplit has no equivalent. */
    public static DataType fromCApiType(int code) {
        switch (code) {
            case 1: return DataType.FP32;
            case 2: return DataType.INT32;
            case 3: return DataType.UINT8;
            case 4: return DataType.INT64;
            case 5: return DataType.BYTES;
            case 6: return DataType.BOOL;
            case 7: return DataType.INT16;
            case 9: return DataType.INT8;
            case 10: return DataType.FP16;
            case 11: return DataType.FP64;
            case 13: return DataType.UINT64;
            case 16: return DataType.UINT32;
            case 17: return DataType.UINT16;
            default: return null;
        }
    }
}
