package io.edgesplit.offload.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.offload.testing.ServerMain;
import io.edgesplit.offload.testing.SlowEngine;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain on real sockets with real TensorFlow Lite on both sides: a server killed with
 * SIGKILL mid-stream and a server that stalls. Every request must complete with the right outputs,
 * remotely or through the local fallback, exactly once, by its deadline.
 */
class FaultToleranceTest {

    private static final long MS = 1_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static List<Tensor> crossing;
    private static List<Tensor> expected;

    @BeforeAll
    static void setUp() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        crossing = split.crossing(11);
        expected = split.tailOutputs(crossing);
    }

    @AfterAll
    static void tearDown() {
        split.close();
    }

    /** The local fallback the tests use: the same tail, in a local TensorFlow Lite session. */
    private static final class LocalTail implements LocalFallback {
        final AtomicInteger runs = new AtomicInteger();
        private Session session;

        @Override
        public synchronized OffloadResult run(OffloadRequest request, Throwable cause) {
            runs.incrementAndGet();
            if (session == null) {
                session = split.tail.newSession();
            }
            for (int i = 0; i < request.inputs().size(); i++) {
                session.setInput(i, request.inputs().get(i));
            }
            session.run();
            List<Tensor> outputs = new ArrayList<>();
            for (int i = 0; i < session.outputCount(); i++) {
                Tensor copy = Tensor.allocate(session.output(i).spec());
                copy.copyFrom(session.output(i));
                outputs.add(copy);
            }
            return OffloadResult.builder().targetId("local").outputs(outputs).local(cause).build();
        }

        synchronized void close() {
            if (session != null) {
                session.close();
            }
        }
    }

    private static NativeOffloadClient client(int port, int pingMs) {
        return NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port).plaintext().connections(2)
                .connectTimeoutMs(500).pingIntervalMs(pingMs).build());
    }

    private static final ExecutorService CALLERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blocking-caller");
        t.setDaemon(true);
        return t;
    });

    /**
     * The request through the chain's asynchronous {@code submit}, or through its blocking {@code call}
     * made on a thread of its own (as an app thread would), seen as a future either way.
     */
    private static CompletableFuture<OffloadResult> send(ResilientTarget target, OffloadRequest request, long deadlineNs,
            boolean blocking) {
        if (!blocking) {
            return target.submit(request, deadlineNs);
        }
        CompletableFuture<OffloadResult> f = new CompletableFuture<>();
        CALLERS.execute(() -> {
            try {
                f.complete(target.call(request, deadlineNs));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @ParameterizedTest(name = "blocking call={0}")
    @ValueSource(booleans = {false, true})
    void everyRequestCompletesWhenTheServerIsKilledMidStream(boolean blocking) throws Exception {
        LocalTail local = new LocalTail();
        ServerMain.Child server = ServerMain.spawn(pkg.directory());
        ResilientTarget target = ResilientTarget.builder(client(server.port, 200)).fallback(local, 30 * MS)
                .retry(RetryConfig.builder().maxAttempts(2).initialBackoffMs(5).build()).build();
        int streams = 4;
        int perStream = 40;
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger remote = new AtomicInteger();
        AtomicInteger completions = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        try (target) {
            for (int s = 0; s < streams; s++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perStream; i++) {
                        long deadline = System.nanoTime() + 1500 * MS;
                        CompletableFuture<OffloadResult> f = send(target, split.request(crossing, "raw"), deadline, blocking);
                        f.whenComplete((r, e) -> completions.incrementAndGet());
                        try {
                            OffloadResult r = f.get(5, TimeUnit.SECONDS);
                            long late = System.nanoTime() - deadline;
                            if (late > 0) {
                                problems.add("completed " + late / 1000 + " us after its deadline: " + r);
                            }
                            if (!expected.get(0).contentEquals(r.outputs().get(0))) {
                                problems.add("wrong outputs from " + r);
                            }
                            if (!r.local()) {
                                remote.incrementAndGet();
                            }
                        } catch (Exception e) {
                            problems.add("request failed: " + e);
                        }
                        if (started.incrementAndGet() == streams * perStream / 3) {
                            killed.countDown();
                        }
                    }
                }, "stream-" + s);
                threads.add(t);
                t.start();
            }
            assertTrue(killed.await(60, TimeUnit.SECONDS));
            server.kill();
            for (Thread t : threads) {
                t.join(60_000);
            }
        } finally {
            server.kill();
            local.close();
        }
        assertEquals(List.of(), new ArrayList<>(problems));
        assertEquals(streams * perStream, completions.get(), "each request completed exactly once");
        assertTrue(remote.get() >= streams * perStream / 3 - streams, "the server answered until it died: " + remote);
        assertTrue(local.runs.get() >= streams * perStream / 2, "the rest ran locally: " + local.runs);
    }

    @ParameterizedTest(name = "blocking call={0}")
    @ValueSource(booleans = {false, true})
    void aStalledServerMakesRequestsTimeOutAtTheirDeadlineAndFallBack(boolean blocking) throws Exception {
        SlowEngine engine = new SlowEngine(0);
        LocalTail local = new LocalTail();
        try (EdgeServer server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                        .plaintext().allowAnonymous().rateLimit(RateLimit.UNLIMITED).workers(1).drainTimeoutMs(0)
                        .engine(engine, EngineOptions.defaults()).build(), List.of(pkg));
                ResilientTarget target = ResilientTarget.builder(client(server.nativePort(), 0)).fallback(local, 150 * MS)
                        .circuitBreaker(CircuitBreakerConfig.builder().minimumCalls(10).build()).build()) {
            assertTrue(!target.submit(split.request(crossing, "raw"), System.nanoTime() + 5000 * MS).get(5, TimeUnit.SECONDS)
                    .local(), "healthy first");
            local.run(split.request(crossing, "raw"), null); // warm the local session, as a runtime would
            local.runs.set(0);
            engine.stall();
            List<CompletableFuture<OffloadResult>> futures = new ArrayList<>();
            List<Long> deadlines = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long deadline = System.nanoTime() + 400 * MS;
                deadlines.add(deadline);
                futures.add(send(target, split.request(crossing, "raw"), deadline, blocking));
            }
            for (int i = 0; i < futures.size(); i++) {
                OffloadResult r = futures.get(i).get(5, TimeUnit.SECONDS);
                long doneNs = System.nanoTime();
                assertTrue(r.local(), "fell back: " + r);
                OffloadTimeoutException timeout = assertInstanceOf(OffloadTimeoutException.class, r.fallbackCause());
                // the client's own timeout, not the chain's backstop: it says what was sent and how long it waited
                assertTrue(timeout.bytesSent() > 1000, "request " + i + ": " + timeout.getMessage() + ", bytes sent: "
                        + timeout.bytesSent());
                assertTrue(timeout.waitedNs() > 200 * MS && timeout.waitedNs() < 260 * MS, "waited "
                        + timeout.waitedNs() / 1000 + " us of the 250 ms the reserve leaves");
                assertTrue(expected.get(0).contentEquals(r.outputs().get(0)));
                assertTrue(doneNs - deadlines.get(i) < 0, "request " + i + " completed "
                        + (doneNs - deadlines.get(i)) / 1000 + " us after its deadline");
            }
            assertEquals(5, local.runs.get());
            engine.release(); // the stalled tail answers late: the client drops those replies
            OffloadResult after = target.submit(split.request(crossing, "raw"), System.nanoTime() + 5000 * MS)
                    .get(5, TimeUnit.SECONDS);
            assertTrue(expected.get(0).contentEquals(after.outputs().get(0)));
            assertTrue(!after.local(), "the server answers again once released: " + after);
            assertEquals(5, local.runs.get(), "no request was answered twice");
        } finally {
            engine.release();
            local.close();
        }
    }
}
