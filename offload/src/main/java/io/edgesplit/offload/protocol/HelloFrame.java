package io.edgesplit.offload.protocol;

import java.nio.charset.StandardCharsets;

/**
 * HELLO: the first frame a client sends on a connection, carrying its bearer token (empty when the
 * connection authenticates by client certificate) and a client name for logs. The server answers
 * with HELLO_OK, or with ERROR UNAUTHENTICATED and closes the connection; any other frame before a
 * successful HELLO gets the same. Flyweight; see {@link Frame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |               header (16 bytes, type = 1)                     |  0
 * +-------------------------------+-------------------------------+
 * |     tokenLength (u16)         |   clientNameLength (u16)      | 16
 * +-------------------------------+-------------------------------+
 * |                       reserved (i32 = 0)                      | 20
 * +---------------------------------------------------------------+
 * | token (bytes, <= 4096) | client name (UTF-8, <= 128 bytes)    | 24
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class HelloFrame extends Frame {

    public static final int TOKEN_LENGTH_OFFSET = 16;
    public static final int CLIENT_NAME_LENGTH_OFFSET = 18;
    public static final int RESERVED_OFFSET = 20;
    public static final int BODY_OFFSET = 24;
    public static final int MAX_TOKEN_BYTES = 4096;
    public static final int MAX_CLIENT_NAME_BYTES = 128;

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    @Override
    public HelloFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public HelloFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public HelloFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        int token = tokenLength();
        int name = clientNameLength();
        if (token > MAX_TOKEN_BYTES) {
            throw malformed("HELLO.tokenLength: " + token + ", at most " + MAX_TOKEN_BYTES);
        }
        if (name > MAX_CLIENT_NAME_BYTES) {
            throw malformed("HELLO.clientNameLength: " + name + ", at most " + MAX_CLIENT_NAME_BYTES);
        }
        requireZero(RESERVED_OFFSET, 4, "reserved");
        if (BODY_OFFSET + token + name != buffer.capacity()) {
            throw malformed("HELLO: token and name take " + (token + name) + " bytes, the frame has "
                    + (buffer.capacity() - BODY_OFFSET));
        }
    }

    public int tokenLength() {
        return buffer.getShort(TOKEN_LENGTH_OFFSET, LE) & 0xffff;
    }

    public int clientNameLength() {
        return buffer.getShort(CLIENT_NAME_LENGTH_OFFSET, LE) & 0xffff;
    }

    /** The token bytes; allocates. */
    public byte[] token() {
        byte[] token = new byte[tokenLength()];
        buffer.getBytes(BODY_OFFSET, token);
        return token;
    }

    /** The client name; allocates. */
    public String clientName() {
        byte[] name = new byte[clientNameLength()];
        buffer.getBytes(BODY_OFFSET + tokenLength(), name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** Writes token and client name. */
    public HelloFrame credentials(byte[] token, String clientName) {
        byte[] name = clientName.getBytes(StandardCharsets.UTF_8);
        if (token.length > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("token: at most " + MAX_TOKEN_BYTES + " bytes, was " + token.length);
        }
        if (name.length > MAX_CLIENT_NAME_BYTES) {
            throw new IllegalArgumentException("clientName: at most " + MAX_CLIENT_NAME_BYTES + " bytes of UTF-8, was "
                    + name.length);
        }
        buffer.putShort(TOKEN_LENGTH_OFFSET, (short) token.length, LE);
        buffer.putShort(CLIENT_NAME_LENGTH_OFFSET, (short) name.length, LE);
        buffer.putInt(RESERVED_OFFSET, 0, LE);
        buffer.putBytes(BODY_OFFSET, token);
        buffer.putBytes(BODY_OFFSET + token.length, name);
        return this;
    }

    @Override
    protected int encodedLength() {
        return BODY_OFFSET + tokenLength() + clientNameLength();
    }
}
