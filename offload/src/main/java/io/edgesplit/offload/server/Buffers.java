package io.edgesplit.offload.server;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;

/** Agrona views over Netty buffers, so flyweights and codecs work on Netty's memory without copies. */
@ServerOnly
final class Buffers {

    private Buffers() {
    }

    /** Points {@code view} at the readable bytes of {@code buf}. */
    static UnsafeBuffer readable(ByteBuf buf, UnsafeBuffer view) {
        return region(buf, buf.readerIndex(), buf.readableBytes(), view);
    }

    /** Points {@code view} at {@code length} bytes of {@code buf} from {@code index}. */
    static UnsafeBuffer region(ByteBuf buf, int index, int length, UnsafeBuffer view) {
        if (buf.hasMemoryAddress()) {
            view.wrap(buf.memoryAddress() + index, length);
        } else if (buf.hasArray()) {
            view.wrap(buf.array(), buf.arrayOffset() + index, length);
        } else {
            view.wrap(buf.nioBuffer(index, length));
        }
        return view;
    }
}
