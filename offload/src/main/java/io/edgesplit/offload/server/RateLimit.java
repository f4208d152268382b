package io.edgesplit.offload.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-client token bucket: each client id may make {@link #requestsPerSecond()} requests per
 * second on average and {@link #burst()} at once. Shared by the native and the HTTP face. Thread-safe.
 */
@ServerOnly
public final class RateLimit {

    /** No limit. */
    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    private final double requestsPerSecond;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimit(double requestsPerSecond, int burst) {
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    /**
     * @param requestsPerSecond sustained rate per client, > 0
     * @param burst requests a client may make at once after being idle, >= 1
     */
    public static RateLimit perClient(double requestsPerSecond, int burst) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond: must be a finite number > 0, was " + requestsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: must be >= 1, was " + burst);
        }
        return new RateLimit(requestsPerSecond, burst);
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    public int burst() {
        return burst;
    }

    public boolean unlimited() {
        return requestsPerSecond == 0;
    }

    /**
     * Takes one token for {@code clientId} at time {@code nowNs}.
     *
     * @return 0 when allowed, else the nanoseconds until a token is available
     */
    long acquire(String clientId, long nowNs) {
        if (unlimited()) {
            return 0;
        }
        Bucket b = buckets.computeIfAbsent(clientId, k -> new Bucket(burst, nowNs));
        synchronized (b) {
            double refill = (nowNs - b.lastNs) * requestsPerSecond / 1e9;
            b.tokens = Math.min(burst, b.tokens + refill);
            b.lastNs = nowNs;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b.tokens) * 1e9 / requestsPerSecond);
        }
    }

    @Override
    public String toString() {
        return unlimited() ? "unlimited" : requestsPerSecond + " req/s per client, burst " + burst;
    }

    @ServerOnly

    private static final class Bucket {
        double tokens;
        long lastNs;

        Bucket(double tokens, long lastNs) {
            this.tokens = tokens;
            this.lastNs = lastNs;
        }
    }
}
