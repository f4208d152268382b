package io.edgesplit.offload.resilience;

/**
 * How failed attempts are retried: exponential backoff with jitter, only for retryable failures
 * ({@code OffloadException.retryable()}) and only while the next attempt still fits before the
 * deadline. Immutable; build with {@link #builder()}.
 */
public final class RetryConfig {

    /** 3 attempts, 10 ms first backoff doubling up to 200 ms, jitter 50%, 5 ms minimum attempt budget. */
    public static final RetryConfig DEFAULT = builder().build();

    /** One attempt, no retries. */
    public static final RetryConfig NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final long initialBackoffNs;
    private final double multiplier;
    private final long maxBackoffNs;
    private final double jitter;
    private final long minAttemptNs;

    private RetryConfig(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoffNs = b.initialBackoffNs;
        this.multiplier = b.multiplier;
        this.maxBackoffNs = b.maxBackoffNs;
        this.jitter = b.jitter;
        this.minAttemptNs = b.minAttemptNs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long initialBackoffNs() {
        return initialBackoffNs;
    }

    public double multiplier() {
        return multiplier;
    }

    public long maxBackoffNs() {
        return maxBackoffNs;
    }

    public double jitter() {
        return jitter;
    }

    public long minAttemptNs() {
        return minAttemptNs;
    }

    /**
     * The backoff before attempt {@code nextAttempt} (2 for the first retry): {@code initial *
     * multiplier^(nextAttempt-2)} capped at the maximum, then reduced by a random fraction of up to
     * {@code jitter} (so that clients failing together do not retry together).
     *
     * @param random01 a uniform random number in [0, 1)
     */
    public long backoffNs(int nextAttempt, double random01) {
        double base = initialBackoffNs * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
        double capped = Math.min(base, maxBackoffNs);
        return (long) (capped * (1 - jitter * random01));
    }

    /** Builder; each setter validates its value. */
    public static final class Builder {
        private int maxAttempts = 3;
        private long initialBackoffNs = 10_000_000L;
        private double multiplier = 2.0;
        private long maxBackoffNs = 200_000_000L;
        private double jitter = 0.5;
        private long minAttemptNs = 5_000_000L;

        private Builder() {
        }

        /** Attempts including the first, 1..10. Default 3. */
        public Builder maxAttempts(int n) {
            if (n < 1 || n > 10) {
                throw new IllegalArgumentException("maxAttempts: must be 1..10, was " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Backoff before the first retry, in ms. Default 10. */
        public Builder initialBackoffMs(double ms) {
            if (!(ms >= 0)) {
                throw new IllegalArgumentException("initialBackoffMs: must be >= 0, was " + ms);
            }
            this.initialBackoffNs = (long) (ms * 1e6);
            return this;
        }

        /** Growth of the backoff per retry, 1..10. Default 2. */
        public Builder multiplier(double m) {
            if (!(m >= 1 && m <= 10)) {
                throw new IllegalArgumentException("multiplier: must be 1..10, was " + m);
            }
            this.multiplier = m;
            return this;
        }

        /** Upper bound of one backoff, in ms. Default 200. */
        public Builder maxBackoffMs(double ms) {
            if (!(ms >= 0)) {
                throw new IllegalArgumentException("maxBackoffMs: must be >= 0, was " + ms);
            }
            this.maxBackoffNs = (long) (ms * 1e6);
            return this;
        }

        /** Fraction of each backoff that is randomized away, 0..1. Default 0.5. */
        public Builder jitter(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("jitter: must be 0..1, was " + fraction);
            }
            this.jitter = fraction;
            return this;
        }

        /** A retry is made only if at least this much time (ms) remains after the backoff. Default 5. */
        public Builder minAttemptMs(double ms) {
            if (!(ms >= 0)) {
                throw new IllegalArgumentException("minAttemptMs: must be >= 0, was " + ms);
            }
            this.minAttemptNs = (long) (ms * 1e6);
            return this;
        }

        public RetryConfig build() {
            return new RetryConfig(this);
        }
    }
}
