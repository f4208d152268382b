package io.edgesplit.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.OperatorCodeT;

/** A model whose operator the engine lacks is refused with the operator named, not a crash. */
class UnsupportedOperatorTest {

    @Test
    void customOperatorIsNamedInTheError(@TempDir Path dir) throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        int softmaxCode = codeIndexOf(g, BuiltinOperator.SOFTMAX);
        OperatorCodeT code = g.schemaOperatorCodes()[softmaxCode];
        code.setBuiltinCode(BuiltinOperator.CUSTOM);
        code.setDeprecatedBuiltinCode((byte) BuiltinOperator.CUSTOM);
        code.setCustomCode("EdgeSplitNoSuchOp");
        g.invalidate();
        Path file = dir.resolve("custom.tflite");
        g.write(file);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TfLiteEngine.get().load(file, EngineOptions.defaults()));
        int opIndex = g.operators().size() - 1;
        assertEquals(file + ": unsupported operator in TensorFlow Lite " + TfLiteEngine.get().version().substring(16)
                + ": operator " + opIndex + " custom 'EdgeSplitNoSuchOp' v1", e.getMessage());
    }

    @Test
    void operatorVersionNewerThanTheRuntimeIsNamed(@TempDir Path dir) throws IOException {
        ModelGraph g = ModelGraph.read(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        OperatorCodeT code = g.schemaOperatorCodes()[codeIndexOf(g, BuiltinOperator.AVERAGE_POOL_2D)];
        code.setVersion(99);
        g.invalidate();
        Path file = dir.resolve("future.tflite");
        g.write(file);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TfLiteEngine.get().load(file, EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("AVERAGE_POOL_2D v99"), e.getMessage());
    }

    private static int codeIndexOf(ModelGraph g, int builtin) {
        OperatorCodeT[] codes = g.schemaOperatorCodes();
        for (int i = 0; i < codes.length; i++) {
            if (ModelGraph.builtinCodeOf(codes[i]) == builtin) {
                return i;
            }
        }
        throw new AssertionError("no operator code " + BuiltinOperator.name(builtin));
    }
}
