package io.edgesplit.engine.tflite;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.FlatBufferModel;

/**
 * The TensorFlow Lite 2.19 C++ runtime, through JavaCPP ({@code org.bytedeco:tensorflow-lite}).
 * Every model, from a file or from memory, goes through TensorFlow Lite's flatbuffer verifier before
 * an interpreter is built from it. Thread-safe.
 */
public final class TfLiteEngine implements InferenceEngine {

    private static final TfLiteEngine INSTANCE = new TfLiteEngine();

    private TfLiteEngine() {
    }

    /** The engine; the native library is loaded on first use. */
    public static TfLiteEngine get() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "tflite";
    }

    @Override
    public String version() {
        return "TensorFlow Lite " + TfLiteNative.version();
    }

    @Override
    public CompiledModel load(Path file, EngineOptions options) throws ModelLoadException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        BytePointer bytes = TfLiteFormat.readFile(file, options.maxModelBytes());
        return build(bytes, file.toString(), options);
    }

    @Override
    public CompiledModel load(ByteBuffer model, String sourceName, EngineOptions options) throws ModelLoadException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        String source = sourceName == null ? "<memory>" : sourceName;
        BytePointer bytes = TfLiteFormat.copyToNative(model, source, options.maxModelBytes());
        return build(bytes, source, options);
    }

    private static CompiledModel build(BytePointer bytes, String source, EngineOptions options)
            throws ModelLoadException {
        FlatBufferModel model;
        try {
            model = TfLiteFormat.verifyAndBuild(bytes, source);
        } catch (ModelLoadException | RuntimeException e) {
            bytes.close();
            throw e;
        }
        return TfLiteCompiledModel.create(bytes, model, source, options);
    }

    @Override
    public String toString() {
        return "TfLiteEngine";
    }
}
