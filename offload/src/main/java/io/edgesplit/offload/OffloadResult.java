package io.edgesplit.offload;

import io.edgesplit.tensor.Tensor;
import java.util.List;

/**
 * The outcome of an {@link OffloadTarget#submit}: the tail's outputs (owned by the caller, in
 * freshly allocated direct memory) and where the time and bytes went. Immutable.
 *
 * <p>Times are nanoseconds; -1 means unknown (an Open Inference Protocol server that does not
 * report its queue and compute time). {@link #local()} is true when the fallback ran the request on
 * this device; then the network figures are those of the failed attempts (or 0).
 */
public final class OffloadResult {

    private final List<Tensor> outputs;
    private final String targetId;
    private final long queueNs;
    private final long computeNs;
    private final long roundTripNs;
    private final long bytesSent;
    private final long bytesReceived;
    private final int batchSize;
    private final int attempts;
    private final boolean local;
    private final Throwable fallbackCause;

    private OffloadResult(Builder b) {
        this.outputs = io.edgesplit.common.Lists.copyOf(b.outputs);
        this.targetId = b.targetId;
        this.queueNs = b.queueNs;
        this.computeNs = b.computeNs;
        this.roundTripNs = b.roundTripNs;
        this.bytesSent = b.bytesSent;
        this.bytesReceived = b.bytesReceived;
        this.batchSize = b.batchSize;
        this.attempts = b.attempts;
        this.local = b.local;
        this.fallbackCause = b.fallbackCause;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.outputs = outputs;
        b.targetId = targetId;
        b.queueNs = queueNs;
        b.computeNs = computeNs;
        b.roundTripNs = roundTripNs;
        b.bytesSent = bytesSent;
        b.bytesReceived = bytesReceived;
        b.batchSize = batchSize;
        b.attempts = attempts;
        b.local = local;
        b.fallbackCause = fallbackCause;
        return b;
    }

    /** The tail's outputs in its output order. */
    public List<Tensor> outputs() {
        return outputs;
    }

    /** {@link OffloadTarget#id()} of the target that answered ("local" for the fallback). */
    public String targetId() {
        return targetId;
    }

    /** Time the request waited in the server's queue, as the server measured it; -1 if unknown. */
    public long queueNs() {
        return queueNs;
    }

    /** Time the server spent decoding, invoking the tail and encoding; -1 if unknown. */
    public long computeNs() {
        return computeNs;
    }

    /** From the start of writing the request to the end of reading the reply, on this device. */
    public long roundTripNs() {
        return roundTripNs;
    }

    /** Network time: round trip minus the server's queue and compute time (when known). */
    public long networkNs() {
        return queueNs < 0 || computeNs < 0 ? roundTripNs : Math.max(0, roundTripNs - queueNs - computeNs);
    }

    /** Bytes written for the request (frame or HTTP body; headers of TLS/TCP not counted). */
    public long bytesSent() {
        return bytesSent;
    }

    /** Bytes read for the reply. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** How many requests the server ran back to back with this one (1 = alone). */
    public int batchSize() {
        return batchSize;
    }

    /** Attempts made on the target (1 without retries); 0 when the circuit was open. */
    public int attempts() {
        return attempts;
    }

    /** True when the fallback computed this result on the device. */
    public boolean local() {
        return local;
    }

    /** Why the fallback ran, or null. */
    public Throwable fallbackCause() {
        return fallbackCause;
    }

    @Override
    public String toString() {
        return "OffloadResult{target=" + targetId + (local ? " (fallback: " + fallbackCause + ")" : "") + ", queueNs="
                + queueNs + ", computeNs=" + computeNs + ", roundTripNs=" + roundTripNs + ", sent=" + bytesSent
                + ", received=" + bytesReceived + ", attempts=" + attempts + '}';
    }

    /** Builder for {@link OffloadResult}. */
    public static final class Builder {
        private List<Tensor> outputs = java.util.Collections.emptyList();
        private String targetId = "";
        private long queueNs = -1;
        private long computeNs = -1;
        private long roundTripNs;
        private long bytesSent;
        private long bytesReceived;
        private int batchSize = 1;
        private int attempts = 1;
        private boolean local;
        private Throwable fallbackCause;

        private Builder() {
        }

        public Builder outputs(List<Tensor> outputs) {
            this.outputs = outputs;
            return this;
        }

        public Builder targetId(String targetId) {
            this.targetId = targetId;
            return this;
        }

        public Builder queueNs(long v) {
            this.queueNs = v;
            return this;
        }

        public Builder computeNs(long v) {
            this.computeNs = v;
            return this;
        }

        public Builder roundTripNs(long v) {
            this.roundTripNs = v;
            return this;
        }

        public Builder bytesSent(long v) {
            this.bytesSent = v;
            return this;
        }

        public Builder bytesReceived(long v) {
            this.bytesReceived = v;
            return this;
        }

        public Builder batchSize(int v) {
            this.batchSize = v;
            return this;
        }

        public Builder attempts(int v) {
            this.attempts = v;
            return this;
        }

        /** Marks the result as computed by the fallback because of {@code cause}. */
        public Builder local(Throwable cause) {
            this.local = true;
            this.fallbackCause = cause;
            return this;
        }

        public OffloadResult build() {
            return new OffloadResult(this);
        }
    }
}
