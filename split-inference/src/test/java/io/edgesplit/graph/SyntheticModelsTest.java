package io.edgesplit.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic slimmable family and width slicing; runs on a fresh clone (no shared data). */
class SyntheticModelsTest {

    private static void fillNoise(Tensor input, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < input.elementCount(); i++) {
            input.putFloat(i, (float) (r.nextDouble() * 2 - 1));
        }
    }

    @Test
    void everyWidthIsARunnableModelWithTheSameInterface(@TempDir Path dir) throws IOException {
        List<Path> files = SyntheticModels.writeSlimmableFamily(dir, SyntheticModels.DEFAULT_SEED);
        assertEquals(4, files.size());
        long previousMacs = 0;
        for (Path f : files) {
            ModelGraph g = ModelGraph.read(f);
            assertTrue(g.totalMacs() > previousMacs, f + " is wider than the previous width");
            previousMacs = g.totalMacs();
            try (CompiledModel m = CutEnumeratorTest.load(g, EngineOptions.defaults()); Session s = m.newSession()) {
                assertEquals("[1,160,160,3] FP32", m.inputs().get(0).shapeAndType());
                assertEquals("[1,10] FP32", m.outputs().get(0).shapeAndType());
                fillNoise(s.input(0), 1);
                s.run();
                float sum = 0;
                for (float p : s.output(0).toFloatArray()) {
                    assertTrue(Float.isFinite(p));
                    sum += p;
                }
                assertEquals(1f, sum, 1e-4f, "softmax output of " + f);
            }
        }
        assertEquals(146e6, previousMacs, 0.05 * 146e6, "width 1.0 MACs");
    }

    @Test
    void generationIsDeterministic(@TempDir Path dir) throws IOException {
        byte[] a = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED).toBytes();
        byte[] b = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED).toBytes();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, SyntheticModels.slimmableCnn(1).toBytes()));
    }

    @Test
    void narrowerWidthsKeepTheFirstChannelsOfEveryLayer() throws IOException {
        ModelGraph full = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED);
        ModelGraph half = WidthSlicer.slice(full, 0.5);
        assertEquals(full.operators().size(), half.operators().size());
        // stem: 32 -> 16 output channels; weights are the first 16 filters of the full model's
        GraphTensor fullStemW = full.tensor(full.operators().get(0).inputs()[1]);
        GraphTensor halfStemW = half.tensor(half.operators().get(0).inputs()[1]);
        assertArrayEquals(new int[] {16, 3, 3, 3}, halfStemW.shape());
        byte[] fullW = full.schemaBuffers().get(fullStemW.buffer());
        byte[] halfW = half.schemaBuffers().get(halfStemW.buffer());
        assertArrayEquals(java.util.Arrays.copyOf(fullW, halfW.length), halfW, "filters 0..15 shared");
        // residual ADDs see matching channel counts, the classifier still has 10 outputs
        assertArrayEquals(new int[] {1, 10}, half.outputs().get(0).shape());
        assertTrue(half.totalMacs() < full.totalMacs() / 3, "about a quarter of the MACs");
    }

    @Test
    void splittingTheSyntheticDagIsBitExactAtEveryCut() throws IOException {
        ModelGraph g = WidthSlicer.slice(SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED), 0.25);
        List<Cut> cuts = CutEnumerator.enumerate(g, 2);
        assertEquals(g.operators().size() + 1, cuts.size());
        assertTrue(cuts.stream().anyMatch(c -> c.crossing().size() == 2), "residual blocks give two-tensor cuts");
        EngineOptions options = EngineOptions.defaults();
        try (CompiledModel full = CutEnumeratorTest.load(g, options); Session s = full.newSession()) {
            fillNoise(s.input(0), 3);
            s.run();
            byte[] expected = s.output(0).toByteArray();
            for (Cut cut : cuts) {
                assertArrayEquals(expected, CutEnumeratorTest.runSplit(g, cut, s.input(0), options), cut.toString());
            }
        }
    }

    @Test
    void widthOneIsTheModelItself() throws IOException {
        ModelGraph full = SyntheticModels.slimmableCnn(7);
        ModelGraph same = WidthSlicer.slice(full, 1.0);
        assertEquals(full.totalMacs(), same.totalMacs());
        assertEquals(full.totalParameters(), same.totalParameters());
    }

    @Test
    void quantizedModelsCannotBeSliced() throws IOException {
        ModelGraph quant = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        UnsplittableModelException e = assertThrows(UnsplittableModelException.class,
                () -> WidthSlicer.slice(quant, 0.5));
        assertTrue(e.getMessage().contains("deriving widths needs a float model: operator 0 CONV_2D has UINT8 weights"),
                e.getMessage());
    }

    @Test
    void realFloatMobilenetDerivesRunnableNarrowerWidths() throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_224_float.tflite"));
        for (double w : new double[] {0.5, 0.75}) {
            ModelGraph narrow = WidthSlicer.slice(g, w);
            assertArrayEquals(new int[] {1, 1001}, narrow.outputs().get(0).shape());
            try (CompiledModel m = CutEnumeratorTest.load(narrow, EngineOptions.defaults()); Session s = m.newSession()) {
                fillNoise(s.input(0), 5);
                s.run();
                assertTrue(Float.isFinite(s.output(0).getReal(0)));
            }
            assertTrue(narrow.totalMacs() < g.totalMacs());
        }
    }
}
