package io.edgesplit.offload;

import java.io.IOException;

/**
 * An offload attempt failed. Subclasses say how: {@link OffloadTimeoutException} (the deadline or an
 * attempt's time limit passed), {@link ServerBusyException} (the server refused at once: overloaded,
 * rate limit, draining), {@link CircuitOpenException} (the client did not even try),
 * {@link OffloadRejectedException} (the server answered with an error status),
 * {@link ConnectionException} (the transport could not connect or lost the connection) and
 * {@link io.edgesplit.offload.protocol.FrameException} (a peer broke the wire protocol).
 *
 * <p>{@link #retryable()} tells the retry layer whether trying again, possibly on another
 * connection, can help.
 */
public class OffloadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public OffloadException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public OffloadException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * What a blocking call throws for {@code failure}, the outcome of an offload: unchecked
     * exceptions and errors are thrown from here as they are; an {@code OffloadException} is
     * returned as it is, any other checked exception wrapped in a non-retryable one naming the
     * target. Use as {@code throw OffloadException.propagate(id, failure)}.
     */
    public static OffloadException propagate(String targetId, Throwable failure) {
        if (failure instanceof OffloadException) {
            return (OffloadException) failure;
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return new OffloadException(targetId + ": " + failure, false, failure);
    }

    /** True when another attempt (after a backoff) may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
