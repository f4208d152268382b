package io.edgesplit.codec;

import static io.edgesplit.codec.SyntheticTensors.channelsOfDifferentRanges;
import static io.edgesplit.codec.SyntheticTensors.constant;
import static io.edgesplit.codec.SyntheticTensors.direct;
import static io.edgesplit.codec.SyntheticTensors.fp32;
import static io.edgesplit.codec.SyntheticTensors.randomBytes;
import static io.edgesplit.codec.SyntheticTensors.reluLike;
import static io.edgesplit.codec.SyntheticTensors.reluWithDeadPixels;
import static io.edgesplit.codec.SyntheticTensors.uint8Quantized;
import static io.edgesplit.codec.SyntheticTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Float16;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodecRoundTripTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Payloads are written at an odd offset to prove nothing assumes alignment or offset 0. */
    private static final int OFFSET = 3;

    /** Encodes at {@link #OFFSET} of a fresh direct buffer; the payload stays in {@code buffer}. */
    private static final class Encoded {
        final UnsafeBuffer buffer;
        final int length;

        Encoded(UnsafeBuffer buffer, int length) {
            this.buffer = buffer;
            this.length = length;
        }

        float float32(int payloadOffset) {
            return buffer.getFloat(OFFSET + payloadOffset, LE);
        }

        int int32(int payloadOffset) {
            return buffer.getInt(OFFSET + payloadOffset, LE);
        }
    }

    private static Encoded encode(TensorCodec codec, Tensor src, CodecStats stats) {
        int max = codec.maxEncodedLength(src.spec());
        UnsafeBuffer buffer = direct(OFFSET + max + 5);
        int length = codec.encode(src, buffer, OFFSET, stats);
        assertTrue(length <= max, codec.name() + " wrote " + length + " bytes, above its bound " + max);
        return new Encoded(buffer, length);
    }

    private static Tensor decode(TensorCodec codec, Encoded encoded, TensorSpec spec) throws CodecException {
        Tensor out = Tensor.allocate(spec);
        codec.decode(encoded.buffer, OFFSET, encoded.length, out);
        return out;
    }

    private static Tensor roundTrip(String name, Tensor src, CodecStats stats) throws CodecException {
        TensorCodec encoder = Codecs.create(name);
        TensorCodec decoder = Codecs.create(name); // the server has its own instance
        return decode(decoder, encode(encoder, src, stats), src.spec());
    }

    static Stream<String> allCodecs() {
        return Codecs.names().stream();
    }

    static Stream<String> lossyCodecs() {
        return Stream.of("fp16", "int8", "int8c", "fp16+lz4", "int8+lz4", "int8c+lz4");
    }

    // --- registry ---------------------------------------------------------------------------------

    @Test
    void registryListsEveryCodecWithAndWithoutLz4() {
        assertEquals(List.of("raw", "fp16", "int8", "int8c", "raw+lz4", "fp16+lz4", "int8+lz4", "int8c+lz4"),
                Codecs.names());
        for (String name : Codecs.names()) {
            assertEquals(name, Codecs.create(name).name());
        }
    }

    @Test
    void unknownCodecNameIsRejectedListingTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codecs.create("zstd"));
        assertEquals("codec: unknown codec 'zstd', expected one of raw, fp16, int8, int8c, raw+lz4, fp16+lz4,"
                + " int8+lz4, int8c+lz4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Codecs.create(null));
        assertTrue(e.getMessage().startsWith("codec: unknown codec null, expected one of raw,"), e.getMessage());
    }

    @Test
    void everyCreateReturnsANewInstanceBecauseCodecsAreNotThreadSafe() {
        assertNotSame(Codecs.create("int8c+lz4"), Codecs.create("int8c+lz4"));
    }

    // --- lossless ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"raw", "raw+lz4"})
    void rawIsBitExactForEveryFixedSizeType(String name) throws CodecException {
        for (DataType type : new DataType[] {DataType.FP32, DataType.UINT8, DataType.INT32, DataType.FP16,
            DataType.INT64, DataType.BOOL}) {
            Tensor src = randomBytes(TensorSpec.of("t", type, 2, 7, 5), 11);
            CodecStats stats = new CodecStats();
            Tensor out = roundTrip(name, src, stats);
            assertTrue(out.contentEquals(src), name + " on " + type);
            assertEquals(0.0, stats.maxAbsError());
            assertFalse(stats.passthrough(), "raw is the codec's own encoding, not a passthrough");
        }
    }

    @Test
    void rawKeepsNanPayloadsAndSignedZerosBitForBit() throws CodecException {
        Tensor src = Tensor.allocate(fp32("x", 4));
        src.data().putInt(0, 0x7fc01234, LE); // a NaN with a payload
        src.putFloat(1, -0f);
        src.putFloat(2, Float.NEGATIVE_INFINITY);
        src.putFloat(3, Float.MIN_VALUE);
        assertArrayEquals(src.toByteArray(), roundTrip("raw", src, null).toByteArray());
    }

    // --- fp16 -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"fp16", "fp16+lz4"})
    void fp16ErrorStaysWithinHalfPrecision(String name) throws CodecException {
        Tensor src = uniform(fp32("x", 1, 14, 14, 32), 3, -300f, 300f);
        src.putFloat(0, 1e-6f); // subnormal in half precision
        src.putFloat(1, 65504f); // largest half
        CodecStats stats = new CodecStats();
        Tensor out = roundTrip(name, src, stats);
        double maxError = 0;
        for (int i = 0; i < src.elementCount(); i++) {
            float x = src.getFloat(i);
            double error = Math.abs(out.getFloat(i) - x);
            double bound = Math.max(Math.abs(x) * 0x1p-11, 0x1p-25); // half ulp: relative 2^-11, subnormal step 2^-24
            assertTrue(error <= bound, "element " + i + ": " + x + " decoded as " + out.getFloat(i));
            maxError = Math.max(maxError, error);
        }
        assertTrue(maxError > 0, "300-wide uniform floats cannot all be exact halves");
        assertEquals(maxError, stats.maxAbsError(), 0.0, "stats report the decoder's error");
        if (name.endsWith("+lz4")) {
            assertTrue(stats.encodedBytes() <= 8 + 2L * src.elementCount(), stats.toString());
        } else {
            assertEquals(2L * src.elementCount(), stats.encodedBytes());
        }
    }

    @Test
    void fp16KeepsNanAndInfinitiesAndReportsOverflowAsInfiniteError() throws CodecException {
        Tensor src = Tensor.allocate(fp32("x", 5));
        src.putFloat(0, Float.NaN);
        src.putFloat(1, Float.POSITIVE_INFINITY);
        src.putFloat(2, Float.NEGATIVE_INFINITY);
        src.putFloat(3, 1.5f);
        src.putFloat(4, 70000f); // beyond the largest half, 65504
        CodecStats stats = new CodecStats();
        Tensor out = roundTrip("fp16", src, stats);
        assertTrue(Float.isNaN(out.getFloat(0)));
        assertEquals(Float.POSITIVE_INFINITY, out.getFloat(1));
        assertEquals(Float.NEGATIVE_INFINITY, out.getFloat(2));
        assertEquals(1.5f, out.getFloat(3));
        assertEquals(Float.POSITIVE_INFINITY, out.getFloat(4));
        assertEquals(3, stats.nonFiniteElements());
        assertEquals(Double.POSITIVE_INFINITY, stats.maxAbsError(), "overflow must not look like a small error");
    }

    @Test
    void fp16PayloadIsLittleEndianHalves() {
        Tensor src = Tensor.allocate(fp32("x", 2));
        src.putFloat(0, 1f);
        src.putFloat(1, -2f);
        Encoded e = encode(Codecs.create("fp16"), src, null);
        assertEquals(4, e.length);
        assertEquals(0x00, e.buffer.getByte(OFFSET) & 0xff);
        assertEquals(0x3c, e.buffer.getByte(OFFSET + 1) & 0xff); // 1.0 = 0x3c00
        assertEquals(Float16.fromFloat(-2f), e.buffer.getShort(OFFSET + 2, LE));
    }

    // --- int8 per tensor --------------------------------------------------------------------------

    private static double int8Tolerance(float scale, float x) {
        // scale/2, plus float rounding of x/scale (<= 255 ulps of 1 code) and of the decoded product
        return scale * (0.5 + 3e-5) + Math.ulp(Math.abs(x));
    }

    @Test
    void int8ErrorIsAtMostHalfTheScalePerTensor() throws CodecException {
        Tensor src = uniform(fp32("x", 1, 28, 28, 16), 5, -3f, 7f);
        CodecStats stats = new CodecStats();
        TensorCodec codec = Codecs.create("int8");
        Encoded e = encode(codec, src, stats);
        assertEquals(8 + src.elementCount(), e.length);
        float scale = e.float32(0);
        int zeroPoint = e.int32(4);
        assertEquals(10f / 255, scale, 1e-4f, "range [-3, 7] over 255 codes");
        assertTrue(zeroPoint >= 0 && zeroPoint <= 255, "zero point " + zeroPoint);
        Tensor out = decode(Codecs.create("int8"), e, src.spec());
        double maxError = 0;
        for (int i = 0; i < src.elementCount(); i++) {
            float x = src.getFloat(i);
            double error = Math.abs(out.getFloat(i) - x);
            assertTrue(error <= int8Tolerance(scale, x), "element " + i + ": " + x + " -> " + out.getFloat(i)
                    + ", scale " + scale);
            maxError = Math.max(maxError, error);
        }
        assertTrue(maxError > scale / 4, "uniform data must use most of the rounding interval");
        assertEquals(maxError, stats.maxAbsError(), 0.0, "stats report the decoder's error");
        assertEquals(src.elementCount(), stats.elements());
        assertEquals(4.0 * src.elementCount() / e.length, stats.ratio(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "int8c"})
    void reluZerosDecodeAsExactZeros(String name) throws CodecException {
        Tensor src = reluLike(fp32("x", 1, 8, 8, 16), 7);
        Tensor out = roundTrip(name, src, null);
        int zeros = 0;
        for (int i = 0; i < src.elementCount(); i++) {
            if (src.getFloat(i) == 0f) {
                assertEquals(0f, out.getFloat(i), "element " + i);
                zeros++;
            }
        }
        assertTrue(zeros > src.elementCount() / 3, "the data must be ReLU-like, had " + zeros + " zeros");
    }

    @ParameterizedTest
    @ValueSource(floats = {3.25f, -0.75f, 1e-20f, 0f})
    void constantTensorsRoundTripWithoutDividingByZero(float value) throws CodecException {
        for (String name : new String[] {"int8", "int8c", "int8+lz4"}) {
            Tensor src = constant(fp32("c", 2, 3, 4), value);
            CodecStats stats = new CodecStats();
            TensorCodec codec = Codecs.create(name);
            Encoded e = encode(codec, src, stats);
            Tensor out = decode(Codecs.create(name), e, src.spec());
            for (int i = 0; i < src.elementCount(); i++) {
                assertEquals(value, out.getFloat(i), Math.ulp(value) * 2, name + " element " + i);
            }
            assertTrue(Double.isFinite(stats.maxAbsError()) && stats.maxAbsError() <= Math.ulp(value) * 2,
                    name + " error " + stats.maxAbsError());
        }
        Tensor zeros = constant(fp32("z", 6), 0f);
        Encoded e = encode(Codecs.create("int8"), zeros, null);
        assertEquals(1f, e.float32(0), "an all-zero tensor gets scale 1");
        assertEquals(0, e.int32(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "int8c"})
    void int8ClampsInfinitiesToTheRangeAndDecodesNanAsZero(String name) throws CodecException {
        Tensor src = Tensor.allocate(fp32("x", 6, 1)); // one channel: int8c sees the same range as int8
        src.putFloat(0, -2f);
        src.putFloat(1, Float.NaN);
        src.putFloat(2, 5f);
        src.putFloat(3, Float.POSITIVE_INFINITY);
        src.putFloat(4, Float.NEGATIVE_INFINITY);
        src.putFloat(5, 1f);
        CodecStats stats = new CodecStats();
        Tensor out = roundTrip(name, src, stats);
        float tolerance = 7f / 255 / 2 + 1e-6f;
        assertEquals(-2f, out.getFloat(0), tolerance);
        assertEquals(0f, out.getFloat(1), "NaN decodes as 0");
        assertEquals(5f, out.getFloat(3), tolerance, "+Infinity clamps to the top of the finite range");
        assertEquals(-2f, out.getFloat(4), tolerance, "-Infinity clamps to the bottom");
        assertEquals(3, stats.nonFiniteElements());
        assertTrue(Double.isFinite(stats.maxAbsError()), "non-finite inputs are left out of the error");
        assertTrue(stats.maxAbsError() <= 0.5, "error of the finite elements, was " + stats.maxAbsError());
    }

    @Test
    void int8OfATensorWithOnlyNonFiniteValuesDecodesToClampedZeros() throws CodecException {
        Tensor src = Tensor.allocate(fp32("x", 3));
        src.putFloat(0, Float.NaN);
        src.putFloat(1, Float.POSITIVE_INFINITY);
        src.putFloat(2, Float.NEGATIVE_INFINITY);
        CodecStats stats = new CodecStats();
        Tensor out = roundTrip("int8", src, stats);
        assertEquals(0f, out.getFloat(0));
        assertEquals(255f, out.getFloat(1), "scale 1, zero point 0: +Infinity takes the top code");
        assertEquals(0f, out.getFloat(2));
        assertEquals(3, stats.nonFiniteElements());
        assertEquals(0.0, stats.meanAbsError());
    }

    @Test
    void int8HandlesTheWidestFloatRangeWithoutOverflow() throws CodecException {
        Tensor src = Tensor.allocate(fp32("x", 3));
        src.putFloat(0, -Float.MAX_VALUE);
        src.putFloat(1, Float.MAX_VALUE);
        src.putFloat(2, 0f);
        Tensor out = roundTrip("int8", src, null);
        assertEquals(0f, out.getFloat(2));
        assertEquals(1.0, out.getFloat(1) / Float.MAX_VALUE, 0.01);
        assertTrue(Float.isFinite(out.getFloat(0)), "decoded " + out.getFloat(0));
    }

    // --- int8 per channel -------------------------------------------------------------------------

    @Test
    void int8cErrorIsAtMostHalfEachChannelsScale() throws CodecException {
        TensorSpec spec = fp32("x", 1, 7, 7, 12);
        Tensor src = channelsOfDifferentRanges(spec, 9);
        CodecStats stats = new CodecStats();
        Encoded e = encode(Codecs.create("int8c"), src, stats);
        int channels = e.int32(0);
        assertEquals(12, channels);
        assertEquals(4 + 8 * 12 + src.elementCount(), e.length);
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = e.float32(4 + 4 * c);
            int zeroPoint = e.int32(4 + 4 * channels + 4 * c);
            assertTrue(zeroPoint >= 0 && zeroPoint <= 255, "channel " + c + " zero point " + zeroPoint);
        }
        assertTrue(scales[11] > 1000 * scales[0], "channel ranges differ by three orders of magnitude");
        Tensor out = decode(Codecs.create("int8c"), e, spec);
        double maxError = 0;
        for (int i = 0; i < src.elementCount(); i++) {
            int c = i % channels;
            float x = src.getFloat(i);
            double error = Math.abs(out.getFloat(i) - x);
            assertTrue(error <= int8Tolerance(scales[c], x), "element " + i + " (channel " + c + "): " + x
                    + " -> " + out.getFloat(i) + ", channel scale " + scales[c]);
            maxError = Math.max(maxError, error);
        }
        assertEquals(maxError, stats.maxAbsError(), 0.0, "stats report the decoder's error");
    }

    @Test
    void int8cIsMoreAccurateThanInt8WhenChannelRangesDiffer() throws CodecException {
        Tensor src = channelsOfDifferentRanges(fp32("x", 1, 10, 10, 8), 4);
        CodecStats perTensor = new CodecStats();
        CodecStats perChannel = new CodecStats();
        roundTrip("int8", src, perTensor);
        roundTrip("int8c", src, perChannel);
        assertTrue(perChannel.meanAbsError() * 2 < perTensor.meanAbsError(), "int8c " + perChannel + " vs int8 "
                + perTensor);
    }

    @Test
    void int8cTreatsAScalarAsOneChannel() throws CodecException {
        Tensor src = Tensor.allocate(fp32("s"));
        src.putFloat(0, -4.5f);
        Encoded e = encode(Codecs.create("int8c"), src, null);
        assertEquals(1, e.int32(0));
        assertEquals(4 + 8 + 1, e.length);
        assertEquals(-4.5f, decode(Codecs.create("int8c"), e, src.spec()).getFloat(0), 4.5f / 255);
    }

    // --- passthrough ------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("lossyCodecs")
    void quantizedUint8PassesThroughUnchanged(String name) throws CodecException {
        TensorSpec spec = uint8Quantized("q", 1, 14, 14, 24);
        Tensor src = randomBytes(spec, 21);
        CodecStats stats = new CodecStats();
        TensorCodec codec = Codecs.create(name);
        Encoded e = encode(codec, src, stats);
        assertTrue(stats.passthrough(), name + " " + stats);
        assertEquals(0.0, stats.maxAbsError());
        if (!name.endsWith("+lz4")) {
            assertEquals(src.byteSize(), e.length);
            assertEquals(src.byteSize(), codec.maxEncodedLength(spec));
            for (int i = 0; i < e.length; i++) {
                assertEquals(src.data().getByte(i), e.buffer.getByte(OFFSET + i), "byte " + i);
            }
        }
        assertTrue(decode(Codecs.create(name), e, spec).contentEquals(src));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp16", "int8", "int8c"})
    void int8QuantizedAndOtherNonFloatTypesPassThroughRaw(String name) throws CodecException {
        TensorSpec int8 = new TensorSpec("q", new int[] {2, 8}, DataType.INT8, Quantization.perTensor(0.1f, -3));
        for (TensorSpec spec : new TensorSpec[] {int8, TensorSpec.of("i", DataType.INT32, 3, 5),
            TensorSpec.of("h", DataType.FP16, 4, 4)}) {
            Tensor src = randomBytes(spec, 5);
            CodecStats stats = new CodecStats();
            Tensor out = roundTrip(name, src, stats);
            assertTrue(out.contentEquals(src), name + " on " + spec);
            assertTrue(stats.passthrough(), name + " on " + spec);
            assertEquals(src.byteSize(), stats.encodedBytes());
        }
    }

    // --- lz4 --------------------------------------------------------------------------------------

    @Test
    void lz4ReallyShrinksACompressibleTensor() throws CodecException {
        Tensor src = reluWithDeadPixels(fp32("x", 1, 28, 28, 32), 13);
        for (String base : new String[] {"raw", "fp16", "int8", "int8c"}) {
            CodecStats plain = new CodecStats();
            CodecStats compressed = new CodecStats();
            encode(Codecs.create(base), src, plain);
            Tensor out = roundTrip(base + "+lz4", src, compressed);
            assertTrue(compressed.encodedBytes() < plain.encodedBytes() * 0.7, base + ": " + plain + " then +lz4 "
                    + compressed);
            assertEquals(plain.maxAbsError(), compressed.maxAbsError(), 0.0, "lz4 is lossless");
            assertTrue(roundTrip(base, src, null).contentEquals(out), base + "+lz4 decodes as " + base);
        }
    }

    @Test
    void lz4OfAConstantTensorIsTiny() throws CodecException {
        Tensor src = constant(fp32("c", 1, 56, 56, 24), 0.5f);
        CodecStats stats = new CodecStats();
        roundTrip("raw+lz4", src, stats);
        assertTrue(stats.ratio() > 100, stats.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw+lz4", "int8+lz4"})
    void lz4StoresARandomTensorWithinItsBound(String name) throws CodecException {
        TensorSpec spec = TensorSpec.of("r", DataType.UINT8, 1, 56, 56, 24);
        Tensor src = randomBytes(spec, 17);
        TensorCodec codec = Codecs.create(name);
        CodecStats stats = new CodecStats();
        Encoded e = encode(codec, src, stats);
        assertEquals(src.byteSize() + 8, e.length, "incompressible data is stored behind the 8-byte header");
        assertEquals(codec.maxEncodedLength(spec), e.length);
        assertEquals(0, e.buffer.getByte(OFFSET), "method 0: stored");
        assertEquals(src.byteSize(), e.int32(4));
        assertTrue(decode(Codecs.create(name), e, spec).contentEquals(src));
    }

    @Test
    void lz4PayloadHeaderNamesTheMethodAndTheInnerLength() {
        Tensor src = reluLike(fp32("x", 1, 16, 16, 8), 2);
        Encoded e = encode(Codecs.create("int8+lz4"), src, null);
        assertEquals(1, e.buffer.getByte(OFFSET), "method 1: LZ4 block");
        assertEquals(0, e.buffer.getByte(OFFSET + 1) | e.buffer.getByte(OFFSET + 2) | e.buffer.getByte(OFFSET + 3));
        assertEquals(8 + src.elementCount(), e.int32(4), "inner length is the int8 payload's");
    }

    // --- every codec ------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("allCodecs")
    void emptyTensorsRoundTrip(String name) throws CodecException {
        Tensor src = Tensor.allocate(fp32("e", 1, 0, 4));
        CodecStats stats = new CodecStats();
        Tensor out = roundTrip(name, src, stats);
        assertEquals(0, out.byteSize());
        assertEquals(0, stats.elements());
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void aCodecReusedAcrossSizesGrowsItsScratchAndStaysCorrect(String name) throws CodecException {
        TensorCodec encoder = Codecs.create(name);
        TensorCodec decoder = Codecs.create(name);
        for (int[] shape : new int[][] {{1, 4, 4, 8}, {1, 28, 28, 64}, {1, 2, 2, 3}, {1, 28, 28, 64}}) {
            Tensor src = reluLike(fp32("x", shape), shape[3]);
            CodecStats a = new CodecStats();
            Tensor viaReused = decode(decoder, encode(encoder, src, a), src.spec());
            CodecStats b = new CodecStats();
            Tensor viaFresh = roundTrip(name, src, b);
            assertTrue(viaReused.contentEquals(viaFresh), name + " at " + TensorSpec.shapeString(shape));
            assertEquals(b.encodedBytes(), a.encodedBytes());
        }
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void encodesIntoAnyKindOfAgronaBuffer(String name) throws CodecException {
        Tensor src = reluLike(fp32("x", 1, 9, 9, 5), 8);
        TensorCodec codec = Codecs.create(name);
        Tensor reference = roundTrip(name, src, null);
        MutableDirectBuffer[] buffers = {new UnsafeBuffer(new byte[codec.maxEncodedLength(src.spec()) + 10]),
            new ExpandableArrayBuffer(16), direct(codec.maxEncodedLength(src.spec()) + 10)};
        for (MutableDirectBuffer buffer : buffers) {
            int length = codec.encode(src, buffer, 10, null);
            Tensor out = Tensor.allocate(src.spec());
            codec.decode(buffer, 10, length, out);
            assertTrue(out.contentEquals(reference), name + " through " + buffer.getClass().getSimpleName());
        }
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void encodingIntoATooSmallBufferIsRejectedBeforeWriting(String name) {
        Tensor src = reluLike(fp32("x", 1, 4, 4, 2), 1);
        TensorCodec codec = Codecs.create(name);
        int max = codec.maxEncodedLength(src.spec());
        UnsafeBuffer small = new UnsafeBuffer(new byte[max + 1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(src, small, 2, null));
        assertEquals(name + ": tensor 'x' [1,4,4,2] FP32 needs up to " + max + " bytes at offset 2, the buffer has "
                + (max - 1) + " there (size buffers with maxEncodedLength)", e.getMessage());
        for (int i = 0; i < small.capacity(); i++) {
            assertEquals(0, small.getByte(i), "byte " + i + " written before the check");
        }
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void statsAreOverwrittenByEachEncode(String name) {
        TensorCodec codec = Codecs.create(name);
        CodecStats stats = new CodecStats();
        encode(codec, uniform(fp32("big", 1, 32, 32, 8), 1, -1, 1), stats);
        encode(codec, uniform(fp32("small", 1, 2, 2, 2), 1, -1, 1), stats);
        assertEquals(8, stats.elements());
        assertEquals(32, stats.rawBytes());
        assertTrue(stats.encodedBytes() > 0 && stats.encodedBytes() <= codec.maxEncodedLength(fp32("s", 1, 2, 2, 2)));
    }

    @Test
    void statsResetAndRatio() {
        CodecStats stats = new CodecStats();
        assertEquals(1.0, stats.ratio(), "nothing encoded yet");
        encode(Codecs.create("fp16"), uniform(fp32("x", 100), 1, -1, 1), stats);
        assertEquals(2.0, stats.ratio());
        assertEquals(400, stats.rawBytes());
        assertTrue(stats.meanAbsError() > 0 && stats.meanAbsError() <= stats.maxAbsError());
        stats.reset();
        assertEquals(0, stats.rawBytes());
        assertEquals(0, stats.encodedBytes());
        assertEquals(0.0, stats.maxAbsError());
        assertEquals(0.0, stats.meanAbsError());
    }

    @Test
    void maxEncodedLengthRejectsVariableSizeTensors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.create("int8").maxEncodedLength(TensorSpec.of("s", DataType.BYTES, 3)));
        assertEquals("int8: tensor 's': BYTES tensors have no fixed size and cannot be encoded", e.getMessage());
    }
}
