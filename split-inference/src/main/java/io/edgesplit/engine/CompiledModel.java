package io.edgesplit.engine;

import io.edgesplit.tensor.TensorSpec;
import java.util.List;

/**
 * A loaded, verified model from which {@link Session}s are created. Thread-safe. Closing it releases
 * the native model once every session built from it is closed too (the model buffer must outlive
 * its interpreters); no new sessions can be created after {@link #close()}.
 */
public interface CompiledModel extends AutoCloseable {

    /** The source name given at load time. */
    String name();

    /** Input tensors in the order sessions take them. */
    List<TensorSpec> inputs();

    /** Output tensors in the order sessions produce them. */
    List<TensorSpec> outputs();

    EngineOptions options();

    /** Size of the model in bytes. */
    long byteSize();

    /**
     * Creates a session with its own interpreter and tensor memory.
     *
     * @throws IllegalStateException when the model is closed
     * @throws InferenceException when the engine cannot build or allocate an interpreter
     */
    Session newSession();

    @Override
    void close();
}
