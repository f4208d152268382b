package io.edgesplit.codec;

import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code <inner>+lz4}: the payload of another codec, compressed losslessly as one LZ4 block, or
 * stored as it is when LZ4 would not make it smaller (random data), so the payload never exceeds the
 * inner codec's bound by more than the 8-byte header.
 *
 * <pre>
 *  0        1                 4                 8
 *  +--------+--------+--------+-----------------+------------------ ... --+
 *  | method | reserved (0)    | innerLength     | body                    |
 *  | uint8  | 3 bytes         | int32 LE        |                         |
 *  +--------+--------+--------+-----------------+------------------ ... --+
 *  method 0 STORED:    body is the inner payload, exactly innerLength bytes
 *  method 1 LZ4_BLOCK: body is one LZ4 block (no frame) that decodes to exactly innerLength bytes
 *  innerLength &lt;= the inner codec's maxEncodedLength for the tensor
 * </pre>
 *
 * <p>Uses the pure-Java LZ4 of {@code at.yawk.lz4:lz4-java} ({@link LZ4Factory#fastestJavaInstance()},
 * never JNI, so it runs on Android; in 1.14 that is the array-bounds-checked implementation, which
 * {@code unsafeInstance()} now returns as well) and its {@link LZ4SafeDecompressor}. Scratch arrays
 * for the inner payload and the LZ4 block are owned by this instance and grow with the largest
 * tensor seen. lz4-java's Java compressor allocates its own 16 KiB hash table on every call and offers
 * no way to reuse one, so {@link #encode} allocates that much per call; {@link #decode} allocates
 * nothing.
 */
final class Lz4Codec implements TensorCodec {

    static final String SUFFIX = "+lz4";
    static final int METHOD_OFFSET = 0;
    static final int RESERVED_OFFSET = 1;
    static final int INNER_LENGTH_OFFSET = 4;
    static final int HEADER_LENGTH = 8;
    static final int METHOD_STORED = 0;
    static final int METHOD_LZ4_BLOCK = 1;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();
    /** LZ4's limit for one block (LZ4_MAX_INPUT_SIZE). */
    static final int LZ4_MAX_INPUT_BYTES = 0x7E000000;

    private final TensorCodec inner;
    private final String name;
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private byte[] innerScratch = new byte[0];
    private byte[] blockScratch = new byte[0];
    private final UnsafeBuffer innerView = new UnsafeBuffer(innerScratch);

    Lz4Codec(TensorCodec inner) {
        this.inner = inner;
        this.name = inner.name() + SUFFIX;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxEncodedLength(TensorSpec spec) {
        return HEADER_LENGTH + innerMaxEncodedLength(spec);
    }

    /** The inner codec's bound, which must also fit in one LZ4 block. */
    private int innerMaxEncodedLength(TensorSpec spec) {
        int innerMax = inner.maxEncodedLength(spec);
        if (innerMax > LZ4_MAX_INPUT_BYTES) {
            throw new IllegalArgumentException(name + ": tensor '" + spec.name() + "' " + spec.shapeAndType()
                    + " has a " + innerMax + "-byte " + inner.name() + " payload, above the " + LZ4_MAX_INPUT_BYTES
                    + " bytes of one LZ4 block");
        }
        return innerMax;
    }

    /** Grows the scratch arrays to hold an inner payload of {@code innerMax} bytes and its LZ4 block. */
    private void ensureScratch(int innerMax) {
        if (innerScratch.length < innerMax) {
            innerScratch = new byte[innerMax];
            innerView.wrap(innerScratch);
        }
        int blockMax = compressor.maxCompressedLength(innerMax);
        if (blockScratch.length < blockMax) {
            blockScratch = new byte[blockMax];
        }
    }

    @Override
    public int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull) {
        TensorSpec spec = src.spec();
        int innerMax = innerMaxEncodedLength(spec);
        CodecSupport.requireCapacity(name, spec, dst, dstOffset, HEADER_LENGTH + innerMax);
        ensureScratch(innerMax);
        int innerLength = inner.encode(src, innerView, 0, statsOrNull);
        int blockLength = compressor.compress(innerScratch, 0, innerLength, blockScratch, 0, blockScratch.length);
        int body = dstOffset + HEADER_LENGTH;
        int method;
        int bodyLength;
        if (blockLength < innerLength) {
            method = METHOD_LZ4_BLOCK;
            bodyLength = blockLength;
            dst.putBytes(body, blockScratch, 0, blockLength);
        } else {
            method = METHOD_STORED;
            bodyLength = innerLength;
            dst.putBytes(body, innerScratch, 0, innerLength);
        }
        dst.putInt(dstOffset + METHOD_OFFSET, method, LE); // method byte, then the three reserved zero bytes
        dst.putInt(dstOffset + INNER_LENGTH_OFFSET, innerLength, LE);
        int length = HEADER_LENGTH + bodyLength;
        if (statsOrNull != null) {
            statsOrNull.encodedBytes(length);
        }
        return length;
    }

    @Override
    public void decode(DirectBuffer src, int srcOffset, int length, Tensor dst) throws CodecException {
        CodecSupport.requireRange(name, src, srcOffset, length);
        TensorSpec spec = dst.spec();
        if (length < HEADER_LENGTH) {
            throw new CodecException(name, spec, "payload is " + length + " bytes, shorter than the "
                    + HEADER_LENGTH + "-byte LZ4 stage header");
        }
        int method = src.getByte(srcOffset + METHOD_OFFSET) & 0xff;
        int reserved = src.getInt(srcOffset + METHOD_OFFSET, LE) >>> 8;
        int innerLength = src.getInt(srcOffset + INNER_LENGTH_OFFSET, LE);
        int innerMax = innerMaxEncodedLength(spec);
        int bodyLength = length - HEADER_LENGTH;
        if (method != METHOD_STORED && method != METHOD_LZ4_BLOCK) {
            throw new CodecException(name, spec, "unknown method " + method + ", expected " + METHOD_STORED
                    + " (stored) or " + METHOD_LZ4_BLOCK + " (LZ4 block)");
        }
        if (reserved != 0) {
            throw new CodecException(name, spec, "reserved header bytes must be 0, were 0x"
                    + Integer.toHexString(reserved));
        }
        if (innerLength < 0 || innerLength > innerMax) {
            throw new CodecException(name, spec, "header declares " + Integer.toUnsignedString(innerLength)
                    + " decoded bytes, the tensor needs at most " + innerMax);
        }
        if (method == METHOD_STORED) {
            if (bodyLength != innerLength) {
                throw new CodecException(name, spec, "stored body is " + bodyLength + " bytes, header declares "
                        + innerLength);
            }
            decodeInner(src, srcOffset + HEADER_LENGTH, innerLength, dst);
            return;
        }
        int blockMax = compressor.maxCompressedLength(innerLength);
        if (bodyLength > blockMax) {
            throw new CodecException(name, spec, "LZ4 block is " + bodyLength + " bytes, longer than the " + blockMax
                    + " LZ4 can produce for the " + innerLength + " bytes the header declares");
        }
        ensureScratch(innerMax);
        src.getBytes(srcOffset + HEADER_LENGTH, blockScratch, 0, bodyLength);
        int decoded;
        try {
            decoded = decompressor.decompress(blockScratch, 0, bodyLength, innerScratch, 0, innerLength);
        } catch (RuntimeException e) {
            // LZ4Exception for malformed blocks; any other runtime failure of the library on untrusted
            // bytes is a malformed payload too, and must reach the caller as one.
            throw new CodecException(name, spec, "corrupt LZ4 block: " + e.getMessage(), e);
        }
        if (decoded != innerLength) {
            throw new CodecException(name, spec, "LZ4 block decodes to " + decoded + " bytes, header declares "
                    + innerLength);
        }
        decodeInner(innerView, 0, innerLength, dst);
    }

    private void decodeInner(DirectBuffer src, int offset, int length, Tensor dst) throws CodecException {
        try {
            inner.decode(src, offset, length, dst);
        } catch (CodecException e) {
            throw new CodecException(name, dst.spec(), e.reason(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
