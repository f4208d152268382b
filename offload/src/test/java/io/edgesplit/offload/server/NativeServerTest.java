package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.client.StatusSnapshot;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.testing.SlowEngine;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client and server over plain TCP on loopback, real TensorFlow Lite tails of the synthetic package. */
class NativeServerTest {

    private static final long SECOND_NS = 1_000_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static EdgeServer server;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        server = EdgeServer.start(plain().build(), List.of(pkg));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (split != null) {
            split.close();
        }
    }

    static EdgeServerConfig.Builder plain() {
        return EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).plaintext().allowAnonymous()
                .workers(2).rateLimit(RateLimit.UNLIMITED);
    }

    static NativeOffloadClient client(int port, int connections) {
        return NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port).plaintext()
                .connections(connections).build());
    }

    private static long in(long ns) {
        return System.nanoTime() + ns;
    }

    @Test
    void answersWithExactlyTheOutputsOfTheLocalTail() throws Exception {
        List<Tensor> crossing = split.crossing(1);
        List<Tensor> expected = split.tailOutputs(crossing);
        try (NativeOffloadClient client = client(server.nativePort(), 1)) {
            OffloadResult r = client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            assertEquals(expected.size(), r.outputs().size());
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(expected.get(i).contentEquals(r.outputs().get(i)), "output " + i + " differs");
                assertEquals(expected.get(i).spec(), r.outputs().get(i).spec(), "names and quantization from the request");
            }
            assertTrue(r.computeNs() > 0, "compute time reported: " + r);
            assertTrue(r.queueNs() >= 0, "queue time reported: " + r);
            assertTrue(r.roundTripNs() >= r.computeNs() + r.queueNs(), r.toString());
            assertTrue(r.bytesSent() > crossing.get(0).byteSize(), r.toString());
            assertTrue(r.bytesReceived() > 0, r.toString());
        }
    }

    @Test
    void aWorkersFirstSessionIsReportedAsComputeNotAsQueueing() throws Exception {
        // the first request a worker serves for a tail builds the worker's session; a client that saw
        // that as queue time would think the server congested (and price every offload with it)
        List<Tensor> crossing = split.crossing(5);
        try (EdgeServer fresh = EdgeServer.start(plain().workers(1).preload(true).build(), List.of(pkg));
                NativeOffloadClient client = client(fresh.nativePort(), 1)) {
            OffloadResult first = client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            // an idle worker takes the request at once; building its session takes longer than that
            assertTrue(first.queueNs() < first.computeNs(), "the session build is compute, not queueing: " + first);
        }
    }

    @Test
    void lossyCodecsDecodeIntoTheTailsInputs() throws Exception {
        List<Tensor> crossing = split.crossing(2);
        float[] expected = split.tailOutputs(crossing).get(0).toFloatArray();
        try (NativeOffloadClient client = client(server.nativePort(), 1)) {
            for (String codec : List.of("fp16", "int8", "int8c+lz4")) {
                OffloadResult r = client.submit(split.request(crossing, codec), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
                float[] got = r.outputs().get(0).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 0.05, codec + " output " + i);
                }
                assertTrue(r.bytesSent() < split.split.transferBytes() + 200 || codec.equals("fp16"), codec + ": " + r);
            }
        }
    }

    @Test
    void aTwoTensorCrossingTravelsInTheTailsInputOrder() throws Exception {
        SplitPoint two = TestPackages.twoTensorSplit(pkg);
        assertNotNull(two, "the synthetic family has residual blocks");
        try (LocalSplit s = new LocalSplit(pkg, two); NativeOffloadClient client = client(server.nativePort(), 1)) {
            List<Tensor> crossing = s.crossing(3);
            List<Tensor> expected = s.tailOutputs(crossing);
            OffloadResult r = client.submit(s.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            assertTrue(expected.get(0).contentEquals(r.outputs().get(0)));
        }
    }

    @Test
    void multiplexesManyRequestsOnOneConnection() throws Exception {
        List<Tensor> crossing = split.crossing(4);
        List<Tensor> expected = split.tailOutputs(crossing);
        try (NativeOffloadClient client = client(server.nativePort(), 1)) {
            List<CompletableFuture<OffloadResult>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(client.submit(split.request(crossing, "raw"), in(30 * SECOND_NS)));
            }
            int batched = 0;
            for (CompletableFuture<OffloadResult> f : futures) {
                OffloadResult r = f.get(30, TimeUnit.SECONDS);
                assertTrue(expected.get(0).contentEquals(r.outputs().get(0)));
                batched = Math.max(batched, r.batchSize());
            }
            assertEquals(1, client.openConnections());
            assertTrue(batched > 1, "40 queued requests for one tail run in groups (micro-batching)");
            StatusSnapshot status = client.status().get(5, TimeUnit.SECONDS);
            assertEquals(2, status.workers());
            assertTrue(status.completed() >= 40, status.toString());
            assertTrue(status.connections() >= 1, status.toString());
        }
    }

    @Test
    void refusesAtOnceWhenTheDeadlineCannotBeMet() throws Exception {
        SlowEngine slow = new SlowEngine(40_000_000L); // every tail run takes 40 ms more
        try (EdgeServer one = EdgeServer.start(plain().workers(1).maxBatch(1)
                        .engine(slow, io.edgesplit.engine.EngineOptions.defaults()).build(), List.of(pkg));
                NativeOffloadClient client = client(one.nativePort(), 1)) {
            List<Tensor> crossing = split.crossing(5);
            for (int i = 0; i < 2; i++) { // teach the server this tail's compute time
                client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            }
            // 20 requests at once with 190 ms each: 4 fit one after the other (160 ms predicted), the rest cannot
            long budget = 190_000_000L;
            List<CompletableFuture<OffloadResult>> futures = new ArrayList<>();
            long sent = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                futures.add(client.submit(split.request(crossing, "raw"), System.nanoTime() + budget));
            }

            int busy = 0;
            int ok = 0;
            long lastBusyNs = 0;
            List<String> others = new ArrayList<>();
            for (CompletableFuture<OffloadResult> f : futures) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ServerBusyException) {
                        busy++;
                        assertEquals(StatusCode.BUSY, ((ServerBusyException) e.getCause()).status());
                        assertTrue(((ServerBusyException) e.getCause()).retryAfterNs() > 0);
                        lastBusyNs = Math.max(lastBusyNs, System.nanoTime() - sent);
                    } else {
                        // the last admitted one may still miss by a hair: then it times out, never hangs
                        assertInstanceOf(io.edgesplit.offload.OffloadTimeoutException.class, e.getCause());
                        others.add(e.getCause().toString());
                    }
                }
            }
            assertTrue(ok >= 3 && ok <= 5, "the first requests fit: ok=" + ok + " busy=" + busy + " " + others);
            assertTrue(busy >= 14, "admission control refused the rest: ok=" + ok + " busy=" + busy + " " + others);
            assertTrue(others.size() <= 1, others.toString());
            assertEquals(busy, one.load().rejectedBusy());
        }
    }

    @Test
    void anUnknownSegmentIsNotFound() {
        List<Tensor> crossing = split.crossing(6);
        OffloadRequest r = split.request(crossing, "raw").toBuilder().segmentSha256("ab".repeat(32)).build();
        try (NativeOffloadClient client = client(server.nativePort(), 1)) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.submit(r, in(5 * SECOND_NS)).get(5, TimeUnit.SECONDS));
            OffloadRejectedException rejected = assertInstanceOf(OffloadRejectedException.class, e.getCause());
            assertEquals(StatusCode.NOT_FOUND, rejected.status());
        }
    }

    @Test
    void aWrongShapeIsABadRequestShowingBothShapes() {
        TensorSpec expected = split.split.crossing().get(0).spec();
        int[] shape = expected.shape();
        shape[shape.length - 1] += 1;
        Tensor wrong = Tensor.allocate(TensorSpec.of(expected.name(), DataType.FP32, shape));
        OffloadRequest r = OffloadRequest.builder().segmentSha256(split.split.tailSegment()).inputs(wrong).build();
        try (NativeOffloadClient client = client(server.nativePort(), 1)) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.submit(r, in(5 * SECOND_NS)).get(5, TimeUnit.SECONDS));
            OffloadRejectedException rejected = assertInstanceOf(OffloadRejectedException.class, e.getCause());
            assertEquals(StatusCode.BAD_REQUEST, rejected.status());
            assertTrue(rejected.getMessage().contains("expects " + expected.shapeAndType() + ", got "
                    + TensorSpec.shapeString(shape) + " FP32"), rejected.getMessage());
        }
    }

    @Test
    void drainsGracefullyOnCloseAnsweringEveryAdmittedRequest() throws Exception {
        SlowEngine slow = new SlowEngine(15_000_000L);
        EdgeServer draining = EdgeServer.start(plain().workers(1).maxBatch(1)
                .engine(slow, io.edgesplit.engine.EngineOptions.defaults()).build(), List.of(pkg));
        List<Tensor> crossing = split.crossing(7);
        List<Tensor> expected = split.tailOutputs(crossing);
        try (NativeOffloadClient client = client(draining.nativePort(), 1)) {
            client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<OffloadResult>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(client.submit(split.request(crossing, "raw"), in(30 * SECOND_NS)));
            }
            long until = System.nanoTime() + 5 * SECOND_NS;
            while (draining.load().queued() < 6 && System.nanoTime() < until) {
                Thread.onSpinWait(); // until the server holds a queue to drain
            }
            assertTrue(draining.load().queued() >= 6, "the requests are queued when the server is closed");
            draining.close();
            int completed = 0;
            List<String> failures = new ArrayList<>();
            for (CompletableFuture<OffloadResult> f : futures) {
                try {
                    OffloadResult r = f.get(10, TimeUnit.SECONDS);
                    assertTrue(expected.get(0).contentEquals(r.outputs().get(0)));
                    completed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(io.edgesplit.offload.OffloadException.class, e.getCause());
                    failures.add(e.getCause().toString());
                }
            }
            assertEquals(draining.load().completed() - 1, completed, "every request the server computed reached the client; "
                    + "the others failed with " + failures + ", server " + draining.load());
            assertTrue(completed >= 7, "queued requests finished during the drain: " + completed);
            ExecutionException after = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.submit(split.request(crossing, "raw"), in(2 * SECOND_NS)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(io.edgesplit.offload.OffloadException.class, after.getCause());
        }
    }
}
