package io.edgesplit.offload.protocol;

import io.edgesplit.offload.OffloadException;

/**
 * A frame broke the wire protocol. {@link #rejection()} says which rule, the message says where
 * (field, value, limit). The receiver answers with {@link StatusCode#PROTOCOL_ERROR} and closes the
 * connection when {@link Rejection#fatal()} (the byte stream can no longer be trusted), otherwise
 * with {@link StatusCode#BAD_REQUEST} for that request only.
 */
public final class FrameException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final Rejection rejection;

    public FrameException(Rejection rejection, String message) {
        super(rejection + ": " + message, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }

    /** Why a frame was rejected. */
    public enum Rejection {
        /** The first two bytes are not the protocol's magic. */
        BAD_MAGIC(true),
        /** A protocol version this side does not speak. */
        UNSUPPORTED_VERSION(true),
        /** An unknown type byte. */
        UNKNOWN_TYPE(true),
        /** The length field is below the type's minimum. */
        FRAME_TOO_SHORT(true),
        /** The length field is above the type's or the configured maximum. */
        FRAME_TOO_LONG(true),
        /** A frame of a type this side never receives (a server sent a request, ...). */
        UNEXPECTED_TYPE(true),
        /** The body contradicts itself: counts, ranks, dimensions, payload bounds, reserved bits. */
        MALFORMED(false),
        /** A frame started but did not complete within the frame read timeout (slow drip). */
        TOO_SLOW(true);

        private final boolean fatal;

        Rejection(boolean fatal) {
            this.fatal = fatal;
        }

        /** True when the connection must be closed because framing itself is lost. */
        public boolean fatal() {
            return fatal;
        }
    }
}
