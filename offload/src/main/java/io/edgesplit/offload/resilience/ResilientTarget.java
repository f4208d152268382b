package io.edgesplit.offload.resilience;

import io.edgesplit.offload.CircuitOpenException;
import io.edgesplit.offload.OffloadException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.ServerBusyException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * An {@link OffloadTarget} wrapped in the fault-tolerance chain, in this fixed order (outermost
 * first):
 *
 * <ol>
 *   <li><b>fallback</b>: any failure (or an open circuit, or running out of offload time) hands the
 *       request to the {@link LocalFallback} on the fallback executor, at most once;</li>
 *   <li><b>retry</b>: retryable failures are tried again after a jittered exponential backoff while
 *       the next attempt still fits ({@link RetryConfig});</li>
 *   <li><b>circuit breaker</b>: one per target; when open, attempts fail at once
 *       ({@link CircuitBreakerConfig});</li>
 *   <li><b>time limit</b>: every attempt ends by {@code deadline - fallbackReserve}, so the fallback
 *       starts early enough to finish by the deadline; the attempt's in-flight request is cancelled
 *       (a late reply is dropped). The target enforces that deadline itself (its timeout says what
 *       it sent and how long it waited); the chain's own timer ends the attempt 20 ms later if the
 *       target breaks that contract;</li>
 *   <li>then the target itself: codec and transport (for example
 *       {@link io.edgesplit.offload.client.NativeOffloadClient}).</li>
 * </ol>
 *
 * <p>Guarantees: the returned future completes exactly once; the fallback runs at most once; with a
 * fallback whose run time fits in {@code fallbackReserve} and a target that keeps its deadline,
 * every request completes by its deadline, remotely or locally. Thread-safe. Closing it closes the wrapped target and the executors it owns.
 */
public final class ResilientTarget implements OffloadTarget {

    /**
     * How long after the offload deadline the chain's own timer ends an attempt the target did not
     * end. Targets enforce the deadline they are given ({@link OffloadTarget#submit}'s contract), and
     * their timeout is the informative one (bytes sent, time waited); the chain's timer is a backstop
     * for a target that breaks the contract, late enough not to race one that keeps it on a loaded
     * machine (timer threads wake late, a first timeout runs cold code).
     */
    static final long BACKSTOP_GRACE_NS = OffloadTarget.CALL_GRACE_NS;

    private final OffloadTarget target;
    private final RetryConfig retry;
    private final CircuitBreaker breaker;
    private final ToLongFunction<OffloadRequest> fallbackReserveNs;
    private final LocalFallback fallback;
    private final Executor fallbackExecutor;
    private final ScheduledExecutorService scheduler;
    private final NanoClock clock;
    private final DoubleSupplier random;
    private final OffloadEventListener listener;
    private final ExecutorService ownedFallbackExecutor;
    private final boolean ownsScheduler;

