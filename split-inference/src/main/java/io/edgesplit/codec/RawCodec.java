package io.edgesplit.codec;

import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code raw}: the tensor's bytes as they are, bit-exact for every fixed-size type.
 *
 * <pre>
 *  0                                   byteSize
 *  +-----------------------------------+
 *  | tensor data (little-endian)       |
 *  +-----------------------------------+
 * </pre>
 */
final class RawCodec implements TensorCodec {

    static final String NAME = "raw";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxEncodedLength(TensorSpec spec) {
        return CodecSupport.byteSize(NAME, spec);
    }

    @Override
    public int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull) {
        return CodecSupport.encodeRaw(NAME, src, dst, dstOffset, statsOrNull, false);
    }

    @Override
    public void decode(DirectBuffer src, int srcOffset, int length, Tensor dst) throws CodecException {
        CodecSupport.requireRange(NAME, src, srcOffset, length);
        CodecSupport.decodeRaw(NAME, src, srcOffset, length, dst);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
