package io.edgesplit.offload.resilience;

import org.agrona.concurrent.NanoClock;

/**
 * One target's circuit breaker (count-based sliding window), see {@link CircuitBreakerConfig}.
 * Thread-safe.
 */
public final class CircuitBreaker {

    /** Breaker states. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final CircuitBreakerConfig config;
    private final NanoClock clock;
    private final String targetId;
    private final OffloadEventListener listener;
    private final boolean[] window;
    private int next;
    private int recorded;
    private int failures;
    private State state = State.CLOSED;
    private long openUntilNs;
    private int trialsLeft;
    private int trialSuccesses;

    CircuitBreaker(CircuitBreakerConfig config, NanoClock clock, String targetId, OffloadEventListener listener) {
        this.config = config;
        this.clock = clock;
        this.targetId = targetId;
        this.listener = listener;
        this.window = new boolean[config.windowSize()];
    }

    public synchronized State state() {
        return state;
    }

    /** True when a call may go through now (takes a trial slot when half-open). */
    synchronized boolean tryAcquire() {
        if (state == State.OPEN) {
            if (clock.nanoTime() - openUntilNs < 0) {
                return false;
            }
            transition(State.HALF_OPEN);
            trialsLeft = config.halfOpenCalls();
            trialSuccesses = 0;
        }
        if (state == State.HALF_OPEN) {
            if (trialsLeft == 0) {
                return false;
            }
            trialsLeft--;
        }
        return true;
    }

    /** Gives back a permit that was not used for a call. */
    synchronized void release() {
        if (state == State.HALF_OPEN) {
            trialsLeft++;
        }
    }

    synchronized void onSuccess() {
        if (state == State.HALF_OPEN) {
            if (++trialSuccesses >= config.halfOpenCalls()) {
                reset();
                transition(State.CLOSED);
            }
            return;
        }
        record(false);
    }

    synchronized void onFailure() {
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        if (state == State.CLOSED) {
            record(true);
            if (recorded >= config.minimumCalls() && failures >= config.failureRateThreshold() * recorded) {
                open();
            }
        }
    }

    private void record(boolean failure) {
        if (recorded == window.length) {
            if (window[next]) {
                failures--;
            }
        } else {
            recorded++;
        }
        window[next] = failure;
        if (failure) {
            failures++;
        }
        next = (next + 1) % window.length;
    }

    private void open() {
        openUntilNs = clock.nanoTime() + config.openDurationNs();
        reset();
        transition(State.OPEN);
    }

    private void reset() {
        next = 0;
        recorded = 0;
        failures = 0;
    }

    private void transition(State to) {
        State from = state;
        state = to;
        if (from != to) {
            listener.onCircuitStateChange(targetId, from, to);
        }
    }

    @Override
    public synchronized String toString() {
        return "CircuitBreaker{" + targetId + ", " + state + ", " + failures + "/" + recorded + " failed}";
    }
}
