package io.edgesplit.offload.protocol;

/**
 * Upper bounds every receiver checks before it allocates or reads anything a frame describes.
 * Immutable; {@link #DEFAULT} suits MobileNet-class splits (the largest crossing tensor of
 * MobileNetV2 in FP32 is 4.8 MB).
 */
public final class FrameLimits {

    /** Tensors per frame (the protocol's hard maximum). */
    public static final int MAX_TENSORS = 16;

    /** Rank of a tensor (the protocol's hard maximum: the descriptor has 8 dimension slots). */
    public static final int MAX_RANK = TensorSection.MAX_RANK;

    /** Longest deadline a request may carry: one hour, in nanoseconds. */
    public static final long MAX_TIMEOUT_NS = 3_600_000_000_000L;

    /** 16 MiB frames, 16 tensors. */
    public static final FrameLimits DEFAULT = new FrameLimits(16 << 20, MAX_TENSORS);

    private final int maxFrameBytes;
    private final int maxTensors;

    private FrameLimits(int maxFrameBytes, int maxTensors) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxTensors = maxTensors;
    }

    /**
     * Limits with this frame size and tensor count.
     *
     * @param maxFrameBytes largest INFER_REQUEST / INFER_RESPONSE frame, header included, 4 KiB to 1 GiB
     * @param maxTensors tensors per frame, 1 to {@link #MAX_TENSORS}
     */
    public static FrameLimits of(int maxFrameBytes, int maxTensors) {
        if (maxFrameBytes < 4096 || maxFrameBytes > (1 << 30)) {
            throw new IllegalArgumentException("maxFrameBytes: must be between 4096 and " + (1 << 30) + ", was "
                    + maxFrameBytes);
        }
        if (maxTensors < 1 || maxTensors > MAX_TENSORS) {
            throw new IllegalArgumentException("maxTensors: must be between 1 and " + MAX_TENSORS + ", was "
                    + maxTensors);
        }
        return new FrameLimits(maxFrameBytes, maxTensors);
    }

    /** Largest tensor-carrying frame in bytes, header included. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public int maxTensors() {
        return maxTensors;
    }

    /** Largest frame of {@code type} in bytes. */
    public int maxLength(FrameType type) {
        return type.maxLength() < 0 ? maxFrameBytes : type.maxLength();
    }

    @Override
    public String toString() {
        return "FrameLimits{maxFrameBytes=" + maxFrameBytes + ", maxTensors=" + maxTensors + '}';
    }
}
