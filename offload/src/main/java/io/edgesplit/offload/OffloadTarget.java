package io.edgesplit.offload;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * Sends the request and waits on the calling thread for the outcome of
     * {@link #submit(OffloadRequest, long)}: for callers that would block on the future at once. A
     * transport may do the waiting work on the caller's thread (the native client reads its own
     * reply), which saves the thread hand-offs an asynchronous reply costs. Uninterruptible, like
     * {@link CompletableFuture#join()}; an interrupt is kept for the caller.
     *
     * <p>The default waits for {@code submit}'s future, and at most {@link #CALL_GRACE_NS} past the
     * deadline measured on {@link System#nanoTime()} (a target on another clock overrides this): a
     * target that breaks {@code submit}'s deadline contract then fails with
     * {@link OffloadTimeoutException} instead of blocking its caller.
     *
     * @return the result
     * @throws OffloadException what {@code submit}'s future would have completed with
     */
    default OffloadResult call(OffloadRequest request, long deadlineNs) throws OffloadException {
        return await(id(), submit(request, deadlineNs), deadlineNs - System.nanoTime() + CALL_GRACE_NS);
    }

    /**
     * Waits up to {@code timeoutNs} for an offload's future, uninterruptibly (an interrupt is kept),
     * and returns its result or throws what it failed with; when the time runs out the future is
     * failed with {@link OffloadTimeoutException} and that is thrown. For {@link #call} implementations.
     */
    static OffloadResult await(String targetId, CompletableFuture<OffloadResult> f, long timeoutNs)
            throws OffloadException {
        boolean interrupted = false;
        long end = System.nanoTime() + Math.max(0, timeoutNs);
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    f.completeExceptionally(new OffloadTimeoutException(targetId
                            + ": no outcome from the target by its deadline"));
                } catch (ExecutionException e) {
                    throw OffloadException.propagate(targetId, e.getCause());
                } catch (java.util.concurrent.CancellationException e) {
                    throw new OffloadException(targetId + ": request cancelled", false, e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * How long past the deadline the default {@link #call} waits for a target that did not end the
     * request itself (see {@link io.edgesplit.offload.resilience.ResilientTarget}'s backstop).
     */
    long CALL_GRACE_NS = 20_000_000L;

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
