package io.edgesplit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import io.edgesplit.testing.Images;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real TensorFlow Lite inference on the shared MobileNet models. */
class TfLiteEngineTest {

    private static final int CHEESEBURGER = 934;
    private final InferenceEngine engine = TfLiteEngine.get();

    @ParameterizedTest
    @ValueSource(strings = {
        "mobilenet_v1_0.25_128_quant.tflite",
        "mobilenet_v1_0.5_160_quant.tflite",
        "mobilenet_v1_0.75_192_quant.tflite",
        "mobilenet_v1_0.25_224_float.tflite",
        "mobilenet_v1_0.25_224_quant.tflite",
        "mobilenet_v2_1.0_224_quant.tflite"})
    void classifiesBurgerAsCheeseburgerWithEveryClassifier(String modelFile) throws IOException {
        try (CompiledModel model = engine.load(SharedData.model(modelFile), EngineOptions.defaults());
                Session session = model.newSession()) {
            Images.fill(session.input(0), SharedData.image("burger.jpg"));
            session.run();
            Tensor out = session.output(0);
            assertArrayEquals(new int[] {1, 1001}, out.shape());
            assertEquals(CHEESEBURGER, out.argMax(), modelFile + " top-1");
        }
    }

    @Test
    void mobilenetV1QuantTopScoreMatchesUpstreamExpectation() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v1_0.25_224_quant.tflite"),
                EngineOptions.defaults()); Session session = model.newSession()) {
            Images.fill(session.input(0), SharedData.image("burger.jpg"));
            session.run();
            Tensor out = session.output(0);
            float score = out.getReal(out.argMax());
            assertEquals(0.96f, score, 0.02f, "top-1 score of cheeseburger");
        }
    }

    @Test
    void reportsInputAndOutputMetadataIncludingQuantization() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"),
                EngineOptions.defaults())) {
            TensorSpec in = model.inputs().get(0);
            assertEquals("[1,224,224,3] UINT8", in.shapeAndType());
            assertTrue(in.quantization().isQuantized());
            assertEquals(128, in.quantization().zeroPoint());
            assertEquals(0.0078125f, in.quantization().scale(), 1e-6f);
            assertEquals("[1,1001] UINT8", model.outputs().get(0).shapeAndType());
            assertEquals(1, model.outputs().size());
        }
    }

    @Test
    void floatModelExposesFloatTensors() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v1_0.25_224_float.tflite"),
                EngineOptions.defaults())) {
            assertEquals(DataType.FP32, model.inputs().get(0).dataType());
            assertEquals(DataType.FP32, model.outputs().get(0).dataType());
        }
    }

    @Test
    void sessionsAreReusableAndIndependent() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"),
                EngineOptions.defaults()); Session a = model.newSession(); Session b = model.newSession()) {
            Images.fill(a.input(0), SharedData.image("burger.jpg"));
            Images.fill(b.input(0), SharedData.image("grace_hopper.jpg"));
            a.run();
            b.run();
            byte[] first = a.output(0).toByteArray();
            assertNotEquals(a.output(0).argMax(), b.output(0).argMax());
            a.run();
            assertArrayEquals(first, a.output(0).toByteArray(), "same input, same session: same output");
        }
    }

    @Test
    void threadCountAndXnnpackDoNotChangeTheAnswer() throws IOException {
        Path file = SharedData.model("mobilenet_v1_0.25_224_float.tflite");
        float[] reference = null;
        for (EngineOptions options : new EngineOptions[] {
            EngineOptions.builder().threads(1).xnnpack(false).build(),
            EngineOptions.builder().threads(2).xnnpack(true).build()}) {
            try (CompiledModel model = engine.load(file, options); Session s = model.newSession()) {
                Images.fill(s.input(0), SharedData.image("burger.jpg"));
                s.run();
                float[] probs = s.output(0).toFloatArray();
                if (reference == null) {
                    reference = probs;
                } else {
                    assertEquals(CHEESEBURGER, s.output(0).argMax());
                    for (int i = 0; i < probs.length; i++) {
                        assertEquals(reference[i], probs[i], 1e-3f, "class " + i + " with " + options);
                    }
                }
            }
        }
    }

    @Test
    void loadingFromMemoryGivesTheSameOutputAsFromFile() throws IOException {
        Path file = SharedData.model("mobilenet_v1_0.25_128_quant.tflite");
        byte[] bytes = Files.readAllBytes(file);
        try (CompiledModel fromFile = engine.load(file, EngineOptions.defaults());
                CompiledModel fromBytes = engine.load(ByteBuffer.wrap(bytes), "bytes", EngineOptions.defaults());
                Session a = fromFile.newSession(); Session b = fromBytes.newSession()) {
            Arrays.fill(bytes, (byte) 0); // the engine copied the bytes: clobbering them must not matter
            Images.fill(a.input(0), SharedData.image("burger.jpg"));
            b.setInput(0, a.input(0));
            a.run();
            b.run();
            assertTrue(a.output(0).contentEquals(b.output(0)));
        }
    }

    @Test
    void wrongInputShapeIsRejectedShowingBothShapes() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"),
                EngineOptions.defaults()); Session s = model.newSession()) {
            Tensor wrong = Tensor.allocate(TensorSpec.of("img", DataType.UINT8, 1, 128, 128, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setInput(0, wrong));
            assertEquals("tensor 'input' expects [1,224,224,3] UINT8, got [1,128,128,3] UINT8", e.getMessage());
        }
    }

    @Test
    void wrongInputTypeIsRejectedShowingBothTypes() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v1_0.25_224_float.tflite"),
                EngineOptions.defaults()); Session s = model.newSession()) {
            Tensor wrong = Tensor.allocate(TensorSpec.of("img", DataType.UINT8, 1, 224, 224, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setInput(0, wrong));
            assertTrue(e.getMessage().endsWith("expects [1,224,224,3] FP32, got [1,224,224,3] UINT8"), e.getMessage());
        }
    }

    @Test
    void unknownInputNameListsTheModelsInputs() throws IOException {
        try (CompiledModel model = engine.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"),
                EngineOptions.defaults()); Session s = model.newSession()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.input("image"));
            assertTrue(e.getMessage().endsWith("no input named 'image', the model's inputs are [input]"), e.getMessage());
        }
    }

    @Test
    void aSessionOutlivesItsClosedModel() throws IOException {
        CompiledModel model = engine.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"), EngineOptions.defaults());
        try (Session s = model.newSession()) {
            model.close();
            assertThrows(IllegalStateException.class, model::newSession);
            Images.fill(s.input(0), SharedData.image("burger.jpg"));
            s.run();
            assertEquals(CHEESEBURGER, s.output(0).argMax());
        }
        Session closedSession = null;
        try (CompiledModel m2 = engine.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"),
                EngineOptions.defaults())) {
            closedSession = m2.newSession();
            closedSession.close();
        }
        Session s2 = closedSession;
        assertThrows(IllegalStateException.class, s2::run);
    }

    // --- bad input -------------------------------------------------------------------------------

    @Test
    void truncatedModelIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(cut, EngineOptions.defaults()));
        assertEquals(cut + ": failed TensorFlow Lite flatbuffer verification: the file is truncated or corrupt ("
                + full.length / 2 + " bytes)", e.getMessage());
    }

    @Test
    void nonTfliteFileIsRejectedWithItsIdentifier() throws IOException {
        Path jpeg = SharedData.image("burger.jpg");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(jpeg, EngineOptions.defaults()));
        assertTrue(e.getMessage().startsWith(jpeg + ": not a TensorFlow Lite model: file identifier is '"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("expected 'TFL3'"), e.getMessage());
    }

    @Test
    void textFileIsRejected(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("model.tflite");
        Files.writeString(txt, "this is not a model, just text");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(txt, EngineOptions.defaults()));
        assertEquals(txt + ": not a TensorFlow Lite model: file identifier is ' is ', expected 'TFL3'", e.getMessage());
    }

    @Test
    void tinyAndMissingFilesAreRejected(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.tflite"), new byte[0]);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(empty, EngineOptions.defaults()));
        assertEquals(empty + ": truncated: 0 bytes, a TensorFlow Lite model has at least an 8-byte header",
                e.getMessage());
        Path missing = dir.resolve("missing.tflite");
        e = assertThrows(ModelLoadException.class, () -> engine.load(missing, EngineOptions.defaults()));
        assertEquals(missing + ": no such file", e.getMessage());
        e = assertThrows(ModelLoadException.class, () -> engine.load(dir, EngineOptions.defaults()));
        assertEquals(dir + ": is a directory, expected a .tflite file", e.getMessage());
    }

    @Test
    void headerWithGarbageBodyFailsVerificationWithoutCrashing(@TempDir Path dir) throws IOException {
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 16; // root offset inside the file
        junk[1] = 0;
        junk[2] = 0;
        junk[3] = 0;
        junk[4] = 'T';
        junk[5] = 'F';
        junk[6] = 'L';
        junk[7] = '3';
        Path f = Files.write(dir.resolve("junk.tflite"), junk);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(f, EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("failed TensorFlow Lite flatbuffer verification"), e.getMessage());
    }

    @Test
    void modelAboveTheSizeLimitIsRefusedBeforeLoading() throws IOException {
        Path file = SharedData.model("mobilenet_v2_1.0_224_quant.tflite");
        EngineOptions small = EngineOptions.builder().maxModelBytes(1 << 20).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(file, small));
        assertEquals(file + ": is 3610798 bytes, above the limit of 1048576 bytes (EngineOptions.maxModelBytes)",
                e.getMessage());
    }

    @Test
    void optionsValidateTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.builder().threads(0));
        assertEquals("threads: must be between 1 and 64, was 0", e.getMessage());
    }
}
