package io.edgesplit.router;

import java.util.Locale;

/**
 * One way to run one inference: where (target), at which width (variant), cut where (split point)
 * and with which codec for the crossing tensors, with the costs that do not depend on the network.
 * Plans are created once per {@link CostTable} and shared; immutable.
 */
public final class Plan {

    private final int entry;
    private final Target target;
    private final int targetIndex;
    private final String variantId;
    private final double width;
    private final String splitId;
    private final String codec;
    private final int headOperators;
    private final boolean fullLocal;
    private final boolean sendsRawInput;
    private final String headSegment;
    private final String tailSegment;

    Plan(int entry, Target target, int targetIndex, String variantId, double width, String splitId, String codec,
            int headOperators, boolean fullLocal, boolean sendsRawInput, String headSegment, String tailSegment) {
        this.entry = entry;
        this.target = target;
        this.targetIndex = targetIndex;
        this.variantId = variantId;
        this.width = width;
        this.splitId = splitId;
        this.codec = codec;
        this.headOperators = headOperators;
        this.fullLocal = fullLocal;
        this.sendsRawInput = sendsRawInput;
        this.headSegment = headSegment;
        this.tailSegment = tailSegment;
    }

    /** Index of this plan in its cost table. */
    public int entry() {
        return entry;
    }

    public Target target() {
        return target;
    }

    public int targetIndex() {
        return targetIndex;
    }

    public String variantId() {
        return variantId;
    }

    public double width() {
        return width;
    }

    public String splitId() {
        return splitId;
    }

    /** Codec of the crossing tensors ("raw" for local plans, which send nothing). */
    public String codec() {
        return codec;
    }

    /** Operators run on the device before anything is sent. */
    public int headOperators() {
        return headOperators;
    }

    public boolean isLocal() {
        return fullLocal;
    }

    /** True when the plan sends the raw input (full offload). */
    public boolean sendsRawInput() {
        return sendsRawInput;
    }

    /** SHA-256 of the segment run on the device, or null for full offload. */
    public String headSegment() {
        return headSegment;
    }

    /** SHA-256 of the segment run on the target, or null for local plans. */
    public String tailSegment() {
        return tailSegment;
    }

    /** "local w1.00", "edge:x86 w0.50 s012 int8". */
    public String describe() {
        if (fullLocal) {
            return "local " + variantId;
        }
        return String.format(Locale.ROOT, "%s %s %s %s", target, variantId, splitId.substring(splitId.indexOf('/') + 1),
                codec);
    }

    @Override
    public String toString() {
        return describe();
    }
}
