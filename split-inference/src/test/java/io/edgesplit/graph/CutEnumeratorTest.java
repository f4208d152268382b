package io.edgesplit.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.testing.Images;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CutEnumeratorTest {

    @Test
    void chainModelHasACutAtEveryLayerBoundary() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        List<Cut> cuts = CutEnumerator.enumerate(g, 1);
        assertEquals(g.operators().size() + 1, cuts.size());
        for (int i = 0; i < cuts.size(); i++) {
            assertEquals(i, cuts.get(i).headOperatorCount());
            assertTrue(cuts.get(i).isPrefix());
        }
        assertTrue(cuts.get(0).isFullOffload());
        assertTrue(cuts.get(cuts.size() - 1).isFullLocal());
    }

    @Test
    void residualModelNeedsTwoCrossingTensorsInsideItsBlocks() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        List<Cut> k1 = CutEnumerator.enumerate(g, 1);
        List<Cut> k2 = CutEnumerator.enumerate(g, 2);
        assertEquals(67, k2.size(), "every boundary of the 66 operators is a cut with K=2");
        assertEquals(67 - 30, k1.size(), "30 boundaries inside residual blocks need the skip tensor too");
        for (Cut c : k2) {
            assertTrue(c.crossing().size() <= 2 || c.isFullLocal(), c.toString());
        }
    }

    @Test
    void splittingEveryCutOfMobilenetV2ComputesWhatTheWholeDid() throws IOException {
        assertSegmentsMatchTheFullModel("mobilenet_v2_1.0_224_quant.tflite", 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1_0.25_224_float.tflite", "mobilenet_v1_0.25_128_quant.tflite"})
    void splittingEveryCutOfAChainModelComputesWhatTheWholeDid(String model) throws IOException {
        assertSegmentsMatchTheFullModel(model, 1);
    }

    private static void assertSegmentsMatchTheFullModel(String modelFile, int k) throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model(modelFile));
        EngineOptions options = EngineOptions.defaults();
        try (CompiledModel full = TfLiteEngine.get().load(SharedData.model(modelFile), options);
                Session fullSession = full.newSession()) {
            Images.fill(fullSession.input(0), SharedData.image("burger.jpg"));
            fullSession.run();
            byte[] expected = fullSession.output(0).toByteArray();
            for (Cut cut : CutEnumerator.enumerate(g, k)) {
                byte[] actual = runSplit(g, cut, fullSession.input(0), options);
                assertArrayEquals(expected, actual, modelFile + " " + cut);
            }
        }
    }

    /** Runs head then tail in process, matching head outputs to tail inputs by name. */
    static byte[] runSplit(ModelGraph g, Cut cut, Tensor input, EngineOptions options) throws IOException {
        ModelGraph headGraph = SegmentExtractor.head(g, cut);
        ModelGraph tailGraph = SegmentExtractor.tail(g, cut);
        if (headGraph == null) {
            try (CompiledModel tail = load(tailGraph, options); Session ts = tail.newSession()) {
                ts.setInput(0, input);
                ts.run();
                return ts.output(0).toByteArray();
            }
        }
        try (CompiledModel head = load(headGraph, options); Session hs = head.newSession()) {
            hs.setInput(0, input);
            hs.run();
            if (tailGraph == null) {
                return hs.output(0).toByteArray();
            }
            try (CompiledModel tail = load(tailGraph, options); Session ts = tail.newSession()) {
                for (int i = 0; i < ts.inputCount(); i++) {
                    String name = tail.inputs().get(i).name();
                    ts.setInput(i, hs.output(name));
                }
                ts.run();
                return ts.output(0).toByteArray();
            }
        }
    }

    static CompiledModel load(ModelGraph segment, EngineOptions options) throws IOException {
        return TfLiteEngine.get().load(ByteBuffer.wrap(segment.toBytes()), segment.source(), options);
    }

    @Test
    void segmentsKeepOnlyTheBuffersAndOperatorCodesTheyUse() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        Cut cut = CutEnumerator.cutAfter(g, 3);
        ModelGraph head = SegmentExtractor.head(g, cut);
        ModelGraph tail = SegmentExtractor.tail(g, cut);
        assertEquals(4, head.operators().size());
        assertEquals(g.operators().size() - 4, tail.operators().size());
        assertEquals(cut.headParameters(), head.totalParameters());
        assertEquals(cut.tailParameters(), tail.totalParameters());
        assertTrue(head.toBytes().length < 20_000, "head holds only the first layers' weights");
        assertEquals(List.of("min_runtime_version"), head.metadataNames());
        assertEquals(List.of(SegmentExtractor.SIGNATURE_KEY), tail.signatureKeys());
        assertEquals(head.outputs().get(0).name(), tail.inputs().get(0).name());
        assertEquals(head.outputs().get(0).spec(), tail.inputs().get(0).spec(), "quantization preserved");
    }

    @Test
    void invalidCutsAreExplained() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        BitSet head = new BitSet();
        head.set(0);
        head.set(2);
        UnsplittableModelException e = assertThrows(UnsplittableModelException.class, () -> CutEnumerator.cutAt(g, head));
        assertTrue(e.getMessage().endsWith("invalid cut: head operator 2 (CONV_2D) reads the output of operator 1 "
                + "(DEPTHWISE_CONV_2D), which would run in the tail"), e.getMessage());
        e = assertThrows(UnsplittableModelException.class, () -> CutEnumerator.cutAfter(g, 99));
        assertTrue(e.getMessage().endsWith("invalid cut: after operator 99, expected -1 to 30"), e.getMessage());
    }

    @Test
    void headRangesRoundTrip() {
        BitSet set = Cut.parseRanges("0-5,7,9-10", 20);
        assertEquals("0-5,7,9-10", Cut.ranges(set));
        assertThrows(IllegalArgumentException.class, () -> Cut.parseRanges("3-x", 20));
        assertThrows(IllegalArgumentException.class, () -> Cut.parseRanges("15-25", 20));
        assertFalse(Cut.parseRanges("", 5).get(0));
    }
}
