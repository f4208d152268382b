package io.edgesplit.offload;

/**
 * The circuit breaker of a target is open (or half-open with its trial calls taken): the request was
 * not sent. Not retryable on the same target; the fallback takes over.
 */
public final class CircuitOpenException extends OffloadException {

    private static final long serialVersionUID = 1L;

    public CircuitOpenException(String message) {
        super(message, false);
    }
}
