package io.edgesplit.offload;

import io.edgesplit.offload.protocol.StatusCode;

/**
 * The server answered with an error status that is not about load: the request was malformed
 * ({@link StatusCode#BAD_REQUEST}), named a segment the server does not serve
 * ({@link StatusCode#NOT_FOUND}), was not authenticated ({@link StatusCode#UNAUTHENTICATED}), or the
 * server failed ({@link StatusCode#INTERNAL}, the only retryable one).
 */
public final class OffloadRejectedException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final StatusCode status;

    public OffloadRejectedException(StatusCode status, String message) {
        super(message, status == StatusCode.INTERNAL);
        this.status = status;
    }

    public StatusCode status() {
        return status;
    }
}
