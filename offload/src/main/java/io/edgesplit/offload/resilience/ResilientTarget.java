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
    static final long BACKSTOP_GRACE_NS = 20_000_000L;

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
            if (offloadDeadlineNs - now <= 0) {
                fallBack(new OffloadTimeoutException(id() + ": no time left for offloading ("
                        + reserveNs / 1_000_000 + " ms reserved for the local fallback)"), n - 1);
                return;
            }
            // circuit breaker
            if (!breaker.tryAcquire()) {
                fallBack(new CircuitOpenException(id() + ": circuit open, not sending"), n - 1);
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
                if (cause instanceof ServerBusyException) {
                    breaker.release();
                } else {
                    breaker.onFailure();
                }
                listener.onAttemptFailed(id(), n, cause);
                retryOrFallBack(n, cause);
            });
        }

        void retryOrFallBack(int n, Throwable cause) {
            boolean retryable = cause instanceof OffloadException && ((OffloadException) cause).retryable();
            if (!retryable || n >= retry.maxAttempts()) {
                fallBack(cause, n);
                return;
            }
            long backoff = retry.backoffNs(n + 1, random.getAsDouble());
            if (cause instanceof ServerBusyException) {
                backoff = Math.max(backoff, Math.min(((ServerBusyException) cause).retryAfterNs(), retry.maxBackoffNs()));
            }
            long now = clock.nanoTime();
            if (now + backoff + retry.minAttemptNs() - offloadDeadlineNs > 0) {
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
                        OffloadResult local = fallback.run(request, cause);
                        if (local == null) {
                            throw new IllegalStateException("the local fallback returned null");
                        }
                        OffloadResult.Builder b = local.toBuilder().attempts(attemptsMade);
                        if (!local.local()) {
                            b.local(cause);
                        }
                        result.complete(b.build());
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
