package io.edgesplit.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.DataType;
import io.edgesplit.testing.Images;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.lite.schema.BuiltinOperator;

class ModelGraphTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "mobilenet_v1_0.25_128_quant.tflite",
        "mobilenet_v1_0.5_160_quant.tflite",
        "mobilenet_v1_0.75_192_quant.tflite",
        "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
        "mobilenet_v1_0.25_224_float.tflite",
        "mobilenet_v1_0.25_224_quant.tflite",
        "mobilenet_v2_1.0_224_quant.tflite"})
    void roundTripGivesBitIdenticalOutputs(String modelFile) throws IOException {
        Path file = SharedData.model(modelFile);
        ModelGraph graph = ModelGraph.read(file);
        byte[] rewritten = graph.toBytes();
        try (CompiledModel original = TfLiteEngine.get().load(file, EngineOptions.defaults());
                CompiledModel copy = TfLiteEngine.get().load(ByteBuffer.wrap(rewritten), "rewritten " + modelFile,
                        EngineOptions.defaults());
                Session a = original.newSession(); Session b = copy.newSession()) {
            assertEquals(original.inputs(), copy.inputs());
            assertEquals(original.outputs(), copy.outputs());
            for (String image : new String[] {"burger.jpg", "grace_hopper.jpg"}) {
                Images.fill(a.input(0), SharedData.image(image));
                b.setInput(0, a.input(0));
                a.run();
                b.run();
                for (int i = 0; i < a.outputCount(); i++) {
                    assertArrayEquals(a.output(i).toByteArray(), b.output(i).toByteArray(),
                            modelFile + " output " + i + " on " + image);
                }
            }
        }
        // The rewrite is itself readable and describes the same graph.
        ModelGraph again = ModelGraph.read(ByteBuffer.wrap(rewritten), "again");
        assertEquals(graph.operatorCounts(), again.operatorCounts());
        assertEquals(graph.totalMacs(), again.totalMacs());
        assertEquals(graph.metadataNames(), again.metadataNames());
    }

    @Test
    void rewrittenBuffersAreSixteenByteAligned() throws IOException {
        ModelGraph graph = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_224_float.tflite"));
        ByteBuffer bb = ByteBuffer.wrap(graph.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        org.tensorflow.lite.schema.Model model = org.tensorflow.lite.schema.Model.getRootAsModel(bb);
        int checked = 0;
        for (int i = 0; i < model.buffersLength(); i++) {
            ByteBuffer data = model.buffers(i).dataAsByteBuffer();
            if (data != null && data.remaining() > 0) {
                assertEquals(0, data.position() % 16, "buffer " + i + " starts at " + data.position());
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked + " buffers");
    }

    @Test
    void mobilenetV2Facts() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        assertEquals(66, g.operators().size());
        Map<String, Integer> counts = g.operatorCounts();
        assertEquals(10, counts.get("ADD"));
        assertEquals(1, g.inputs().size());
        assertArrayEquals(new int[] {1, 224, 224, 3}, g.inputs().get(0).shape());
        assertEquals(DataType.UINT8, g.inputs().get(0).dataType());
        assertArrayEquals(new int[] {1, 1001}, g.outputs().get(0).shape());
        assertEquals(DataType.UINT8, g.outputs().get(0).dataType());
        // Sandler et al. 2018, Table 4: MobileNetV2 (1.0, 224) has 300M multiply-adds and 3.4M parameters.
        assertEquals(300e6, g.totalMacs(), 0.05 * 300e6);
        assertEquals(3.47e6, g.totalParameters(), 0.05 * 3.47e6);
    }

    @Test
    void mobilenetV1QuarterWidthCostsMatchThePaper() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_224_quant.tflite"));
        // Howard et al. 2017, Table 6: 0.25 MobileNet-224 has 41M mult-adds and 0.47M parameters.
        assertEquals(41e6, g.totalMacs(), 0.05 * 41e6);
        assertEquals(0.47e6, g.totalParameters(), 0.05 * 0.47e6);
        GraphOperator first = g.operators().get(0);
        assertEquals("CONV_2D", first.opName());
        // 3x3 stride-2 conv, 3 -> 8 channels, 112x112 output
        assertEquals(112L * 112 * 8 * 3 * 3 * 3, first.macs());
        assertEquals(8L * 3 * 3 * 3 + 8, first.parameters());
    }

    @Test
    void chainModelHasOneCrossingTensorAtEveryInnerSplit() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        List<SplitCandidate> splits = g.splitCandidates();
        assertEquals(g.operators().size() + 1, splits.size());
        for (SplitCandidate s : splits) {
            assertEquals(1, s.crossing().size(), s.toString());
        }
        assertEquals(128 * 128 * 3, splits.get(0).crossingBytes());
        assertEquals(1001, splits.get(splits.size() - 1).crossingBytes());
        assertEquals(g.totalMacs(), splits.get(0).tailMacs());
        assertEquals(g.totalMacs(), splits.get(splits.size() - 1).headMacs());
    }

    @Test
    void residualModelHasTwoCrossingTensorsInsideResidualBlocks() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        long twos = g.splitCandidates().stream().filter(s -> s.crossing().size() == 2).count();
        long ones = g.splitCandidates().stream().filter(s -> s.crossing().size() == 1).count();
        // 10 residual blocks, each with 3 operators before its ADD: the skip tensor crosses there.
        assertEquals(30, twos);
        assertEquals(g.operators().size() + 1 - 30, ones);
    }

    @Test
    void operatorCodesReadFromBothFieldsOfTheSchema() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        for (GraphOperator op : g.operators()) {
            assertTrue(op.builtinCode() != BuiltinOperator.CUSTOM);
            assertTrue(op.version() >= 1);
        }
    }

    @Test
    void unreadableModelsAreRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        Path txt = Files.writeString(dir.resolve("x.tflite"), "not a flatbuffer at all");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelGraph.read(txt));
        assertTrue(e.getMessage().startsWith(txt + ": not a TensorFlow Lite model"), e.getMessage());
    }
}
