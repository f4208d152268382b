package io.edgesplit.engine;

import java.io.IOException;

/**
 * A model could not be loaded: the file is missing, truncated, not TensorFlow Lite, fails
 * verification, or uses an operator the engine does not have. The message names the source and
 * the reason.
 */
public class ModelLoadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;

    public ModelLoadException(String source, String reason) {
        super(source + ": " + reason);
        this.source = source;
    }

    public ModelLoadException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
    }

    /** The file or buffer name the model came from. */
    public String source() {
        return source;
    }
}
