package io.edgesplit.engine;

import io.edgesplit.tensor.Tensor;

/**
 * One interpreter of a {@link CompiledModel}, reused across inferences. <b>Not thread-safe:</b> use
 * one session per thread. Write inputs into {@link #input(int)} (no copy) or pass them to
 * {@link #setInput(int, Tensor)} (one copy), call {@link #run()}, read {@link #output(int)}.
 *
 * <p>The tensors returned by {@link #input} and {@link #output} are views of the interpreter's own
 * memory: valid until the session is closed, overwritten by the next run.
 */
public interface Session extends AutoCloseable {

    CompiledModel model();

    int inputCount();

    int outputCount();

    /** Input {@code index} as a writable view of the interpreter's buffer. */
    Tensor input(int index);

    /**
     * The input with this name.
     *
     * @throws IllegalArgumentException listing the model's input names when none matches
     */
    Tensor input(String name);

    /** Output {@code index} as a view of the interpreter's buffer, valid after {@link #run()}. */
    Tensor output(int index);

    /**
     * The output with this name.
     *
     * @throws IllegalArgumentException listing the model's output names when none matches
     */
    Tensor output(String name);

    /**
     * Copies {@code value} into input {@code index}.
     *
     * @throws IllegalArgumentException showing both sides when shape or type differ, e.g.
     *     {@code tensor 'input' expects [1,224,224,3] UINT8, got [1,128,128,3] UINT8}
     */
    void setInput(int index, Tensor value);

    /**
     * Runs the model on the current inputs.
     *
     * @throws InferenceException when a kernel fails
     * @throws IllegalStateException when the session is closed
     */
    void run();

    @Override
    void close();
}
