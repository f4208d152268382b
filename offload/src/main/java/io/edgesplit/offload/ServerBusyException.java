package io.edgesplit.offload;

import io.edgesplit.offload.protocol.StatusCode;

/**
 * The server refused a request at once because it could not meet the deadline (admission control),
 * the client exceeded its rate limit, or the server is draining. Cheap by design: the server says so
 * before queueing. Retryable after {@link #retryAfterNs()}.
 */
public final class ServerBusyException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final StatusCode status;
    private final long retryAfterNs;

    public ServerBusyException(StatusCode status, String message, long retryAfterNs) {
        super(message, true);
        this.status = status;
        this.retryAfterNs = retryAfterNs;
    }

    /** {@link StatusCode#BUSY}, {@link StatusCode#RATE_LIMITED} or {@link StatusCode#SHUTTING_DOWN}. */
    public StatusCode status() {
        return status;
    }

    /** The server's hint for when to try again, in nanoseconds from the reply; 0 when it gave none. */
    public long retryAfterNs() {
        return retryAfterNs;
    }
}
