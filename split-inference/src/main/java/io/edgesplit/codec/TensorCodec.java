package io.edgesplit.codec;

import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a crossing tensor (produced by the head on the device) into a wire payload and decodes
 * that payload into the tail's input tensor on the server. Create instances by name with
 * {@link Codecs#create(String)}; the layout of each codec's payload is documented on
 * {@link Codecs}.
 *
 * <p><b>Not thread-safe:</b> a codec holds reusable scratch memory, so use one instance per session
 * or connection. After the first call for a given tensor spec, {@link #encode} and {@link #decode}
 * allocate nothing: scratch buffers are sized once and grow only when a larger tensor appears. The
 * one exception is the compressing half of the {@code +lz4} stage, see {@link Codecs}.
 *
 * <p>The payload carries no tensor description: both sides know the crossing tensor's spec (from the
 * model package manifest and the frame header) and pass it in, as the source tensor when encoding
 * and as the destination tensor when decoding. Whether a lossy codec applies to a tensor follows
 * from that spec alone.
 */
public interface TensorCodec {

    /** The registered name, e.g. {@code "int8+lz4"}; it identifies the codec on the wire. */
    String name();

    /**
     * Upper bound of {@link #encode}'s result for a tensor of this spec, for sizing the caller's
     * buffers.
     *
     * @throws IllegalArgumentException when the spec has no fixed size (BYTES) or its payload would
     *     not fit in 2 GiB
     */
    int maxEncodedLength(TensorSpec spec);

    /**
     * Encodes {@code src} into {@code dst} starting at {@code dstOffset}, little-endian.
     *
     * @param statsOrNull when not null, overwritten with this encode's sizes and the error of the
     *     reconstruction the decoder will produce (computed inline, so it costs only when asked for)
     * @return the number of bytes written
     * @throws IllegalArgumentException when {@code dst} (unless expandable) has fewer than
     *     {@link #maxEncodedLength} bytes from {@code dstOffset}, or the tensor type has no fixed size
     */
    int encode(Tensor src, MutableDirectBuffer dst, int dstOffset, CodecStats statsOrNull);

    /**
     * Decodes {@code length} bytes of {@code src} at {@code srcOffset} into {@code dst}, which has the
     * crossing tensor's spec. Every length and count read from the payload is checked against
     * {@code dst}'s spec before anything is copied or allocated.
     *
     * @throws CodecException naming the codec, the tensor and the reason when the payload is
     *     malformed (wrong length, header field out of range, corrupt compressed data); no other
     *     exception escapes for malformed input
     * @throws IllegalArgumentException when {@code srcOffset}/{@code length} lie outside {@code src}
     */
    void decode(DirectBuffer src, int srcOffset, int length, Tensor dst) throws CodecException;
}
