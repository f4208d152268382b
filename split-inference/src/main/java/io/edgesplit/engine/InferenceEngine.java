package io.edgesplit.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The engine SPI: turns model bytes into {@link CompiledModel}s that sessions run. Implementations
 * are thread-safe.
 */
public interface InferenceEngine {

    /** Short engine name, e.g. {@code "tflite"}. */
    String name();

    /** Engine and runtime version, e.g. {@code "TensorFlow Lite 2.19.0"}. */
    String version();

    /**
     * Loads and verifies a model file.
     *
     * @throws ModelLoadException naming the file and the reason when the file is missing, too large,
     *     not a model of this engine, corrupt, or uses unsupported operators
     */
    CompiledModel load(Path file, EngineOptions options) throws ModelLoadException;

    /**
     * Loads and verifies a model from memory. The bytes are copied (from position to limit), so the
     * caller may reuse the buffer; untrusted bytes are verified before anything is built from them.
     *
     * @param sourceName what error messages call this model (a file name, a package segment id)
     */
    CompiledModel load(ByteBuffer model, String sourceName, EngineOptions options) throws ModelLoadException;
}
