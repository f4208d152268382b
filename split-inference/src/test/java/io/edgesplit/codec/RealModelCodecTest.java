package io.edgesplit.codec;

import static io.edgesplit.codec.SyntheticTensors.direct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.testing.Images;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;

/**
 * Codecs on real tensors of MobileNet V1 0.25 (float) run by TensorFlow Lite on burger.jpg: the
 * softmax output, the image input (the crossing tensor of a split before the first operator) and a
 * ReLU6 activation in the middle of the network. Skipped when ../shared/data is absent.
 */
class RealModelCodecTest {

    private static final String MODEL = "mobilenet_v1_0.25_224_float.tflite";
    private static final int CHEESEBURGER = 934;

    static Stream<String> lossyCodecs() {
        return Stream.of("fp16", "int8", "int8c", "fp16+lz4", "int8+lz4", "int8c+lz4");
    }

    private static Tensor transmit(String codec, Tensor src, CodecStats stats) throws CodecException {
        TensorCodec device = Codecs.create(codec);
        TensorCodec server = Codecs.create(codec);
        UnsafeBuffer wire = direct(device.maxEncodedLength(src.spec()));
        int length = device.encode(src, wire, 0, stats);
        Tensor received = Tensor.allocate(src.spec());
        server.decode(wire, 0, length, received);
        return received;
    }

