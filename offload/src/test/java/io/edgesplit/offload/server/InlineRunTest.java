package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.EngineOptions;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.testing.SlowEngine;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run to completion when idle: a lone connection's request for a tail with a known, short compute
 * estimate runs on the I/O thread that received it, holding one of the workers' slots; real sockets,
 * real TensorFlow Lite (wrapped in {@link SlowEngine} to see which thread ran it and to stall runs).
 */
class InlineRunTest {

    private static final long SECOND_NS = 1_000_000_000L;
    private static final long MS_NS = 1_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;

    @BeforeAll
    static void build() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
    }

    @AfterAll
    static void close() {
        if (split != null) {
            split.close();
        }
    }

    private static long in(long ns) {
        return System.nanoTime() + ns;
    }

    private static OffloadResult infer(NativeOffloadClient client, List<Tensor> crossing) throws Exception {
        return client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + 10 * SECOND_NS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting until " + what);
            Thread.sleep(2);
        }
    }

    @Test
    void aLoneClientsRequestRunsOnTheIoThreadAndIsAnsweredCorrectly() throws Exception {
        SlowEngine engine = new SlowEngine(0);
        List<Tensor> crossing = split.crossing(11);
        List<Tensor> expected = split.tailOutputs(crossing);
        try (EdgeServer server = EdgeServer.start(NativeServerTest.plain().engine(engine, EngineOptions.defaults()).build(),
                List.of(pkg)); NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            infer(client, crossing);
            assertEquals(0, server.load().inline(), "an unseen tail has no estimate: its first run is a worker's");
            assertTrue(engine.lastRunThread().startsWith("edgesplit-worker-"), engine.lastRunThread());
            for (int i = 0; i < 3; i++) {
                OffloadResult r = infer(client, crossing);
                assertTrue(expected.get(0).contentEquals(r.outputs().get(0)), "output of run " + i);
                assertEquals(0, r.queueNs(), "an inline run never queued: " + r);
                assertTrue(r.computeNs() > 0, r.toString());
                assertEquals(1, r.batchSize(), r.toString());
                assertTrue(engine.lastRunThread().startsWith("edgesplit-io-"), engine.lastRunThread());
            }
            // the reply goes out before the run is counted
            await(() -> server.load().running() == 0, "the last run is counted");
            ServerLoad load = server.load();
            assertEquals(3, load.inline(), load.toString());
            assertEquals(4, load.completed(), "inline runs are counted as completed: " + load);
        }
    }

    @Test
    void anotherConnectionOnTheSameIoThreadSendsRequestsToTheWorkers() throws Exception {
        SlowEngine engine = new SlowEngine(0);
        List<Tensor> crossing = split.crossing(12);
        List<Tensor> expected = split.tailOutputs(crossing);
        // two workers: one I/O thread, which every connection of either face shares
        EdgeServer server = EdgeServer.start(NativeServerTest.plain().httpPort(0).engine(engine, EngineOptions.defaults())
                .build(), List.of(pkg));
        try (server; NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            assertEquals(1, server.config().ioThreads());
            infer(client, crossing); // learns the estimate
            infer(client, crossing);
            assertEquals(1, server.load().inline(), "alone on its I/O thread: " + server.load());

            try (NativeOffloadClient other = NativeServerTest.client(server.nativePort(), 1)) {
                other.connect().get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    OffloadResult r = infer(client, crossing);
                    assertTrue(expected.get(0).contentEquals(r.outputs().get(0)));
                    assertTrue(engine.lastRunThread().startsWith("edgesplit-worker-"), engine.lastRunThread());
                }
                assertEquals(1, server.load().inline(), "another native client shares the I/O thread: " + server.load());
            }
            // once the other connection has closed, the first one is alone again
            await(() -> {
                try {
                    infer(client, crossing);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return server.load().inline() == 2;
            }, "the closed connection is no longer counted");

            try (Socket http = new Socket("127.0.0.1", server.httpPort())) {
                // an HTTP keep-alive connection on the same I/O thread: its requests must not wait either
                OutputStream out = http.getOutputStream();
                out.write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                http.setSoTimeout(10_000);
                InputStream is = http.getInputStream();
                byte[] head = new byte[12];
                assertEquals(12, is.readNBytes(head, 0, 12));
                assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
                for (int i = 0; i < 3; i++) {
                    infer(client, crossing);
                }
                assertEquals(2, server.load().inline(), "an HTTP client shares the I/O thread: " + server.load());
            }
        }
    }

    @Test
    void neverInlineWhenTurnedOffOrWhenTheTailIsSlowerThanTheBound() throws Exception {
        List<Tensor> crossing = split.crossing(13);
        try (EdgeServer server = EdgeServer.start(NativeServerTest.plain().inlineMaxMs(0).build(), List.of(pkg));
                NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            for (int i = 0; i < 4; i++) {
                infer(client, crossing);
            }
            assertEquals(0, server.load().inline(), server.load().toString());
            assertEquals(4, server.load().completed(), server.load().toString());
        }
        SlowEngine slow = new SlowEngine(30 * MS_NS); // 30 ms per run, over the default bound of 20 ms
        try (EdgeServer server = EdgeServer.start(NativeServerTest.plain().engine(slow, EngineOptions.defaults()).build(),
                List.of(pkg)); NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            assertEquals(20, server.config().inlineMaxMs(), "the default bound");
            for (int i = 0; i < 3; i++) {
                infer(client, crossing);
                assertTrue(slow.lastRunThread().startsWith("edgesplit-worker-"), slow.lastRunThread());
            }
            assertEquals(0, server.load().inline(), server.load().toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EdgeServerConfig.builder().inlineMaxMs(-1));
        assertTrue(e.getMessage().startsWith("inlineMaxMs: must be 0..1000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EdgeServerConfig.builder().inlineMaxMs(1001));
    }

    @Test
    void anInlineRunHoldsOneOfTheWorkersSlots() throws Exception {
        long runNs = 800 * MS_NS;
        SlowEngine engine = new SlowEngine(runNs);
        List<Tensor> crossing = split.crossing(14);
        List<Tensor> expected = split.tailOutputs(crossing);
        // one slot, two I/O threads: the second connection is alone on the other I/O thread, so
        // nothing but the slot count keeps its request from running beside the inline one
        EdgeServer server = EdgeServer.start(NativeServerTest.plain().workers(1).ioThreads(2).inlineMaxMs(1000)
                .engine(engine, EngineOptions.defaults()).build(), List.of(pkg));
        try (server; NativeOffloadClient a = NativeServerTest.client(server.nativePort(), 1);
                NativeOffloadClient b = NativeServerTest.client(server.nativePort(), 1)) {
            infer(a, crossing); // learns the estimate: ~800 ms
            b.connect().get(10, TimeUnit.SECONDS);
            engine.stall();
            CompletableFuture<OffloadResult> first = a.submit(split.request(crossing, "raw"), in(30 * SECOND_NS));
            await(() -> server.load().inline() == 1 && engine.runsNow() == 1, "the inline run has started");
            assertEquals(1, server.load().running(), server.load().toString());

            // admission sees the inline run: ~800 ms left of it plus ~800 ms of its own do not fit in 1.2 s
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> b.submit(split.request(crossing, "raw"), in(1200 * MS_NS)).get(10, TimeUnit.SECONDS));
            ServerBusyException busy = assertInstanceOf(ServerBusyException.class, refused.getCause());
            assertEquals(StatusCode.BUSY, busy.status());

            CompletableFuture<OffloadResult> second = b.submit(split.request(crossing, "raw"), in(30 * SECOND_NS));
            await(() -> server.load().queued() == 1, "the second connection's request is queued");
            Thread.sleep(200);
            ServerLoad load = server.load();
            assertEquals(1, load.running(), "the free worker thread does not take it: " + load);
            assertEquals(1, load.queued(), load.toString());
            assertEquals(1, engine.mostRunsAtOnce());
            assertFalse(first.isDone());
            assertFalse(second.isDone());

            engine.extraNs(0);
            engine.release();
            OffloadResult r1 = first.get(10, TimeUnit.SECONDS);
            OffloadResult r2 = second.get(10, TimeUnit.SECONDS);
            assertTrue(expected.get(0).contentEquals(r1.outputs().get(0)));
            assertTrue(expected.get(0).contentEquals(r2.outputs().get(0)));
            assertEquals(0, r1.queueNs(), r1.toString());
            assertTrue(r2.queueNs() > 200 * MS_NS, "waited for the inline run's slot: " + r2);
            assertEquals(1, engine.mostRunsAtOnce(), "never two tails at once with one slot");
            assertTrue(engine.lastRunThread().startsWith("edgesplit-worker-"), engine.lastRunThread());
            await(() -> server.load().running() == 0, "the last run is counted");
            assertEquals(1, server.load().inline(), server.load().toString());
            assertEquals(3, server.load().completed(), server.load().toString());
            assertEquals(1, server.load().rejectedBusy(), server.load().toString());
        } finally {
            engine.release();
        }
    }

    @Test
    void closingWaitsForAnInlineRunAndItsReplyArrives() throws Exception {
        SlowEngine engine = new SlowEngine(0);
        List<Tensor> crossing = split.crossing(15);
        List<Tensor> expected = split.tailOutputs(crossing);
        EdgeServer server = EdgeServer.start(NativeServerTest.plain().engine(engine, EngineOptions.defaults()).build(),
                List.of(pkg));
        try (NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            infer(client, crossing);
            engine.stall();
            CompletableFuture<OffloadResult> running = client.submit(split.request(crossing, "raw"), in(30 * SECOND_NS));
            await(() -> server.load().inline() == 1 && engine.runsNow() == 1, "the inline run has started");
            Thread closing = new Thread(server::close, "closing");
            closing.start();
            closing.join(300);
            assertTrue(closing.isAlive(), "close() drains: it waits for the inline run");
            assertFalse(running.isDone());
            engine.release();
            closing.join(15_000);
            assertFalse(closing.isAlive(), "close() returns once the run is over");
            OffloadResult r = running.get(5, TimeUnit.SECONDS);
            assertTrue(expected.get(0).contentEquals(r.outputs().get(0)), "the reply reached the client before the close");
            assertEquals(2, server.load().completed(), server.load().toString());
        } finally {
            engine.release();
            server.close();
        }
    }
}