    private ResilientTarget(Builder b) {
        this.target = b.target;
        this.retry = b.retry;
        this.clock = b.clock;
        this.listener = b.listener;
        this.breaker = new CircuitBreaker(b.breaker, b.clock, b.target.id(), b.listener);
        this.fallbackReserveNs = b.fallbackReserveNs;
        this.fallback = b.fallback;
        this.random = b.random;
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownsScheduler = false;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "edgesplit-resilience-" + b.target.id());
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            this.ownsScheduler = true;
        }
        if (b.fallbackExecutor != null) {
            this.fallbackExecutor = b.fallbackExecutor;
            this.ownedFallbackExecutor = null;
        } else {
            this.ownedFallbackExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "edgesplit-fallback-" + b.target.id());
                t.setDaemon(true);
                return t;
            });
            this.fallbackExecutor = ownedFallbackExecutor;
        }
    }

    /** A builder wrapping {@code target}. */
    public static Builder builder(OffloadTarget target) {
        return new Builder(target);
    }

    @Override
    public String id() {
        return target.id();
    }

    /** This target's breaker (for state queries and tests). */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    @Override
    public CompletableFuture<OffloadResult> submit(OffloadRequest request, long deadlineNs) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<OffloadResult> result = new CompletableFuture<>();
        Call call = new Call(request, deadlineNs, result);
        call.attempt(1);
        return result;
    }

    /**
     * The blocking form of {@link #submit}: the same chain in the same order, run on the calling
     * thread, which waits through the wrapped target's own {@link OffloadTarget#call} (the native
     * client reads its reply on this thread: no hand-off, no timer), sleeps through backoffs and runs
     * the fallback itself. The same guarantees: one outcome, the fallback at most once, the offload
     * ending by {@code deadline - fallbackReserve}. Uninterruptible; an interrupt is kept.
     *
     * @throws OffloadException only when there is no fallback (the last failure) or the fallback
     *     failed too (its failure, or an {@code OffloadException} wrapping a checked one, with the
     *     offload's failure suppressed)
     */
    @Override
    public OffloadResult call(OffloadRequest request, long deadlineNs) throws OffloadException {
        Objects.requireNonNull(request, "request");
        Call call = new Call(request, deadlineNs, null);
        boolean interrupted = false;
        try {
            for (int n = 1;; n++) {
                call.attempts = n;
                Throwable cause = call.refusal(n);
                int made = n - 1;
                if (cause == null) {
                    try {
                        OffloadResult r = target.call(request, call.offloadDeadlineNs);
                        breaker.onSuccess();
                        return n == 1 ? r : r.toBuilder().attempts(n).build();
                    } catch (OffloadException | RuntimeException e) {
                        call.attemptFailed(n, e);
                        long backoff = call.retryBackoffNs(n, e);
                        if (backoff >= 0) {
                            listener.onRetry(id(), n + 1, backoff);
                            interrupted |= sleep(backoff);
                            continue;
                        }
                        cause = e;
                        made = n;
                    }
                }
                return call.fallBackHere(cause, made);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sleeps {@code ns} on the clock's time scale, uninterruptibly; true when interrupted meanwhile. */
    private boolean sleep(long ns) {
        boolean interrupted = false;
        long end = clock.nanoTime() + ns;
        for (long left = ns; left > 0; left = end - clock.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, left);
            interrupted |= Thread.interrupted();
        }
        return interrupted;
    }

    /**
     * Connects the wrapped target ({@link OffloadTarget#connect()}). Outside the chain: a failure to
     * connect is not a request's failure, so it neither counts towards the circuit breaker nor
     * triggers a retry or the fallback.
     */
    @Override
    public CompletableFuture<Void> connect() {
        return target.connect();
    }

    /** The state of one request through the chain. */
    private final class Call {
        final OffloadRequest request;
        final long deadlineNs;
        final long reserveNs;
        final long offloadDeadlineNs;
        final CompletableFuture<OffloadResult> result;
        final AtomicBoolean fallenBack = new AtomicBoolean();
        volatile int attempts;

        Call(OffloadRequest request, long deadlineNs, CompletableFuture<OffloadResult> result) {
            this.request = request;
            this.deadlineNs = deadlineNs;
            this.reserveNs = fallbackReserveNs.applyAsLong(request);
            if (reserveNs < 0) {
                throw new IllegalStateException("fallback reserve for " + request + " is negative: " + reserveNs + " ns");
            }
            this.offloadDeadlineNs = deadlineNs - reserveNs;
            this.result = result;
        }

        /** Retry layer: one attempt through breaker, time limit and target. */
        void attempt(int n) {
            attempts = n;
            long now = clock.nanoTime();
            Throwable refused = refusal(n);
            if (refused != null) {
                fallBack(refused, n - 1);
                return;
            }
            // time limit
            CompletableFuture<OffloadResult> attempt;
            try {
                attempt = target.submit(request, offloadDeadlineNs);
            } catch (RuntimeException e) {
                attempt = new CompletableFuture<>(); // failedFuture is Java 9, not Android 26
                attempt.completeExceptionally(e);
            }
            CompletableFuture<OffloadResult> a = attempt;
            // A backstop: the target enforces the deadline itself, as OffloadTarget's contract says, and its
            // timeout says what it sent; this one ends the attempt of a target that does not
            ScheduledFuture<?> timer = scheduler.schedule(() -> a.completeExceptionally(new OffloadTimeoutException(id()
                    + ": no reply within the offload part of the deadline")), offloadDeadlineNs - now + BACKSTOP_GRACE_NS,
                    TimeUnit.NANOSECONDS);
            attempt.whenComplete((r, e) -> {
                timer.cancel(false);
                if (e == null) {
                    breaker.onSuccess();
                    result.complete(n == 1 ? r : r.toBuilder().attempts(n).build());
                    return;
                }
                Throwable cause = unwrap(e);
                attemptFailed(n, cause);
                retryOrFallBack(n, cause);
            });
        }

        /**
         * Why attempt {@code n} may not be made (no offload time left, or the circuit is open; else
         * null, with the breaker's permit taken).
         */
        Throwable refusal(int n) {
            if (offloadDeadlineNs - clock.nanoTime() <= 0) {
                return new OffloadTimeoutException(id() + ": no time left for offloading ("
                        + reserveNs / 1_000_000 + " ms reserved for the local fallback)");
            }
            if (!breaker.tryAcquire()) {
                return new CircuitOpenException(id() + ": circuit open, not sending");
            }
            return null;
        }

        /** The breaker and the listener learn of a failed attempt. */
        void attemptFailed(int n, Throwable cause) {
            if (cause instanceof ServerBusyException) {
                breaker.release();
            } else {
                breaker.onFailure();
            }
            listener.onAttemptFailed(id(), n, cause);
        }

        /** The backoff before attempt {@code n + 1}, or -1 when the chain should fall back instead. */
        long retryBackoffNs(int n, Throwable cause) {
            boolean retryable = cause instanceof OffloadException && ((OffloadException) cause).retryable();
            if (!retryable || n >= retry.maxAttempts()) {
                return -1;
            }
            long backoff = retry.backoffNs(n + 1, random.getAsDouble());
            if (cause instanceof ServerBusyException) {
                backoff = Math.max(backoff, Math.min(((ServerBusyException) cause).retryAfterNs(), retry.maxBackoffNs()));
            }
            if (clock.nanoTime() + backoff + retry.minAttemptNs() - offloadDeadlineNs > 0) {
                return -1;
            }
            return backoff;
        }

        void retryOrFallBack(int n, Throwable cause) {
            long backoff = retryBackoffNs(n, cause);
            if (backoff < 0) {
                fallBack(cause, n);
                return;
            }
            listener.onRetry(id(), n + 1, backoff);
            if (backoff <= 0) {
                attempt(n + 1);
            } else {
                scheduler.schedule(() -> attempt(n + 1), backoff, TimeUnit.NANOSECONDS);
            }
        }

        /** Fallback layer: at most once. */
        void fallBack(Throwable cause, int attemptsMade) {
            if (!fallenBack.compareAndSet(false, true)) {
                return;
            }
            if (fallback == null) {
                result.completeExceptionally(cause);
                return;
            }
            listener.onFallback(id(), cause);
            try {
                fallbackExecutor.execute(() -> {
                    try {
                        result.complete(runFallback(cause, attemptsMade));
                    } catch (Throwable t) {
                        t.addSuppressed(cause);
                        result.completeExceptionally(t);
                    }
                });
            } catch (RuntimeException e) {
                e.addSuppressed(cause);
                result.completeExceptionally(e);
            }
        }

        /** The fallback's result, marked local with {@code cause}. */
        OffloadResult runFallback(Throwable cause, int attemptsMade) throws Exception {
            OffloadResult local = fallback.run(request, cause);
            if (local == null) {
                throw new IllegalStateException("the local fallback returned null");
            }
            OffloadResult.Builder b = local.toBuilder().attempts(attemptsMade);
            if (!local.local()) {
                b.local(cause);
            }
            return b.build();
        }

        /** {@link #call}'s fallback layer: runs the fallback on this thread, or throws. */
        OffloadResult fallBackHere(Throwable cause, int attemptsMade) throws OffloadException {
            if (fallback == null) {
                throw OffloadException.propagate(id(), cause);
            }
            listener.onFallback(id(), cause);
            try {
                return runFallback(cause, attemptsMade);
            } catch (Exception | Error t) {
                t.addSuppressed(cause);
                throw OffloadException.propagate(id(), t);
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public boolean carriesCodec(String codecName) {
        return target.carriesCodec(codecName);
    }

    @Override
    public void close() {
        target.close();
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownedFallbackExecutor != null) {
            ownedFallbackExecutor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ResilientTarget{" + target + ", " + breaker + '}';
    }

    /** Builder; {@link #build()} checks the combination. */
    public static final class Builder {
        private final OffloadTarget target;
        private RetryConfig retry = RetryConfig.DEFAULT;
        private CircuitBreakerConfig breaker = CircuitBreakerConfig.DEFAULT;
        private ToLongFunction<OffloadRequest> fallbackReserveNs = r -> 0;
        private LocalFallback fallback;
        private Executor fallbackExecutor;
        private ScheduledExecutorService scheduler;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private DoubleSupplier random = new Random()::nextDouble;
        private OffloadEventListener listener = OffloadEventListener.NONE;

        private Builder(OffloadTarget target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Retry policy. Default {@link RetryConfig#DEFAULT}. */
        public Builder retry(RetryConfig retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Circuit breaker policy. Default {@link CircuitBreakerConfig#DEFAULT}. */
        public Builder circuitBreaker(CircuitBreakerConfig config) {
            this.breaker = Objects.requireNonNull(config, "circuitBreaker");
            return this;
        }

        /**
         * The local fallback and the time it needs, in ns: offload attempts end by {@code deadline -
         * reserveNs} so that it can still finish by the deadline. Without a fallback, failures complete
         * the request exceptionally.
         */
        public Builder fallback(LocalFallback fallback, long reserveNs) {
            if (reserveNs < 0) {
                throw new IllegalArgumentException("reserveNs: must be >= 0, was " + reserveNs);
            }
            return fallback(fallback, r -> reserveNs);
        }

        /**
         * The local fallback and, per request, the time it needs in ns (for example the local run time
         * of the request's model variant, which differs by width): offload attempts end by {@code
         * deadline - reserve(request)}. The function runs on the submitting thread once per request
         * and must not return a negative value.
         */
        public Builder fallback(LocalFallback fallback, ToLongFunction<OffloadRequest> reserveNs) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            this.fallbackReserveNs = Objects.requireNonNull(reserveNs, "reserveNs");
            return this;
        }

        /** Where the fallback runs. Default: a single thread owned by the target. */
        public Builder fallbackExecutor(Executor executor) {
            this.fallbackExecutor = Objects.requireNonNull(executor, "fallbackExecutor");
            return this;
        }

        /** Timers for time limits and backoffs. Default: a single daemon thread owned by the target. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The clock deadlines refer to. Default {@code System.nanoTime()}. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Source of jitter, uniform in [0, 1). Default {@code new Random()}; seed it in tests. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder listener(OffloadEventListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ResilientTarget build() {
            return new ResilientTarget(this);
        }
    }
}
