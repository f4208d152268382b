package io.edgesplit.engine;

/** The engine failed to run a model it had loaded (a kernel reported an error). */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
