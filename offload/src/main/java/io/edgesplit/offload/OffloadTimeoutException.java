package io.edgesplit.offload;

/**
 * The request's deadline (or the part of it given to offloading) passed before the target answered,
 * or the server found on dequeue that it could not finish in time. Not retryable: the time is gone.
 *
 * <p>When the request had been sent and no reply came, {@link #bytesSent()} and {@link #waitedNs()}
 * say how much was sent and how long the transport waited from the start of sending: evidence that
 * the exchange, and so the link, was slower than that (a bandwidth estimator can use it as an upper
 * bound). Both are 0 when nothing was sent or the server itself answered that it ran out of time.
 *
 * <p>A transport that sees the phases of the exchange also says whether the whole request had been
 * handed to the transport ({@link #uploadComplete()}, after {@link #uploadNs()}) and whether the reply
 * had begun ({@link #replyStarted()}): then the request had arrived and the stall was the server's or
 * the downlink's, and the timeout says nothing against the uplink.
 */
public final class OffloadTimeoutException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final long bytesSent;
    private final long waitedNs;
    private final long uploadNs;
    private final boolean replyStarted;

    public OffloadTimeoutException(String message) {
        this(message, 0, 0);
    }

    /**
     * No reply within the deadline after sending {@code bytesSent} bytes, {@code waitedNs} after the
     * sending started.
     */
    public OffloadTimeoutException(String message, long bytesSent, long waitedNs) {
        this(message, bytesSent, waitedNs, -1, false);
    }

    /**
     * As {@link #OffloadTimeoutException(String, long, long)}, and: the whole request had been handed
     * to the transport {@code uploadNs} after the sending started (-1: it had not, or unknown), and
     * the reply had begun to arrive ({@code replyStarted}).
     */
    public OffloadTimeoutException(String message, long bytesSent, long waitedNs, long uploadNs, boolean replyStarted) {
        super(message, false);
        this.bytesSent = Math.max(0, bytesSent);
        this.waitedNs = Math.max(0, waitedNs);
        this.uploadNs = uploadNs < 0 ? -1 : uploadNs;
        this.replyStarted = replyStarted;
    }

    /** Bytes of the request written before the wait, or 0. */
    public long bytesSent() {
        return bytesSent;
    }

    /** How long the transport waited for the reply, from the start of sending; 0 when unknown. */
    public long waitedNs() {
        return waitedNs;
    }

    /**
     * Whether the whole request had been handed to the transport before the timeout. Handed over is
     * not delivered (a socket's send buffer may still hold it), so this alone does not clear the link.
     */
    public boolean uploadComplete() {
        return uploadNs >= 0;
    }

    /** From the start of sending until the whole request had been handed to the transport; -1 if it had not or unknown. */
    public long uploadNs() {
        return uploadNs;
    }

    /**
     * Whether the reply had begun to arrive (e.g. HTTP response headers) before the timeout: the
     * request had reached the server, so the stall was not the uplink's.
     */
    public boolean replyStarted() {
        return replyStarted;
    }
}
