package io.edgesplit.offload;

/**
 * The request's deadline (or the part of it given to offloading) passed before the target answered,
 * or the server found on dequeue that it could not finish in time. Not retryable: the time is gone.
 *
 * <p>When the request had been sent and no reply came, {@link #bytesSent()} and {@link #waitedNs()}
 * say how much was sent and how long the transport waited from the start of sending: evidence that
 * the exchange, and so the link, was slower than that (a bandwidth estimator can use it as an upper
 * bound). Both are 0 when nothing was sent or the server itself answered that it ran out of time.
 */
public final class OffloadTimeoutException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final long bytesSent;
    private final long waitedNs;

    public OffloadTimeoutException(String message) {
        this(message, 0, 0);
    }

    /**
     * No reply within the deadline after sending {@code bytesSent} bytes, {@code waitedNs} after the
     * sending started.
     */
    public OffloadTimeoutException(String message, long bytesSent, long waitedNs) {
        super(message, false);
        this.bytesSent = Math.max(0, bytesSent);
        this.waitedNs = Math.max(0, waitedNs);
    }

    /** Bytes of the request written before the wait, or 0. */
    public long bytesSent() {
        return bytesSent;
    }

    /** How long the transport waited for the reply, from the start of sending; 0 when unknown. */
    public long waitedNs() {
        return waitedNs;
    }
}
