package io.edgesplit.offload.resilience;

/**
 * Typed events of a {@link ResilientTarget}, for metrics and logs. Every method has an empty default,
 * and the chain calls a shared no-op instance when nobody listens, so events cost nothing then.
 * Called on whatever thread the event happens on: keep implementations quick and non-blocking.
 */
public interface OffloadEventListener {

    /** Listens to nothing. */
    OffloadEventListener NONE = new OffloadEventListener() {
    };

    /** An attempt on the target failed. */
    default void onAttemptFailed(String targetId, int attempt, Throwable cause) {
    }

    /** Another attempt follows after {@code backoffNs}. */
    default void onRetry(String targetId, int nextAttempt, long backoffNs) {
    }

    /** The target's circuit breaker changed state. */
    default void onCircuitStateChange(String targetId, CircuitBreaker.State from, CircuitBreaker.State to) {
    }

    /** The request goes to the local fallback. */
    default void onFallback(String targetId, Throwable cause) {
    }
}
