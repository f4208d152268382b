package io.edgesplit.offload.protocol;

/**
 * The header-only frames: PING, PONG, STATUS_REQUEST and GOAWAY (16 bytes, no body). Flyweight; see
 * {@link Frame}.
 */
public final class ControlFrame extends Frame {

    private final FrameType type;

    /**
     * A flyweight for one header-only type.
     *
     * @throws IllegalArgumentException when {@code type} has a body
     */
    public ControlFrame(FrameType type) {
        if (type.minLength() != FrameHeader.HEADER_LENGTH || type.maxLength() != FrameHeader.HEADER_LENGTH) {
            throw new IllegalArgumentException("type: " + type + " is not a header-only frame");
        }
        this.type = type;
    }

    @Override
    public FrameType type() {
        return type;
    }

    @Override
    public ControlFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public ControlFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public ControlFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    @Override
    protected void validateBody(FrameLimits limits) {
        // header only: the length check already proved there is no body
    }

    @Override
    protected int encodedLength() {
        return FrameHeader.HEADER_LENGTH;
    }
}
