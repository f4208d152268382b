package io.edgesplit.engine;

/**
 * How an {@link InferenceEngine} builds interpreters: thread count, whether the XNNPACK CPU
 * delegate is applied, and the largest model it accepts. Immutable; build with {@link #builder()}.
 */
public final class EngineOptions {

    /** Default upper bound on a model's size: 512 MiB, far above any edge model. */
    public static final long DEFAULT_MAX_MODEL_BYTES = 512L << 20;

    private static final EngineOptions DEFAULTS = builder().build();

    private final int threads;
    private final boolean xnnpack;
    private final long maxModelBytes;

    private EngineOptions(Builder b) {
        this.threads = b.threads;
        this.xnnpack = b.xnnpack;
        this.maxModelBytes = b.maxModelBytes;
    }

    /** One thread, XNNPACK on, 512 MiB model limit. */
    public static EngineOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().threads(threads).xnnpack(xnnpack).maxModelBytes(maxModelBytes);
    }

    /** Threads each interpreter may use for one inference. */
    public int threads() {
        return threads;
    }

    /** Whether TensorFlow Lite's default XNNPACK delegate is applied to the operators it supports. */
    public boolean xnnpack() {
        return xnnpack;
    }

    /** Models larger than this are refused before any memory is allocated for them. */
    public long maxModelBytes() {
        return maxModelBytes;
    }

    @Override
    public String toString() {
        return "EngineOptions{threads=" + threads + ", xnnpack=" + xnnpack + ", maxModelBytes=" + maxModelBytes + '}';
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngineOptions)) {
            return false;
        }
        EngineOptions e = (EngineOptions) o;
        return threads == e.threads && xnnpack == e.xnnpack && maxModelBytes == e.maxModelBytes;
    }

    @Override
    public int hashCode() {
        return (threads * 31 + (xnnpack ? 1 : 0)) * 31 + Long.hashCode(maxModelBytes);
    }

    /** Builder for {@link EngineOptions}; every setter validates its value. */
    public static final class Builder {
        private int threads = 1;
        private boolean xnnpack = true;
        private long maxModelBytes = DEFAULT_MAX_MODEL_BYTES;

        private Builder() {
        }

        /** Threads per inference, 1 to 64. Default 1. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads: must be between 1 and 64, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Apply the XNNPACK delegate. Default true. */
        public Builder xnnpack(boolean xnnpack) {
            this.xnnpack = xnnpack;
            return this;
        }

        /** Largest model accepted, in bytes. Default 512 MiB. */
        public Builder maxModelBytes(long maxModelBytes) {
            if (maxModelBytes < 8 || maxModelBytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxModelBytes: must be between 8 and " + Integer.MAX_VALUE
                        + ", was " + maxModelBytes);
            }
            this.maxModelBytes = maxModelBytes;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
