package io.edgesplit.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Splitting is bit-exact for full-integer, dynamic-range and float16-weight models too. */
class ModelKindsSplitTest {

    static Stream<Arguments> kinds() {
        return Stream.of(
                // two parallel branches (skip conv, depthwise->project): two cuts are not prefixes
                Arguments.of("full integer with QUANTIZE/DEQUANTIZE edges", (LongFunction<ModelGraph>) ModelKinds::fullInteger, 2),
                Arguments.of("dynamic-range (hybrid) weights", (LongFunction<ModelGraph>) ModelKinds::dynamicRange, 0),
                // the DEQUANTIZE of each float16 weight is constant folding: it adds no cuts
                Arguments.of("float16 weights", (LongFunction<ModelGraph>) ModelKinds::float16Weights, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyCutRecombinesBitExactly(String kind, LongFunction<ModelGraph> factory, int nonPrefixCuts)
            throws IOException {
        ModelGraph g = ModelGraph.read(java.nio.ByteBuffer.wrap(factory.apply(11).toBytes()), kind);
        List<Cut> cuts = CutEnumerator.enumerate(g, 2);
        long scheduled = g.operators().stream().filter(op -> !g.isConstantOperator(op.index())).count();
        assertEquals(scheduled + 1 + nonPrefixCuts, cuts.size(), "one cut per boundary of the scheduled operators, "
                + "plus the interleavings of parallel branches");
        assertEquals(nonPrefixCuts, cuts.stream().filter(c -> !c.isPrefix()).count());
        EngineOptions options = EngineOptions.defaults();
        try (CompiledModel full = CutEnumeratorTest.load(g, options); Session s = full.newSession()) {
            Tensor in = s.input(0);
            Random r = new Random(5);
            for (int i = 0; i < in.elementCount(); i++) {
                in.putFloat(i, r.nextFloat() * 2 - 1);
            }
            s.run();
            byte[] expected = s.output(0).toByteArray();
            for (Cut cut : cuts) {
                assertArrayEquals(expected, CutEnumeratorTest.runSplit(g, cut, in, options), kind + " " + cut);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void inspectionReportsEveryOperator(String kind, LongFunction<ModelGraph> factory, int nonPrefixCuts) {
        ModelGraph g = factory.apply(3);
        assertTrue(g.totalMacs() > 0);
        assertTrue(g.operatorCounts().containsKey("ADD"), "a residual ADD makes it a DAG");
    }
}
