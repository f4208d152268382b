package io.edgesplit.offload.protocol;

/**
 * The type byte of a frame. Values are part of the wire format. Each type has a fixed minimum
 * length and its own upper bound on the frame length, checked from the first 8 bytes of a frame so
 * that an oversized frame is refused before its body is read.
 */
public enum FrameType {
    /** Client to server, first frame on a connection: token and client name. */
    HELLO(1, HelloFrame.BODY_OFFSET, HelloFrame.BODY_OFFSET + HelloFrame.MAX_TOKEN_BYTES + HelloFrame.MAX_CLIENT_NAME_BYTES),
    /** Server to client: authentication accepted; the server's limits. */
    HELLO_OK(2, HelloOkFrame.LENGTH, HelloOkFrame.LENGTH),
    /** Client to server: run a tail segment on encoded crossing tensors. */
    INFER_REQUEST(3, InferRequestFrame.DESCRIPTORS_OFFSET + TensorSection.DESCRIPTOR_LENGTH, -1),
    /** Server to client: outputs of a request plus queue and compute time. */
    INFER_RESPONSE(4, InferResponseFrame.DESCRIPTORS_OFFSET, -1),
    /** Server to client: a request (or the connection) failed with a {@link StatusCode}. */
    ERROR(5, ErrorFrame.MESSAGE_OFFSET, ErrorFrame.MESSAGE_OFFSET + ErrorFrame.MAX_MESSAGE_BYTES),
    /** Either side: liveness probe; answered with PONG carrying the same request id. */
    PING(6, FrameHeader.HEADER_LENGTH, FrameHeader.HEADER_LENGTH),
    /** Answer to PING. */
    PONG(7, FrameHeader.HEADER_LENGTH, FrameHeader.HEADER_LENGTH),
    /** Client to server: ask for a load report. */
    STATUS_REQUEST(8, FrameHeader.HEADER_LENGTH, FrameHeader.HEADER_LENGTH),
    /** Server to client: load report (workers, queue, estimated queue delay, counters). */
    STATUS(9, StatusFrame.LENGTH, StatusFrame.LENGTH),
    /** Server to client: draining; send nothing new on this connection, in-flight requests still finish. */
    GOAWAY(10, FrameHeader.HEADER_LENGTH, FrameHeader.HEADER_LENGTH);

    private static final FrameType[] BY_CODE = new FrameType[16];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int minLength;
    private final int maxLength;

    FrameType(int code, int minLength, int maxLength) {
        this.code = code;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The wire value of the type byte. */
    public int code() {
        return code;
    }

    /** Smallest valid frame of this type, header included. */
    public int minLength() {
        return minLength;
    }

    /**
     * Largest valid frame of this type, header included, or {@code -1} for the tensor-carrying types
     * whose bound is {@link FrameLimits#maxFrameBytes()}.
     */
    public int maxLength() {
        return maxLength;
    }

    /** The type with this wire value, or null when the value is unknown. */
    public static FrameType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
