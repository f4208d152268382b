package io.edgesplit.offload;

/**
 * The transport could not connect, the TLS handshake failed, or the connection was lost while the
 * request was in flight. Retryable (on a new connection) unless the cause is a handshake failure,
 * which another attempt would repeat.
 */
public final class ConnectionException extends OffloadException {

    private static final long serialVersionUID = 1L;

    public ConnectionException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
