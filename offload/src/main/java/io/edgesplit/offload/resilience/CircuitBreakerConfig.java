package io.edgesplit.offload.resilience;

/**
 * When a target's circuit opens and for how long: over a sliding window of the last calls, once
 * at least {@code minimumCalls} were recorded and the failure rate reaches the threshold, the circuit
 * opens; after {@code openDuration} it lets {@code halfOpenCalls} trial calls through, closing again
 * if they all succeed. Failures are timeouts, connection failures and server errors; a server's
 * fast "busy" is neither a failure nor a success. Immutable; build with {@link #builder()}.
 */
public final class CircuitBreakerConfig {

    /** Window 20 calls, at least 5, 50% failures, open 5 s, 2 trial calls. */
    public static final CircuitBreakerConfig DEFAULT = builder().build();

    private final int windowSize;
    private final int minimumCalls;
    private final double failureRateThreshold;
    private final long openDurationNs;
    private final int halfOpenCalls;

    private CircuitBreakerConfig(Builder b) {
        this.windowSize = b.windowSize;
        this.minimumCalls = b.minimumCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.openDurationNs = b.openDurationNs;
        this.halfOpenCalls = b.halfOpenCalls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int windowSize() {
        return windowSize;
    }

    public int minimumCalls() {
        return minimumCalls;
    }

    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    public long openDurationNs() {
        return openDurationNs;
    }

    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /** Builder; each setter validates its value, {@link #build()} the combination. */
    public static final class Builder {
        private int windowSize = 20;
        private int minimumCalls = 5;
        private double failureRateThreshold = 0.5;
        private long openDurationNs = 5_000_000_000L;
        private int halfOpenCalls = 2;

        private Builder() {
        }

        /** Calls remembered, 1..1000. Default 20. */
        public Builder windowSize(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("windowSize: must be 1..1000, was " + n);
            }
            this.windowSize = n;
            return this;
        }

        /** Calls needed before the rate is judged. Default 5. */
        public Builder minimumCalls(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("minimumCalls: must be >= 1, was " + n);
            }
            this.minimumCalls = n;
            return this;
        }

        /** Failure rate (0..1] at which the circuit opens. Default 0.5. */
        public Builder failureRateThreshold(double rate) {
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("failureRateThreshold: must be in (0, 1], was " + rate);
            }
            this.failureRateThreshold = rate;
            return this;
        }

        /** Time the circuit stays open before trial calls, in ms. Default 5000. */
        public Builder openDurationMs(long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("openDurationMs: must be >= 1, was " + ms);
            }
            this.openDurationNs = ms * 1_000_000L;
            return this;
        }

        /** Trial calls in the half-open state. Default 2. */
        public Builder halfOpenCalls(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("halfOpenCalls: must be >= 1, was " + n);
            }
            this.halfOpenCalls = n;
            return this;
        }

        public CircuitBreakerConfig build() {
            if (minimumCalls > windowSize) {
                throw new IllegalArgumentException("minimumCalls: " + minimumCalls + " is larger than windowSize "
                        + windowSize);
            }
            return new CircuitBreakerConfig(this);
        }
    }
}
