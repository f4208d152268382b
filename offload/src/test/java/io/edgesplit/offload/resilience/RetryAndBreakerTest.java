package io.edgesplit.offload.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.offload.CircuitOpenException;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chain's policies against a scripted target: which failures are retried, when, and when the circuit opens. */
class RetryAndBreakerTest {

    private static final OffloadRequest REQUEST = OffloadRequest.builder().segmentSha256("0f".repeat(32))
            .inputs(Tensor.allocate(TensorSpec.of("x", DataType.FP32, 1, 2))).build();
    private static final OffloadResult OK = OffloadResult.builder().targetId("scripted").build();

    /** Answers each submit with the next scripted outcome (immediately). */
    private static final class Scripted implements OffloadTarget {
        final Deque<Supplier<CompletableFuture<OffloadResult>>> script = new ArrayDeque<>();
        final List<Long> submitTimesNs = new ArrayList<>();
        final List<Long> deadlinesNs = new ArrayList<>();

        Scripted then(Throwable failure) {
            script.add(() -> CompletableFuture.failedFuture(failure));
            return this;
        }

        Scripted thenOk() {
            script.add(() -> CompletableFuture.completedFuture(OK));
            return this;
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public synchronized CompletableFuture<OffloadResult> submit(OffloadRequest request, long deadlineNs) {
            submitTimesNs.add(System.nanoTime());
            deadlinesNs.add(deadlineNs);
            Supplier<CompletableFuture<OffloadResult>> next = script.poll();
            return next == null ? new CompletableFuture<>() : next.get();
        }

        @Override
        public void close() {
        }
    }

    /** The chain's two forms: every policy must hold for both. */
    enum Form {
        SUBMIT {
            @Override
            OffloadResult run(ResilientTarget t, long deadlineNs) throws Exception {
                try {
                    return t.submit(REQUEST, deadlineNs).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                }
            }
        },
        CALL {
            @Override
            OffloadResult run(ResilientTarget t, long deadlineNs) throws Exception {
                return t.call(REQUEST, deadlineNs);
            }
        };

        /** The request's result, or what it failed with (unwrapped). */
        abstract OffloadResult run(ResilientTarget t, long deadlineNs) throws Exception;
    }

    private static ConnectionException lost() {
        return new ConnectionException("lost", true, null);
    }

