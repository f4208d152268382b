package io.edgesplit.offload;

/**
 * The request's deadline (or the part of it given to offloading) passed before the target answered,
 * or the server found on dequeue that it could not finish in time. Not retryable: the time is gone.
 */
public final class OffloadTimeoutException extends OffloadException {

    private static final long serialVersionUID = 1L;

    public OffloadTimeoutException(String message) {
        super(message, false);
    }
}
