package io.edgesplit.offload;

import java.util.concurrent.CompletableFuture;

/**
 * Somewhere a tail segment can run: an edge server over the native protocol
 * ({@link io.edgesplit.offload.client.NativeOffloadClient}), a cloud server over the Open Inference
 * Protocol v2 ({@link io.edgesplit.offload.oip.OipV2Client}), or a decorated chain of either built by
 * {@link io.edgesplit.offload.resilience.ResilientTarget} (fallback, retry, circuit breaker, timeout).
 * Thread-safe; closing it releases its connections and fails what is still in flight.
 */
public interface OffloadTarget extends AutoCloseable {

    /** A stable name for logs, metrics and breaker events, e.g. {@code "edge-1@10.0.0.5:7443"}. */
    String id();

    /**
     * Sends the request and completes with the tail's outputs, or exceptionally with an
     * {@link OffloadException} subclass. Never blocks on the network: connecting, writing and waiting
     * happen off the caller's thread or within bounded socket buffers.
     *
     * @param request the crossing tensors and what to run them through; its tensors must stay
     *     unchanged until the returned future completes (the caller owns them)
     * @param deadlineNs the absolute deadline on the target's {@code NanoClock} (by default
     *     {@link System#nanoTime()}): the request fails with {@link OffloadTimeoutException} if no
     *     answer has arrived by then, and the server is told how much time is left
     */
    CompletableFuture<OffloadResult> submit(OffloadRequest request, long deadlineNs);

    /**
     * Prepares what requests need before the first one is sent: for a network transport the
     * connection, its TLS handshake and the protocol's authentication, so that the first request
     * pays only its own round trip instead of those handshakes within its deadline. Requests work
     * without it (they connect on demand); it moves that cost off the request path. Never blocks:
     * connecting happens off the caller's thread. A failure here is not a request's failure: it
     * counts towards nothing (no retry, no circuit breaker).
     *
     * @return completes when a request can be sent without connecting first, or exceptionally with
     *     an {@link OffloadException} (typically {@link ConnectionException}) when the target cannot
     *     be reached; the default has nothing to prepare and completes at once
     */
    default CompletableFuture<Void> connect() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Whether this target can carry crossing tensors encoded with {@code codecName}: the planner only
     * plans with codecs the target carries, so a plan's predicted bytes are the bytes that travel. The
     * native protocol carries every codec; the Open Inference Protocol carries tensors as they are
     * ({@code raw} only).
     */
    default boolean carriesCodec(String codecName) {
        return true;
    }

    /** Releases connections and threads; in-flight requests fail with {@link ConnectionException}. */
    @Override
    void close();
}
