package io.edgesplit.router;

/**
 * What the planner knows about the network and the servers at one moment, per target index of a
 * {@link CostTable} (index 0 is always the device itself). Implemented by immutable
 * {@link Estimates} snapshots and by live estimators; the planner only reads primitives, so asking
 * allocates nothing.
 */
public interface LinkConditions {

    /** Uplink bandwidth towards target {@code t}, bits per second. */
    double uplinkBitsPerSecond(int t);

    /** Downlink bandwidth from target {@code t}, bits per second. */
    double downlinkBitsPerSecond(int t);

    /** Round-trip time to target {@code t}, milliseconds. */
    double rttMillis(int t);

    /** Expected wait in target {@code t}'s queue before its tail runs, milliseconds. */
    double queueMillis(int t);

    /** Recent fraction of requests to {@code t} that failed (timeouts, refusals), 0..1. */
    double failureRate(int t);

    /** False when the target is known to be down (circuit open, server dead). */
    boolean available(int t);

    /** Time since the radio last carried data: decides whether a request pays a radio promotion, ms. */
    double radioIdleMillis();

    /** Expected time until the next request: how much of the radio's tail energy one request owns, ms. */
    double requestIntervalMillis();
}
