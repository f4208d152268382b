package io.edgesplit.codec;

/**
 * What one {@link TensorCodec#encode encode} did to one tensor: sizes before and after, and the error
 * of the reconstruction the decoder will produce. Mutable and reusable: pass the same instance to
 * every encode (each call overwrites it), so collecting statistics allocates nothing. Not
 * thread-safe.
 *
 * <p>Errors are absolute ({@code |decoded - original|}) over the finite elements of the tensor;
 * non-finite inputs (NaN, infinities) are counted in {@link #nonFiniteElements()} and left out of the
 * error, because each codec maps them to a documented value rather than approximating them.
 */
public final class CodecStats {

    private long rawBytes;
    private long encodedBytes;
    private long elements;
    private long nonFiniteElements;
    private double maxAbsError;
    private double sumAbsError;
    private boolean passthrough;

    /** Clears every figure, as before the first encode. */
    public void reset() {
        rawBytes = 0;
        encodedBytes = 0;
        elements = 0;
        nonFiniteElements = 0;
        maxAbsError = 0;
        sumAbsError = 0;
        passthrough = false;
    }

    /** Size of the tensor's data. */
    public long rawBytes() {
        return rawBytes;
    }

    /** Size of the payload the codec wrote, headers included. */
    public long encodedBytes() {
        return encodedBytes;
    }

    /** Number of elements in the tensor. */
    public long elements() {
        return elements;
    }

    /** Elements that were NaN or infinite in the input; they are not part of the error figures. */
    public long nonFiniteElements() {
        return nonFiniteElements;
    }

    /**
     * Largest {@code |decoded - original|} over the finite elements; 0 for lossless encodings,
     * {@code Infinity} when a finite value overflows the target format (FP16 above 65504).
     */
    public double maxAbsError() {
        return maxAbsError;
    }

    /** Mean {@code |decoded - original|} over the finite elements (0 when there are none). */
    public double meanAbsError() {
        long finite = elements - nonFiniteElements;
        return finite == 0 ? 0 : sumAbsError / finite;
    }

    /**
     * True when a lossy codec sent the tensor's bytes unchanged because it does not apply to the
     * tensor's type (8-bit quantized tensors and every type other than FP32).
     */
    public boolean passthrough() {
        return passthrough;
    }

    /** {@code rawBytes / encodedBytes}: above 1 when the payload is smaller than the tensor. */
    public double ratio() {
        return encodedBytes == 0 ? 1.0 : (double) rawBytes / encodedBytes;
    }

    // --- filled by the codecs ---------------------------------------------------------------------

    void start(long rawBytes, long elements, boolean passthrough) {
        reset();
        this.rawBytes = rawBytes;
        this.elements = elements;
        this.passthrough = passthrough;
    }

    void encodedBytes(long encodedBytes) {
        this.encodedBytes = encodedBytes;
    }

    /** Adds the error figures of a part of the tensor (one pass over a range of elements). */
    void addErrors(double maxAbsError, double sumAbsError, long nonFiniteElements) {
        if (maxAbsError > this.maxAbsError || Double.isNaN(maxAbsError)) {
            this.maxAbsError = maxAbsError;
        }
        this.sumAbsError += sumAbsError;
        this.nonFiniteElements += nonFiniteElements;
    }

    @Override
    public String toString() {
        return "CodecStats{rawBytes=" + rawBytes + ", encodedBytes=" + encodedBytes + ", ratio="
                + String.format(java.util.Locale.ROOT, "%.2f", ratio()) + ", elements=" + elements
                + ", nonFinite=" + nonFiniteElements + ", maxAbsError=" + maxAbsError + ", meanAbsError="
                + meanAbsError() + (passthrough ? ", passthrough" : "") + "}";
    }
}