    @ParameterizedTest
    @MethodSource("lossyCodecs")
    void softmaxOutputKeepsItsArgmaxThroughLossyCodecs(String codec) throws IOException {
        try (CompiledModel model = TfLiteEngine.get().load(SharedData.model(MODEL), EngineOptions.defaults());
                Session session = model.newSession()) {
            Images.fill(session.input(0), SharedData.image("burger.jpg"));
            session.run();
            Tensor probabilities = session.output(0);
            assertEquals("[1,1001] FP32", probabilities.spec().shapeAndType());
            assertEquals(CHEESEBURGER, probabilities.argMax(), "the model itself");

            CodecStats stats = new CodecStats();
            Tensor received = transmit(codec, probabilities, stats);
            assertEquals(CHEESEBURGER, received.argMax(), codec + " " + stats);
            float top = probabilities.getFloat(CHEESEBURGER);
            assertEquals(top, received.getFloat(CHEESEBURGER), stats.maxAbsError() + 1e-7, codec);
            assertTrue(stats.maxAbsError() < 0.002, codec + " " + stats);
            if (!codec.startsWith("int8c")) { // [1,1001]: every element is an int8c channel, see Int8ChannelCodec
                assertTrue(stats.ratio() > 1.9, codec + " " + stats);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("lossyCodecs")
    void imageInputSentThroughACodecStillClassifiesAsCheeseburger(String codec) throws IOException {
        try (CompiledModel model = TfLiteEngine.get().load(SharedData.model(MODEL), EngineOptions.defaults());
                Session device = model.newSession(); Session server = model.newSession()) {
            Images.fill(device.input(0), SharedData.image("burger.jpg"));
            device.run();
            float reference = device.output(0).getFloat(CHEESEBURGER);

            // decode straight into the server interpreter's input buffer: no copy after the wire
            TensorCodec encoder = Codecs.create(codec);
            UnsafeBuffer wire = direct(encoder.maxEncodedLength(device.input(0).spec()));
            CodecStats stats = new CodecStats();
            int length = encoder.encode(device.input(0), wire, 0, stats);
            Codecs.create(codec).decode(wire, 0, length, server.input(0));
            server.run();
            Tensor probabilities = server.output(0);
            assertEquals(CHEESEBURGER, probabilities.argMax(), codec + " " + stats);
            assertEquals(reference, probabilities.getFloat(CHEESEBURGER), 0.02f, codec + " " + stats);
        }
    }

    /**
     * Real ReLU6 activations, early (block 4, 14% zeros) and late (block 13, 61% zeros): int8 and
     * int8c stay within half a scale with exact zeros; LZ4 never costs more than its header, and on
     * the sparse late activation it shrinks the int8 codes further.
     */
    @ParameterizedTest
    @CsvSource({
        "MobilenetV1/MobilenetV1/Conv2d_4_pointwise/Relu6, '1,28,28,64', 0.99",
        "MobilenetV1/MobilenetV1/Conv2d_13_pointwise/Relu6, '1,7,7,256', 1.15"})
    void reluActivationsStayWithinHalfAScaleAndLz4NeverCostsMoreThanItsHeader(String name, String shape,
            double minLz4Gain) throws IOException {
        byte[] bytes = Files.readAllBytes(SharedData.model(MODEL));
        exposeAsOutput(bytes, name);
        try (CompiledModel model = TfLiteEngine.get().load(ByteBuffer.wrap(bytes), MODEL + " (activation out)",
                EngineOptions.defaults()); Session session = model.newSession()) {
            Images.fill(session.input(0), SharedData.image("burger.jpg"));
            session.run();
            Tensor activation = session.output(0);
            assertEquals(name, activation.name());
            assertEquals("[" + shape + "] FP32", activation.spec().shapeAndType());
            int zeros = 0;
            float max = 0;
            for (int i = 0; i < activation.elementCount(); i++) {
                zeros += activation.getFloat(i) == 0f ? 1 : 0;
                max = Math.max(max, activation.getFloat(i));
            }
            assertTrue(zeros > activation.elementCount() / 10, "a ReLU output has zeros, had " + zeros);
            assertTrue(max > 0 && max <= 6f, "ReLU6 range, max " + max);

            CodecStats int8 = new CodecStats();
            CodecStats int8c = new CodecStats();
            CodecStats int8Lz4 = new CodecStats();
            CodecStats fp16 = new CodecStats();
            Tensor viaInt8 = transmit("int8", activation, int8);
            Tensor viaInt8c = transmit("int8c", activation, int8c);
            Tensor viaInt8Lz4 = transmit("int8+lz4", activation, int8Lz4);
            transmit("fp16", activation, fp16);

            float scale = max / 255; // range [0, max]: zero point 0
            assertTrue(int8.maxAbsError() <= scale * (0.5 + 3e-5), "int8 " + int8 + ", scale " + scale);
            assertTrue(int8c.maxAbsError() <= int8.maxAbsError(), "int8c " + int8c + " vs int8 " + int8);
            assertTrue(int8c.meanAbsError() < int8.meanAbsError(), "int8c " + int8c + " vs int8 " + int8);
            assertTrue(fp16.maxAbsError() <= max * 0x1p-11, "fp16 " + fp16);
            assertTrue(viaInt8Lz4.contentEquals(viaInt8), "lz4 is lossless");
            assertTrue(int8Lz4.encodedBytes() <= int8.encodedBytes() + 8, "int8+lz4 " + int8Lz4);
            double lz4Gain = (double) int8.encodedBytes() / int8Lz4.encodedBytes();
            assertTrue(lz4Gain >= minLz4Gain, "int8+lz4 " + int8Lz4 + " vs int8 " + int8);
            for (int i = 0; i < activation.elementCount(); i++) {
                if (activation.getFloat(i) == 0f) {
                    assertEquals(0f, viaInt8.getFloat(i), "int8: ReLU zeros stay exact, element " + i);
                    assertEquals(0f, viaInt8c.getFloat(i), "int8c: ReLU zeros stay exact, element " + i);
                }
            }
        }
    }

    /**
     * Rewrites, in place, the model's single output index to the tensor named {@code name}, so the
     * interpreter hands that intermediate activation out. Test-only surgery: the outputs vector keeps
     * its length, so no offsets move.
     */
    private static void exposeAsOutput(byte[] model, String name) {
        ByteBuffer bb = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        SubGraph graph = Model.getRootAsModel(bb).subgraphs(0);
        int index = -1;
        for (int t = 0; t < graph.tensorsLength(); t++) {
            if (name.equals(graph.tensors(t).name())) {
                index = t;
            }
        }
        assertTrue(index >= 0, MODEL + " has no tensor named " + name);
        assertEquals(1, graph.outputsLength(), "the surgery assumes a single output");
        bb.putInt(graph.outputsAsByteBuffer().position(), index);
    }
}
