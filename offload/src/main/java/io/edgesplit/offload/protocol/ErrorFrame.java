package io.edgesplit.offload.protocol;

import java.nio.charset.StandardCharsets;

/**
 * ERROR: a request (or, with request id 0, the connection) failed. Flyweight; see {@link Frame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |               header (16 bytes, type = 5)                     |  0
 * +-------------------------------+-------------------------------+
 * |        status (u16)           |    messageLength (u16)        | 16
 * +-------------------------------+-------------------------------+
 * |                       reserved (i32 = 0)                      | 20
 * +---------------------------------------------------------------+
 * |     retryAfterNs (i64): when to try again, 0 = no hint        | 24
 * +---------------------------------------------------------------+
 * |     message (UTF-8, messageLength <= 1024 bytes)              | 32
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ErrorFrame extends Frame {

    public static final int STATUS_OFFSET = 16;
    public static final int MESSAGE_LENGTH_OFFSET = 18;
    public static final int RESERVED_OFFSET = 20;
    public static final int RETRY_AFTER_NS_OFFSET = 24;
    public static final int MESSAGE_OFFSET = 32;
    public static final int MAX_MESSAGE_BYTES = 1024;

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }

    @Override
    public ErrorFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public ErrorFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public ErrorFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        if (StatusCode.fromCode(statusCode()) == null) {
            throw malformed("ERROR.status: unknown code " + statusCode());
        }
        requireZero(RESERVED_OFFSET, 4, "reserved");
        if (retryAfterNs() < 0) {
            throw malformed("ERROR.retryAfterNs: " + retryAfterNs() + ", must be >= 0");
        }
        int n = messageLength();
        if (MESSAGE_OFFSET + n != buffer.capacity()) {
            throw malformed("ERROR.messageLength: " + n + ", the frame has room for " + (buffer.capacity() - MESSAGE_OFFSET));
        }
    }

    public int statusCode() {
        return buffer.getShort(STATUS_OFFSET, LE) & 0xffff;
    }

    /** The status, or null when the code is unknown (only before {@link #validate}). */
    public StatusCode status() {
        return StatusCode.fromCode(statusCode());
    }

    public ErrorFrame status(StatusCode status) {
        buffer.putShort(STATUS_OFFSET, (short) status.code(), LE);
        buffer.putInt(RESERVED_OFFSET, 0, LE);
        return this;
    }

    public long retryAfterNs() {
        return buffer.getLong(RETRY_AFTER_NS_OFFSET, LE);
    }

    public ErrorFrame retryAfterNs(long retryAfterNs) {
        buffer.putLong(RETRY_AFTER_NS_OFFSET, retryAfterNs, LE);
        return this;
    }

    public int messageLength() {
        return buffer.getShort(MESSAGE_LENGTH_OFFSET, LE) & 0xffff;
    }

    /** The message; allocates a String. */
    public String message() {
        byte[] bytes = new byte[messageLength()];
        buffer.getBytes(MESSAGE_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes the message, cut to {@link #MAX_MESSAGE_BYTES} bytes of UTF-8 (at a character boundary). */
    public ErrorFrame message(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, MAX_MESSAGE_BYTES);
        while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) == 0x80) {
            n--;
        }
        buffer.putShort(MESSAGE_LENGTH_OFFSET, (short) n, LE);
        buffer.putBytes(MESSAGE_OFFSET, bytes, 0, n);
        return this;
    }

    @Override
    protected int encodedLength() {
        return MESSAGE_OFFSET + messageLength();
    }
}
