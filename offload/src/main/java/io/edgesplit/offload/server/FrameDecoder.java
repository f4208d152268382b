package io.edgesplit.offload.server;

import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts the byte stream into frames. The 8-byte prefix of each frame is checked (magic, version,
 * type, length bounds) as soon as it arrives, so an oversized or garbage frame is refused before its
 * body is buffered; before authentication only HELLO is accepted, which bounds what an
 * unauthenticated peer can make the server hold to HELLO's 4 KiB. Emits each whole frame as a
 * retained slice. Remembers when the current partial frame started, for the slow-drip check.
 */
@ServerOnly
final class FrameDecoder extends ByteToMessageDecoder {

    private final FrameLimits limits;
    private final NanoClock clock;
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[FrameHeader.PREFIX_LENGTH]);
    private volatile boolean authenticated;
    private volatile long partialSinceNs;

    FrameDecoder(FrameLimits limits, NanoClock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    void authenticated() {
        authenticated = true;
    }

    /** When the frame now being received started arriving, or 0 when none is partial. */
    long partialSinceNs() {
        return partialSinceNs;
    }

    /**
     * True when bytes of another frame have arrived behind the one being handled. Frames are cut one
     * per {@link #decode} call and handed on before the next is cut, so during the handling of a frame
     * everything received after it is still here.
     */
    boolean buffered() {
        return actualReadableBytes() > 0;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // one frame per call: ByteToMessageDecoder hands it on and calls again for the rest, so a HELLO
        // is checked before the frames behind it are looked at, and buffered() sees them
        if (in.readableBytes() >= FrameHeader.PREFIX_LENGTH) {
            in.getBytes(in.readerIndex(), prefix.byteArray(), 0, FrameHeader.PREFIX_LENGTH);
            int length = FrameHeader.checkPrefix(prefix, 0, limits);
            if (!authenticated && FrameHeader.type(prefix, 0) != FrameType.HELLO) {
                throw new UnauthenticatedFrameException();
            }
            if (in.readableBytes() >= length) {
                out.add(in.readRetainedSlice(length));
                partialSinceNs = 0; // the next call starts the clock if a partial frame follows
                return;
            }
        }
        if (in.isReadable()) {
            if (partialSinceNs == 0) {
                partialSinceNs = clock.nanoTime();
            }
        } else {
            partialSinceNs = 0;
        }
    }

    /** A frame other than HELLO arrived before authentication. */
    @ServerOnly
    static final class UnauthenticatedFrameException extends Exception {
        private static final long serialVersionUID = 1L;

        UnauthenticatedFrameException() {
            super("frame before HELLO", null, false, false);
        }
    }
}
