package io.edgesplit.offload.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Float16;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Tensor data in the Open Inference Protocol's JSON form, both directions: {@code "data"} arrays
 * (row-major, flat or nested as the shape, numbers or booleans) read into and written from
 * {@link Tensor}s, and the {@code shape}/{@code datatype} fields. Used by the OIP v2 client and the
 * edge server's REST face. Stateless.
 */
public final class OipTensors {

    /** Name of the binary tensor data extension in server metadata. */
    public static final String BINARY_EXTENSION = "binary_tensor_data";

    /** Header that gives the JSON part's length when binary tensor data follows it. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private OipTensors() {
    }

    /**
     * The shape in a tensor object.
     *
     * @throws OipFormatException naming {@code field} when it is missing or not an array of
     *     non-negative integers
     */
    public static int[] shape(JsonNode shape, String field) throws OipFormatException {
        if (shape == null || !shape.isArray()) {
            throw new OipFormatException(field + ": must be an array of dimensions");
        }
        if (shape.size() > 8) {
            throw new OipFormatException(field + ": rank " + shape.size() + ", at most 8");
        }
        int[] out = new int[shape.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > (1 << 24)) {
                throw new OipFormatException(field + "[" + i + "]: must be an integer 0.." + (1 << 24) + ", was " + d);
            }
            out[i] = (int) d.asLong();
        }
        return out;
    }

    /** The datatype of a tensor object. */
    public static DataType dataType(JsonNode datatype, String field) throws OipFormatException {
        if (datatype == null || !datatype.isTextual()) {
            throw new OipFormatException(field + ": must be a datatype name such as \"FP32\"");
        }
        try {
            DataType t = DataType.fromOipName(datatype.asText());
            if (!t.isFixedSize()) {
                throw new OipFormatException(field + ": " + t + " tensors are not supported here");
            }
            return t;
        } catch (IllegalArgumentException e) {
            throw new OipFormatException(field + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON {@code data} array (flat or nested, row-major) into {@code dst}.
     *
     * @throws OipFormatException when the element count or an element's type does not fit
     */
    public static void readJson(JsonNode data, Tensor dst, String field) throws OipFormatException {
        if (data == null || !data.isArray()) {
            throw new OipFormatException(field + ": must be an array of the tensor's elements");
        }
        int n = dst.elementCount();
        int[] index = {0};
        readElements(data, dst, field, index, n, 0);
        if (index[0] != n) {
            throw new OipFormatException(field + ": " + index[0] + " elements for tensor '" + dst.name() + "' "
                    + dst.spec().shapeAndType() + ", which has " + n);
        }
    }

    private static void readElements(JsonNode array, Tensor dst, String field, int[] index, int n, int depth)
            throws OipFormatException {
        if (depth > 8) {
            throw new OipFormatException(field + ": nested deeper than any tensor rank");
        }
        for (JsonNode e : array) {
            if (e.isArray()) {
                readElements(e, dst, field, index, n, depth + 1);
                continue;
            }
            if (index[0] >= n) {
                throw new OipFormatException(field + ": more elements than tensor '" + dst.name() + "' "
                        + dst.spec().shapeAndType() + " holds (" + n + ")");
            }
            put(dst, index[0]++, e, field);
        }
    }

    private static void put(Tensor t, int i, JsonNode e, String field) throws OipFormatException {
        MutableDirectBuffer b = t.data();
        DataType type = t.dataType();
        if (type == DataType.BOOL) {
            if (!e.isBoolean() && !e.isIntegralNumber()) {
                throw new OipFormatException(field + "[" + i + "]: BOOL element must be true/false, was " + e);
            }
            b.putByte(i, (byte) (e.isBoolean() ? (e.asBoolean() ? 1 : 0) : (e.asLong() != 0 ? 1 : 0)));
            return;
        }
        if (!e.isNumber()) {
            throw new OipFormatException(field + "[" + i + "]: " + type + " element must be a number, was " + e);
        }
        switch (type) {
            case FP32:
                b.putFloat(i * 4, (float) e.asDouble(), LE);
                return;
            case FP64:
                b.putDouble(i * 8, e.asDouble(), LE);
                return;
            case FP16:
                b.putShort(i * 2, Float16.fromFloat((float) e.asDouble()), LE);
                return;
            default:
                break;
        }
        if (!e.isIntegralNumber()) {
            throw new OipFormatException(field + "[" + i + "]: " + type + " element must be an integer, was " + e);
        }
        long v = e.asLong();
        switch (type) {
            case UINT8:
                checkRange(v, 0, 255, field, i, type);
                b.putByte(i, (byte) v);
                break;
            case INT8:
                checkRange(v, -128, 127, field, i, type);
                b.putByte(i, (byte) v);
                break;
            case UINT16:
                checkRange(v, 0, 65535, field, i, type);
                b.putShort(i * 2, (short) v, LE);
                break;
            case INT16:
                checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, field, i, type);
                b.putShort(i * 2, (short) v, LE);
                break;
            case UINT32:
                checkRange(v, 0, 0xffffffffL, field, i, type);
                b.putInt(i * 4, (int) v, LE);
                break;
            case INT32:
                checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, field, i, type);
                b.putInt(i * 4, (int) v, LE);
                break;
            case INT64:
            case UINT64:
                b.putLong(i * 8, v, LE);
                break;
            default:
                throw new OipFormatException(field + ": " + type + " is not supported");
        }
    }

    private static void checkRange(long v, long min, long max, String field, int i, DataType type)
            throws OipFormatException {
        if (v < min || v > max) {
            throw new OipFormatException(field + "[" + i + "]: " + v + " is out of range for " + type);
        }
    }

    /** Writes {@code src}'s elements as a flat JSON array (raw values; quantized tensors are not dequantized). */
    public static void writeJson(Tensor src, JsonGenerator g) throws IOException {
        int n = src.elementCount();
        org.agrona.DirectBuffer b = src.data();
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            switch (src.dataType()) {
                case BOOL:
                    g.writeBoolean(b.getByte(i) != 0);
                    break;
                case FP32:
                    g.writeNumber(b.getFloat(i * 4, LE));
                    break;
                case FP64:
                    g.writeNumber(b.getDouble(i * 8, LE));
                    break;
                case FP16:
                    g.writeNumber(Float16.toFloat(b.getShort(i * 2, LE)));
                    break;
                case UINT8:
                    g.writeNumber(b.getByte(i) & 0xff);
                    break;
                case INT8:
                    g.writeNumber(b.getByte(i));
                    break;
                case UINT16:
                    g.writeNumber(b.getShort(i * 2, LE) & 0xffff);
                    break;
                case INT16:
                    g.writeNumber(b.getShort(i * 2, LE));
                    break;
                case UINT32:
                    g.writeNumber(b.getInt(i * 4, LE) & 0xffffffffL);
                    break;
                case INT32:
                    g.writeNumber(b.getInt(i * 4, LE));
                    break;
                case INT64:
                    g.writeNumber(b.getLong(i * 8, LE));
                    break;
                case UINT64:
                    g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(b.getLong(i * 8, LE))));
                    break;
                default:
                    throw new IllegalArgumentException("tensor '" + src.name() + "': " + src.dataType()
                            + " cannot be written as JSON");
            }
        }
        g.writeEndArray();
    }

    /** Writes {@code "name"}, {@code "shape"} and {@code "datatype"} of a tensor object. */
    public static void writeHeader(TensorSpec spec, JsonGenerator g) throws IOException {
        g.writeStringField("name", spec.name());
        g.writeArrayFieldStart("shape");
        for (int d : spec.shape()) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeStringField("datatype", spec.dataType().oipName());
    }
}
