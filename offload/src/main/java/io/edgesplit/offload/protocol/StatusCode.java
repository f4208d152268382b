package io.edgesplit.offload.protocol;

/**
 * Status of an {@link ErrorFrame}: why the server did not answer a request with outputs. The
 * numeric codes are part of the wire format and never reused.
 */
public enum StatusCode {
    /** The frame was well formed but the request is not valid (shape, type or codec mismatch). */
    BAD_REQUEST(1),
    /** No successful HELLO on this connection; the connection is closed after this frame. */
    UNAUTHENTICATED(2),
    /** The server serves no segment with this SHA-256. */
    NOT_FOUND(3),
    /** Admission control: the deadline cannot be met, or the queue is full. Sent before queueing. */
    BUSY(4),
    /** The request's deadline passed while it waited; it was not computed. */
    DEADLINE_EXCEEDED(5),
    /** The client exceeded its request rate. */
    RATE_LIMITED(6),
    /** The server is draining; the request was not accepted. */
    SHUTTING_DOWN(7),
    /** The server failed while computing. */
    INTERNAL(8),
    /** The frame broke the protocol (see the message); the connection is closed after this frame. */
    PROTOCOL_ERROR(9);

    private static final StatusCode[] BY_CODE = new StatusCode[16];

    static {
        for (StatusCode s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    StatusCode(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The status with this wire value, or null when the value is unknown. */
    public static StatusCode fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