    private static long in(long ms) {
        return System.nanoTime() + ms * 1_000_000L;
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void retriesRetryableFailuresWithGrowingJitteredBackoff(Form form) throws Exception {
        Scripted target = new Scripted().then(lost()).then(lost()).thenOk();
        RetryConfig retry = RetryConfig.builder().maxAttempts(3).initialBackoffMs(20).multiplier(2).jitter(0.5).build();
        try (ResilientTarget t = ResilientTarget.builder(target).retry(retry).random(() -> 0.5).build()) {
            OffloadResult r = form.run(t, in(5000));
            assertEquals(3, r.attempts());
            long first = target.submitTimesNs.get(1) - target.submitTimesNs.get(0);
            long second = target.submitTimesNs.get(2) - target.submitTimesNs.get(1);
            assertTrue(first >= 15_000_000L && first < 15_000_000L + 50_000_000L, "20 ms * (1 - 0.5 * 0.5): " + first);
            assertTrue(second >= 30_000_000L, "doubled: " + second);
        }
        assertEquals(15_000_000L, retry.backoffNs(2, 0.5));
        assertEquals(40_000_000L, retry.backoffNs(3, 0.0));
        assertEquals(20_000_000L, retry.backoffNs(3, 1.0), "jitter takes away at most half");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void doesNotRetryWhatCannotSucceed(Form form) {
        OffloadRejectedException notFound = new OffloadRejectedException(StatusCode.NOT_FOUND, "no such segment");
        Scripted target = new Scripted().then(notFound).thenOk();
        try (ResilientTarget t = ResilientTarget.builder(target).build()) {
            assertSame(notFound, assertThrows(OffloadRejectedException.class, () -> form.run(t, in(5000))));
            assertEquals(1, target.submitTimesNs.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void doesNotRetryWhenTheNextAttemptWouldNotFitBeforeTheDeadline(Form form) throws Exception {
        Scripted target = new Scripted().then(lost()).thenOk();
        RetryConfig retry = RetryConfig.builder().initialBackoffMs(200).jitter(0).build();
        AtomicInteger fallbacks = new AtomicInteger();
        try (ResilientTarget t = ResilientTarget.builder(target).retry(retry)
                .fallback((r, cause) -> {
                    fallbacks.incrementAndGet();
                    assertInstanceOf(ConnectionException.class, cause);
                    return OffloadResult.builder().targetId("local").build();
                }, 0).build()) {
            OffloadResult r = form.run(t, in(100));
            assertTrue(r.local());
            assertEquals(1, fallbacks.get());
            assertEquals(1, target.submitTimesNs.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void busyIsRetriedAfterTheServersHintAndDoesNotCountAgainstTheBreaker(Form form) throws Exception {
        Scripted target = new Scripted();
        for (int i = 0; i < 5; i++) {
            target.then(new ServerBusyException(StatusCode.BUSY, "busy", 30_000_000L));
        }
        target.thenOk();
        RetryConfig retry = RetryConfig.builder().maxAttempts(6).initialBackoffMs(1).build();
        CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().minimumCalls(2).windowSize(4).build();
        try (ResilientTarget t = ResilientTarget.builder(target).retry(retry).circuitBreaker(breaker).build()) {
            long t0 = System.nanoTime();
            OffloadResult r = form.run(t, in(5000));
            assertEquals(6, r.attempts());
            assertTrue(System.nanoTime() - t0 >= 5 * 30_000_000L, "waited the hinted 30 ms each time");
            assertEquals(CircuitBreaker.State.CLOSED, t.circuitBreaker().state());
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void theCircuitOpensAfterFailuresThenLetsTrialCallsThroughAndCloses(Form form) throws Exception {
        Scripted target = new Scripted();
        for (int i = 0; i < 4; i++) {
            target.then(lost());
        }
        target.thenOk().thenOk();
        List<String> transitions = new ArrayList<>();
        CircuitBreakerConfig breaker = CircuitBreakerConfig.builder().windowSize(4).minimumCalls(4)
                .failureRateThreshold(0.5).openDurationMs(150).halfOpenCalls(2).build();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        org.agrona.concurrent.NanoClock clock = now::get;
        try (ResilientTarget t = ResilientTarget.builder(target).retry(RetryConfig.NONE).circuitBreaker(breaker).clock(clock)
                .listener(new OffloadEventListener() {
                    @Override
                    public void onCircuitStateChange(String id, CircuitBreaker.State from, CircuitBreaker.State to) {
                        transitions.add(from + "->" + to);
                    }
                })
                .fallback((r, cause) -> OffloadResult.builder().targetId("local").local(cause).build(), 0).build()) {
            for (int i = 0; i < 4; i++) {
                assertInstanceOf(ConnectionException.class, form.run(t, now.get() + 5_000_000_000L).fallbackCause());
            }
            assertEquals(CircuitBreaker.State.OPEN, t.circuitBreaker().state());
            OffloadResult skipped = form.run(t, now.get() + 5_000_000_000L);
            assertInstanceOf(CircuitOpenException.class, skipped.fallbackCause());
            assertEquals(0, skipped.attempts(), "not sent while open");
            assertEquals(4, target.submitTimesNs.size());
            now.addAndGet(100_000_000L);
            assertInstanceOf(CircuitOpenException.class, form.run(t, now.get() + 5_000_000_000L).fallbackCause(), "still open before the open duration has passed");
            now.addAndGet(60_000_000L); // the open duration (150 ms) has passed on the injected clock
            assertTrue(!form.run(t, now.get() + 5_000_000_000L).local());
            assertTrue(!form.run(t, now.get() + 5_000_000_000L).local());
            assertEquals(CircuitBreaker.State.CLOSED, t.circuitBreaker().state());
            assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"), transitions);
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aFailingFallbackFailsTheRequestOnceWithBothCauses(Form form) {
        Scripted target = new Scripted().then(new OffloadRejectedException(StatusCode.INTERNAL, "boom"));
        IllegalStateException local = new IllegalStateException("local engine failed too");
        try (ResilientTarget t = ResilientTarget.builder(target).retry(RetryConfig.NONE)
                .fallback((r, cause) -> {
                    throw local;
                }, 0).build()) {
            assertSame(local, assertThrows(IllegalStateException.class, () -> form.run(t, in(5000))));
            assertInstanceOf(OffloadRejectedException.class, local.getSuppressed()[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void anAttemptThatNeverAnswersEndsJustAfterTheOffloadDeadlineAndFallsBackInTime(Form form) throws Exception {
        Scripted target = new Scripted(); // never answers
        try (ResilientTarget t = ResilientTarget.builder(target)
                .fallback((r, cause) -> OffloadResult.builder().targetId("local").build(), 40_000_000L).build()) {
            long t0 = System.nanoTime();
            OffloadResult r = form.run(t, t0 + 120_000_000L);
            long took = System.nanoTime() - t0;
            assertTrue(r.local());
            assertInstanceOf(io.edgesplit.offload.OffloadTimeoutException.class, r.fallbackCause());
            assertEquals(t0 + 80_000_000L, target.deadlinesNs.get(0), "the target is told deadline - reserve");
            assertTrue(took >= 80_000_000L + ResilientTarget.BACKSTOP_GRACE_NS && took < 120_000_000L,
                    "a target that ignores its deadline is ended by the chain's backstop soon after: " + took);
        }
    }

    @org.junit.jupiter.api.Test
    void theBlockingCallRunsTheFallbackOnTheCallersThreadAndKeepsItsInterrupt() throws Exception {
        Scripted target = new Scripted().then(new OffloadRejectedException(StatusCode.INTERNAL, "boom"));
        List<Thread> ranOn = new ArrayList<>();
        try (ResilientTarget t = ResilientTarget.builder(target).retry(RetryConfig.NONE)
                .fallback((r, cause) -> {
                    ranOn.add(Thread.currentThread());
                    return OffloadResult.builder().targetId("local").build();
                }, 0).build()) {
            Thread.currentThread().interrupt();
            OffloadResult r = t.call(REQUEST, in(5000));
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept (and cleared here)");
            assertTrue(r.local());
            assertEquals(List.of(Thread.currentThread()), ranOn, "no hand-off to the fallback executor");
        }
    }
}
