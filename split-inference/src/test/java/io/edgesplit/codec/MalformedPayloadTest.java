package io.edgesplit.codec;

import static io.edgesplit.codec.SyntheticTensors.direct;
import static io.edgesplit.codec.SyntheticTensors.fp32;
import static io.edgesplit.codec.SyntheticTensors.reluLike;
import static io.edgesplit.codec.SyntheticTensors.reluWithDeadPixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed payload is a {@link CodecException} naming codec, tensor and reason. */
class MalformedPayloadTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final TensorSpec X = fp32("x", 1, 56, 56, 24);
    private static final String X_PREFIX = "tensor 'x' [1,56,56,24] FP32: ";

    private static String decodeFailure(String codec, MutableDirectBuffer payload, int length, TensorSpec spec) {
        Tensor dst = Tensor.allocate(spec);
        CodecException e = assertThrows(CodecException.class, () -> Codecs.create(codec).decode(payload, 0, length, dst));
        assertEquals(codec, e.codecName());
        assertEquals(spec, e.tensorSpec());
        assertEquals(codec + ": tensor '" + spec.name() + "' " + spec.shapeAndType() + ": " + e.reason(), e.getMessage());
        return e.getMessage();
    }

    private static UnsafeBuffer encoded(String codec, Tensor src) {
        TensorCodec c = Codecs.create(codec);
        UnsafeBuffer buffer = direct(c.maxEncodedLength(src.spec()));
        int length = c.encode(src, buffer, 0, null);
        return new UnsafeBuffer(buffer, 0, length);
    }

    // --- lengths ----------------------------------------------------------------------------------

    @Test
    void rawPayloadOfTheWrongLengthIsRejected() {
        assertEquals("raw: " + X_PREFIX + "payload is 100 bytes, expected 301056 (the tensor's raw bytes)",
                decodeFailure("raw", direct(100), 100, X));
    }

    @Test
    void fp16PayloadOfTheWrongLengthIsRejected() {
        assertEquals("fp16: " + X_PREFIX + "payload is 150526 bytes, expected 150528 (2 bytes per element)",
                decodeFailure("fp16", direct(150526), 150526, X));
    }

    @Test
    void int8PayloadOfTheWrongLengthIsRejected() {
        assertEquals("int8: " + X_PREFIX + "payload is 12 bytes, expected 75272 (8-byte header + 75264 codes)",
                decodeFailure("int8", direct(12), 12, X));
    }

    @Test
    void passedThroughPayloadOfTheWrongLengthIsRejected() {
        TensorSpec q = SyntheticTensors.uint8Quantized("q", 1, 4, 4, 2);
        assertEquals("int8c: tensor 'q' [1,4,4,2] UINT8: payload is 40 bytes, expected 32 (the tensor's raw bytes)",
                decodeFailure("int8c", direct(40), 40, q));
    }

    // --- int8 header --------------------------------------------------------------------------------

    @Test
    void int8ScaleMustBeFiniteAndPositive() {
        UnsafeBuffer payload = encoded("int8", reluLike(X, 1));
        for (float bad : new float[] {0f, -0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            payload.putFloat(0, bad, LE);
            assertEquals("int8: " + X_PREFIX + "scale is " + bad + ", must be a finite number > 0",
                    decodeFailure("int8", payload, payload.capacity(), X));
        }
    }

    @Test
    void int8ZeroPointMustBeAnEightBitCode() {
        UnsafeBuffer payload = encoded("int8", reluLike(X, 1));
        payload.putInt(4, 256, LE);
        assertEquals("int8: " + X_PREFIX + "zero point is 256, must be within [0, 255]",
                decodeFailure("int8", payload, payload.capacity(), X));
        payload.putInt(4, -1, LE);
        assertEquals("int8: " + X_PREFIX + "zero point is -1, must be within [0, 255]",
                decodeFailure("int8", payload, payload.capacity(), X));
    }

    // --- int8c header -------------------------------------------------------------------------------

    @Test
    void int8cChannelCountMustMatchTheTensorsLastAxis() {
        UnsafeBuffer payload = encoded("int8c", reluLike(X, 1));
        payload.putInt(0, 32, LE);
        assertEquals("int8c: " + X_PREFIX + "payload declares 32 channels, the tensor's last axis has 24",
                decodeFailure("int8c", payload, payload.capacity(), X));
        payload.putInt(0, Integer.MAX_VALUE, LE);
        assertEquals("int8c: " + X_PREFIX + "payload declares 2147483647 channels, the tensor's last axis has 24",
                decodeFailure("int8c", payload, payload.capacity(), X));
    }

    @Test
    void int8cPayloadOfTheWrongLengthIsRejected() {
        UnsafeBuffer payload = encoded("int8c", reluLike(X, 1));
        assertEquals("int8c: " + X_PREFIX + "payload is 75455 bytes, expected 75460 (4-byte channel count + 24 x"
                + " 8-byte scale/zero point + 75264 codes)", decodeFailure("int8c", payload, payload.capacity() - 5, X));
        assertEquals("int8c: " + X_PREFIX + "payload is 3 bytes, shorter than the 4-byte channel count",
                decodeFailure("int8c", payload, 3, X));
    }

    @Test
    void int8cChannelScaleAndZeroPointAreChecked() {
        UnsafeBuffer payload = encoded("int8c", reluLike(X, 1));
        payload.putFloat(4 + 4 * 3, -1f, LE);
        assertEquals("int8c: " + X_PREFIX + "channel 3: scale is -1.0, must be a finite number > 0",
                decodeFailure("int8c", payload, payload.capacity(), X));
        payload = encoded("int8c", reluLike(X, 1));
        payload.putInt(4 + 4 * 24 + 4 * 23, 300, LE);
        assertEquals("int8c: " + X_PREFIX + "channel 23: zero point is 300, must be within [0, 255]",
                decodeFailure("int8c", payload, payload.capacity(), X));
    }

    // --- lz4 stage --------------------------------------------------------------------------------

    private static UnsafeBuffer lz4Header(int method, int reserved, int innerLength, int bodyLength) {
        UnsafeBuffer payload = direct(8 + bodyLength);
        payload.putInt(0, method | reserved << 8, LE);
        payload.putInt(4, innerLength, LE);
        return payload;
    }

    @Test
    void lz4PayloadShorterThanItsHeaderIsRejected() {
        assertEquals("int8+lz4: " + X_PREFIX + "payload is 5 bytes, shorter than the 8-byte LZ4 stage header",
                decodeFailure("int8+lz4", direct(5), 5, X));
    }

    @Test
    void lz4UnknownMethodAndNonZeroReservedBytesAreRejected() {
        UnsafeBuffer payload = lz4Header(7, 0, 10, 10);
        assertEquals("raw+lz4: " + X_PREFIX + "unknown method 7, expected 0 (stored) or 1 (LZ4 block)",
                decodeFailure("raw+lz4", payload, payload.capacity(), X));
        payload = lz4Header(1, 0xab, 10, 10);
        assertEquals("raw+lz4: " + X_PREFIX + "reserved header bytes must be 0, were 0xab",
                decodeFailure("raw+lz4", payload, payload.capacity(), X));
    }

    @Test
    void lz4DeclaredLengthLargerThanTheTensorIsRejectedBeforeAllocating() {
        UnsafeBuffer payload = lz4Header(1, 0, 75273, 100);
        assertEquals("int8+lz4: " + X_PREFIX + "header declares 75273 decoded bytes, the tensor needs at most 75272",
                decodeFailure("int8+lz4", payload, payload.capacity(), X));
        payload = lz4Header(1, 0, -1, 100);
        assertEquals("int8+lz4: " + X_PREFIX + "header declares 4294967295 decoded bytes, the tensor needs at most"
                + " 75272", decodeFailure("int8+lz4", payload, payload.capacity(), X));
        payload = lz4Header(1, 0, Integer.MAX_VALUE, 100);
        assertEquals("fp16+lz4: " + X_PREFIX + "header declares 2147483647 decoded bytes, the tensor needs at most"
                + " 150528", decodeFailure("fp16+lz4", payload, payload.capacity(), X));
    }

    @Test
    void lz4StoredBodyMustHaveTheDeclaredLength() {
        UnsafeBuffer payload = lz4Header(0, 0, 75272, 75000);
        assertEquals("int8+lz4: " + X_PREFIX + "stored body is 75000 bytes, header declares 75272",
                decodeFailure("int8+lz4", payload, payload.capacity(), X));
    }

    @Test
    void lz4BlockLongerThanLz4CouldProduceIsRejectedBeforeCopying() {
        UnsafeBuffer payload = lz4Header(1, 0, 100, 5000);
        assertEquals("int8+lz4: " + X_PREFIX + "LZ4 block is 5000 bytes, longer than the 116 LZ4 can produce for the"
                + " 100 bytes the header declares", decodeFailure("int8+lz4", payload, payload.capacity(), X));
    }

    @Test
    void truncatedLz4BlockIsRejectedAsCorrupt() {
        UnsafeBuffer full = encoded("int8+lz4", reluWithDeadPixels(X, 3));
        assertEquals(1, full.getByte(0), "test needs a real LZ4 block");
        String message = decodeFailure("int8+lz4", full, full.capacity() - 20, X);
        assertTrue(message.startsWith("int8+lz4: " + X_PREFIX + "corrupt LZ4 block: "), message);
    }

    @Test
    void lz4BlockDecodingToFewerBytesThanDeclaredIsRejected() {
        byte[] inner = new byte[1000];
        byte[] block = LZ4Factory.safeInstance().fastCompressor().compress(inner);
        UnsafeBuffer payload = lz4Header(1, 0, 2000, block.length);
        payload.putBytes(8, block);
        assertEquals("raw+lz4: tensor 'b' [4000] UINT8: LZ4 block decodes to 1000 bytes, header declares 2000",
                decodeFailure("raw+lz4", payload, payload.capacity(), TensorSpec.of("b", DataType.UINT8, 4000)));
    }

    @Test
    void lz4BlockOfRandomBytesIsRejectedAsCorrupt() {
        UnsafeBuffer payload = lz4Header(1, 0, 75272, 3000);
        byte[] junk = new byte[3000];
        new Random(5).nextBytes(junk);
        payload.putBytes(8, junk);
        String message = decodeFailure("int8+lz4", payload, payload.capacity(), X);
        assertTrue(message.startsWith("int8+lz4: " + X_PREFIX + "corrupt LZ4 block: "), message);
    }

    @Test
    void errorsOfTheInnerPayloadNameTheWholeCodec() {
        UnsafeBuffer inner = encoded("int8", reluLike(X, 1));
        inner.putFloat(0, Float.NaN, LE);
        UnsafeBuffer payload = lz4Header(0, 0, inner.capacity(), inner.capacity());
        payload.putBytes(8, inner, 0, inner.capacity());
        CodecException e = assertThrows(CodecException.class,
                () -> Codecs.create("int8+lz4").decode(payload, 0, payload.capacity(), Tensor.allocate(X)));
        assertEquals("int8+lz4: " + X_PREFIX + "scale is NaN, must be a finite number > 0", e.getMessage());
        assertEquals("int8", ((CodecException) e.getCause()).codecName());
    }

    // --- misuse -----------------------------------------------------------------------------------

    @Test
    void aPayloadRangeOutsideTheSourceBufferIsMisuseNotMalformedInput() {
        UnsafeBuffer payload = direct(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.create("int8").decode(payload, 10, 8, Tensor.allocate(X)));
        assertEquals("int8: payload range [10, 10+8) lies outside the 16-byte source buffer", e.getMessage());
    }

    // --- fuzzing ------------------------------------------------------------------------------------

    static java.util.stream.Stream<String> allCodecs() {
        return Codecs.names().stream();
    }

    /**
     * Flips bytes, truncates and extends valid payloads: decoding either succeeds or fails with a
     * CodecException; nothing else (index errors, LZ4 exceptions, OutOfMemoryError) escapes.
     */
    @ParameterizedTest
    @MethodSource("allCodecs")
    void corruptedPayloadsFailOnlyWithCodecException(String name) {
        TensorSpec spec = fp32("f", 1, 12, 12, 6);
        UnsafeBuffer valid = encoded(name, reluWithDeadPixels(spec, 4));
        Random random = new Random(name.hashCode());
        TensorCodec codec = Codecs.create(name);
        Tensor dst = Tensor.allocate(spec);
        UnsafeBuffer mutated = direct(valid.capacity() + 64);
        int rejected = 0;
        for (int round = 0; round < 3000; round++) {
            mutated.setMemory(0, mutated.capacity(), (byte) 0);
            mutated.putBytes(0, valid, 0, valid.capacity());
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                // headers are where lengths live: hit the first 16 bytes half of the time
                int at = random.nextBoolean() ? random.nextInt(Math.min(16, valid.capacity()))
                        : random.nextInt(valid.capacity());
                mutated.putByte(at, (byte) random.nextInt(256));
            }
            int length = valid.capacity();
            int shape = random.nextInt(4);
            if (shape == 1) {
                length = random.nextInt(valid.capacity());
            } else if (shape == 2) {
                length = valid.capacity() + 1 + random.nextInt(63);
            }
            try {
                codec.decode(mutated, 0, length, dst);
            } catch (CodecException expected) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail(name + " round " + round + " let " + e + " escape", e);
            }
        }
        assertTrue(rejected > 500, name + " rejected only " + rejected + " of 3000 corrupted payloads");
    }
}
