package io.edgesplit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TensorTest {

    @Test
    void dataIsLittleEndianRegardlessOfAccessPath() {
        Tensor t = Tensor.allocate(TensorSpec.of("x", DataType.FP32, 1, 2));
        t.putFloat(1, 1.5f);
        byte[] bytes = t.toByteArray();
        assertEquals(1.5f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(4));
    }

    @Test
    void copyFromRejectsMismatchedShapeShowingBothSides() {
        Tensor dst = Tensor.allocate(TensorSpec.of("x", DataType.FP32, 1, 28, 28, 32));
        Tensor src = Tensor.allocate(TensorSpec.of("y", DataType.FP32, 1, 28, 28, 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.copyFrom(src));
        assertEquals("tensor 'x' expects [1,28,28,32] FP32, got [1,28,28,16] FP32", e.getMessage());
    }

    @Test
    void copyFromRejectsMismatchedType() {
        Tensor dst = Tensor.allocate(TensorSpec.of("in", DataType.UINT8, 1, 4));
        Tensor src = Tensor.allocate(TensorSpec.of("in", DataType.INT8, 1, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.copyFrom(src));
        assertEquals("tensor 'in' expects [1,4] UINT8, got [1,4] INT8", e.getMessage());
    }

    @Test
    void copyFromCopiesBytes() {
        Tensor dst = Tensor.allocate(TensorSpec.of("x", DataType.UINT8, 3));
        Tensor src = Tensor.allocate(TensorSpec.of("x", DataType.UINT8, 3));
        src.putBytes(new byte[] {1, 2, (byte) 250});
        dst.copyFrom(src);
        assertTrue(dst.contentEquals(src));
        assertEquals(250, dst.getUint8(2));
    }

    @Test
    void getRealDequantizesPerTensor() {
        TensorSpec spec = new TensorSpec("q", new int[] {2}, DataType.UINT8, Quantization.perTensor(0.5f, 128));
        Tensor t = Tensor.allocate(spec);
        t.putUint8(0, 130);
        t.putUint8(1, 0);
        assertEquals(1.0f, t.getReal(0));
        assertEquals(-64.0f, t.getReal(1));
    }

    @Test
    void getRealDequantizesPerChannelAlongAxis() {
        Quantization q = Quantization.perChannel(new float[] {1f, 10f}, new long[] {0, 1}, 1);
        Tensor t = Tensor.allocate(new TensorSpec("w", new int[] {2, 2}, DataType.INT8, q));
        t.data().putByte(0, (byte) 3); // row 0, channel 0
        t.data().putByte(1, (byte) 3); // row 0, channel 1
        t.data().putByte(3, (byte) -1); // row 1, channel 1
        assertEquals(3f, t.getReal(0));
        assertEquals(20f, t.getReal(1));
        assertEquals(-20f, t.getReal(3));
    }

    @Test
    void argMaxFindsFirstLargest() {
        Tensor t = Tensor.allocate(TensorSpec.of("p", DataType.FP32, 4));
        t.putFloat(0, 0.1f);
        t.putFloat(1, 0.7f);
        t.putFloat(2, 0.7f);
        t.putFloat(3, -1f);
        assertEquals(1, t.argMax());
    }

    @Test
    void wrapRejectsHeapAndWrongSizedBuffers() {
        TensorSpec spec = TensorSpec.of("x", DataType.FP32, 4);
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(spec, ByteBuffer.allocate(16)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(spec, ByteBuffer.allocateDirect(12)));
        assertEquals("tensor 'x' [4] FP32 needs 16 bytes, buffer has 12", e.getMessage());
    }

    @Test
    void byteStringsHaveNoFixedSize() {
        TensorSpec spec = TensorSpec.of("s", DataType.BYTES, 2);
        assertEquals(-1, spec.byteSize());
        assertThrows(IllegalArgumentException.class, () -> Tensor.allocate(spec));
    }

    @Test
    void negativeDimensionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorSpec.of("d", DataType.FP32, 1, -1, 3));
        assertEquals("tensor 'd': dimension 1 must be >= 0, was -1 in [1, -1, 3]", e.getMessage());
    }

    @Test
    void quantizationRejectsNonPositiveScale() {
        assertThrows(IllegalArgumentException.class, () -> Quantization.perTensor(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> Quantization.perTensor(Float.NaN, 0));
        assertFalse(Quantization.of(new float[0], new long[0], 0).isQuantized());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "UINT8", "Int8", "BYTES"})
    void dataTypesParseFromOpenInferenceProtocolNames(String name) {
        assertEquals(name.toUpperCase(), DataType.fromOipName(name).oipName());
    }

    @Test
    void unknownOipNameIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataType.fromOipName("FLOAT"));
        assertTrue(e.getMessage().startsWith("datatype: unknown Open Inference Protocol type 'FLOAT'"), e.getMessage());
    }

    @Test
    void float16RoundTripsRepresentableValuesAndRoundsToNearestEven() {
        float[] exact = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY};
        for (float f : exact) {
            assertEquals(f, Float16.toFloat(Float16.fromFloat(f)), "value " + f);
        }
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
        // 1 + 2^-11 is exactly between 1 and the next half (1 + 2^-10): ties to even -> 1
        assertEquals(1f, Float16.toFloat(Float16.fromFloat(1f + 0x1p-11f)));
        // above the largest half rounds to infinity
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(Float16.fromFloat(65520f)));
        // every half bit pattern survives half -> float -> half
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Float16.toFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, Float16.fromFloat(f), "bits " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void shapeStringIsCompact() {
        assertArrayEquals(new int[] {1, 2}, TensorSpec.of("x", DataType.FP32, 1, 2).shape());
        assertEquals("[1,224,224,3] UINT8", TensorSpec.of("x", DataType.UINT8, 1, 224, 224, 3).shapeAndType());
    }
}
