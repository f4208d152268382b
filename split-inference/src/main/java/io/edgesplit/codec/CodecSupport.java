package io.edgesplit.codec;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Checks and the raw passthrough shared by the codecs. */
final class CodecSupport {

    /** Largest payload a codec produces; keeps every size computation within int range. */
    static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 64;

    private CodecSupport() {
    }

    /** True when the lossy codecs (fp16, int8, int8c) transform this tensor; else they pass it through. */
    static boolean isLossyTarget(TensorSpec spec) {
        return spec.dataType() == DataType.FP32;
    }

    /** The tensor's byte size as an int, or an IllegalArgumentException naming codec and tensor. */
    static int byteSize(String codec, TensorSpec spec) {
        long size = spec.byteSize();
        if (size < 0) {
            throw new IllegalArgumentException(codec + ": tensor '" + spec.name() + "': " + spec.dataType()
                    + " tensors have no fixed size and cannot be encoded");
        }
        return checkedPayload(codec, spec, size);
    }

    static int checkedPayload(String codec, TensorSpec spec, long payloadBytes) {
        if (payloadBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(codec + ": tensor '" + spec.name() + "' " + spec.shapeAndType()
                    + " needs a " + payloadBytes + "-byte payload, above the 2 GiB limit");
        }
        return (int) payloadBytes;
    }

    /** Rejects a destination that cannot hold {@code needed} bytes from {@code offset}. */
    static void requireCapacity(String codec, TensorSpec spec, MutableDirectBuffer dst, int offset, int needed) {
        if (offset < 0) {
            throw new IllegalArgumentException(codec + ": dstOffset must be >= 0, was " + offset);
        }
        if (!dst.isExpandable() && dst.capacity() - offset < needed) {
            throw new IllegalArgumentException(codec + ": tensor '" + spec.name() + "' " + spec.shapeAndType()
                    + " needs up to " + needed + " bytes at offset " + offset + ", the buffer has "
                    + Math.max(0, dst.capacity() - offset) + " there (size buffers with maxEncodedLength)");
        }
    }

    /** Rejects a source range outside the buffer: a caller bug, not a malformed payload. */
    static void requireRange(String codec, DirectBuffer src, int offset, int length) {
        if (offset < 0 || length < 0 || offset > src.capacity() - length) {
            throw new IllegalArgumentException(codec + ": payload range [" + offset + ", " + offset + "+" + length
                    + ") lies outside the " + src.capacity() + "-byte source buffer");
        }
    }

    /** Copies the tensor's bytes as they are (raw codec, and every passthrough). */
    static int encodeRaw(String codec, Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats stats,
            boolean passthrough) {
        int n = byteSize(codec, src.spec());
        requireCapacity(codec, src.spec(), dst, dstOffset, n);
        dst.putBytes(dstOffset, src.data(), 0, n);
        if (stats != null) {
            stats.start(n, src.elementCount(), passthrough);
            stats.encodedBytes(n);
        }
        return n;
    }

    /** Copies a raw payload into the tensor after checking its length. */
    static void decodeRaw(String codec, DirectBuffer src, int srcOffset, int length, Tensor dst)
            throws CodecException {
        int n = byteSize(codec, dst.spec());
        if (length != n) {
            throw new CodecException(codec, dst.spec(), "payload is " + length + " bytes, expected " + n
                    + " (the tensor's raw bytes)");
        }
        dst.data().putBytes(0, src, srcOffset, n);
    }

    /** Number of channels of the last axis (NHWC channels); 1 for a scalar. */
    static int lastAxisChannels(TensorSpec spec) {
        return spec.rank() == 0 ? 1 : spec.dim(spec.rank() - 1);
    }

    static boolean isFinite(float v) {
        return v >= -Float.MAX_VALUE && v <= Float.MAX_VALUE;
    }
}
