package io.edgesplit.offload.protocol;

/**
 * HELLO_OK: the server accepted the client; the limits it will enforce on this connection.
 * Flyweight; see {@link Frame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |               header (16 bytes, type = 2)                     |  0
 * +---------------------------------------------------------------+
 * |  maxFrameBytes (i32): largest request the server accepts     | 16
 * +---------------------------------------------------------------+
 * |  maxInFlight (i32): requests in flight per connection         | 20
 * +---------------------------------------------------------------+
 * |  workers (i32): tails computed in parallel                    | 24
 * +---------------------------------------------------------------+
 * |                       reserved (i32 = 0)                      | 28
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class HelloOkFrame extends Frame {

    public static final int MAX_FRAME_BYTES_OFFSET = 16;
    public static final int MAX_IN_FLIGHT_OFFSET = 20;
    public static final int WORKERS_OFFSET = 24;
    public static final int RESERVED_OFFSET = 28;
    public static final int LENGTH = 32;

    @Override
    public FrameType type() {
        return FrameType.HELLO_OK;
    }

    @Override
    public HelloOkFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public HelloOkFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public HelloOkFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        if (maxFrameBytes() < 4096) {
            throw malformed("HELLO_OK.maxFrameBytes: " + maxFrameBytes() + ", must be >= 4096");
        }
        if (maxInFlight() < 1) {
            throw malformed("HELLO_OK.maxInFlight: " + maxInFlight() + ", must be >= 1");
        }
        if (workers() < 1) {
            throw malformed("HELLO_OK.workers: " + workers() + ", must be >= 1");
        }
        requireZero(RESERVED_OFFSET, 4, "reserved");
    }

    public int maxFrameBytes() {
        return buffer.getInt(MAX_FRAME_BYTES_OFFSET, LE);
    }

    public HelloOkFrame maxFrameBytes(int value) {
        buffer.putInt(MAX_FRAME_BYTES_OFFSET, value, LE);
        buffer.putInt(RESERVED_OFFSET, 0, LE);
        return this;
    }

    public int maxInFlight() {
        return buffer.getInt(MAX_IN_FLIGHT_OFFSET, LE);
    }

    public HelloOkFrame maxInFlight(int value) {
        buffer.putInt(MAX_IN_FLIGHT_OFFSET, value, LE);
        return this;
    }

    public int workers() {
        return buffer.getInt(WORKERS_OFFSET, LE);
    }

    public HelloOkFrame workers(int value) {
        buffer.putInt(WORKERS_OFFSET, value, LE);
        return this;
    }

    @Override
    protected int encodedLength() {
        return LENGTH;
    }
}
