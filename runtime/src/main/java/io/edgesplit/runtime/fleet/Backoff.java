package io.edgesplit.runtime.fleet;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * [0, min(max, initial * 2^n)]. The randomness spreads a fleet that lost its broker at the same
 * moment, so the broker is not hit by every client at once when it returns (Paho's own reconnect
 * uses one fixed schedule for every client). The random source is injected for tests.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    /**
     * @param random uniform values in [0, 1)
     */
    public Backoff(long initialMillis, long maxMillis, DoubleSupplier random) {
        if (initialMillis < 1) {
            throw new IllegalArgumentException("initialMillis: must be >= 1, was " + initialMillis);
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("maxMillis: must be >= initialMillis (" + initialMillis + "), was "
                    + maxMillis);
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = java.util.Objects.requireNonNull(random, "random");
    }

    /** The cap of attempt {@code attempt} (0-based) before jitter. */
    public long capMillis(int attempt) {
        double cap = initialMillis * Math.pow(2, Math.min(attempt, 30));
        return (long) Math.min(maxMillis, cap);
    }

    /** The delay before attempt {@code attempt} (0-based), milliseconds. */
    public long delayMillis(int attempt) {
        return (long) (random.getAsDouble() * capMillis(attempt));
    }

    public long initialMillis() {
        return initialMillis;
    }

    public long maxMillis() {
        return maxMillis;
    }
}
