package io.edgesplit.offload.protocol;

import io.edgesplit.offload.protocol.FrameException.Rejection;
import org.agrona.DirectBuffer;

/**
 * Validates whole frames and hands back the matching flyweight, one reusable flyweight per type, so
 * reading allocates nothing. What a receiver runs on every complete frame after
 * {@link FrameHeader#checkPrefix} accepted its first bytes. Not thread-safe: one per connection or
 * thread.
 */
public final class FrameReader {

    private final FrameLimits limits;
    private final HelloFrame hello = new HelloFrame();
    private final HelloOkFrame helloOk = new HelloOkFrame();
    private final InferRequestFrame request = new InferRequestFrame();
    private final InferResponseFrame response = new InferResponseFrame();
    private final ErrorFrame error = new ErrorFrame();
    private final StatusFrame status = new StatusFrame();
    private final ControlFrame ping = new ControlFrame(FrameType.PING);
    private final ControlFrame pong = new ControlFrame(FrameType.PONG);
    private final ControlFrame statusRequest = new ControlFrame(FrameType.STATUS_REQUEST);
    private final ControlFrame goaway = new ControlFrame(FrameType.GOAWAY);

    public FrameReader(FrameLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public FrameLimits limits() {
        return limits;
    }

    /**
     * Validates the frame of {@code length} bytes at {@code offset} and returns its flyweight, valid
     * until the next call.
     *
     * @throws FrameException naming the rule the frame broke; nothing else for malformed input
     */
    public Frame read(DirectBuffer source, int offset, int length) throws FrameException {
        if (length < FrameHeader.HEADER_LENGTH) {
            throw new FrameException(Rejection.FRAME_TOO_SHORT, "frame of " + length + " bytes is shorter than the header");
        }
        if (offset < 0 || length > source.capacity() - offset) {
            throw new IllegalArgumentException("frame range [" + offset + ", +" + length + ") lies outside the "
                    + source.capacity() + "-byte buffer");
        }
        Frame frame = flyweight(FrameHeader.type(source, offset));
        frame.wrap(source, offset, length);
        frame.validate(limits);
        return frame;
    }

    private Frame flyweight(FrameType type) {
        switch (type) {
            case HELLO:
                return hello;
            case HELLO_OK:
                return helloOk;
            case INFER_REQUEST:
                return request;
            case INFER_RESPONSE:
                return response;
            case ERROR:
                return error;
            case STATUS:
                return status;
            case PING:
                return ping;
            case PONG:
                return pong;
            case STATUS_REQUEST:
                return statusRequest;
            case GOAWAY:
                return goaway;
            default:
                throw new IllegalStateException("no flyweight for " + type);
        }
    }
}
