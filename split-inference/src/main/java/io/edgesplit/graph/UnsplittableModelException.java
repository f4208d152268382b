package io.edgesplit.graph;

import io.edgesplit.engine.ModelLoadException;

/** A model, or a requested cut of it, cannot be split; the message names the operator or tensor and why. */
public final class UnsplittableModelException extends ModelLoadException {

    private static final long serialVersionUID = 1L;

    public UnsplittableModelException(String source, String reason) {
        super(source, reason);
    }
}
