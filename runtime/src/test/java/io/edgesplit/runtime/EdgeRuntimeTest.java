package io.edgesplit.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.resilience.RetryConfig;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.TargetKind;
import io.edgesplit.runtime.testing.LinkRelay;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

/** EdgeRuntime against real TensorFlow Lite and a real edge server on loopback. */
class EdgeRuntimeTest {

    private static byte[] localReference(String variantId, Tensor input) throws IOException {
        Variant v = RuntimeFixtures.pkg().variant(variantId);
        try (CompiledModel m = TfLiteEngine.get().load(RuntimeFixtures.pkg().readSegment(v.fullLocal().headSegment()),
                "reference", EngineOptions.defaults()); Session s = m.newSession()) {
            s.setInput(0, input);
            s.run();
            return s.output(0).toByteArray();
        }
    }

    private static EdgeRuntime.Builder runtime() {
        return EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"));
    }

    @Test
    void aLocalPlanComputesWhatTheBareModelDoes() throws IOException {
        try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.FAST_DEVICE).build()) {
            Tensor in = RuntimeFixtures.image(1);
            InferenceResult r = rt.infer(in);
            assertTrue(r.plan().isLocal(), r.toString());
            assertArrayEquals(localReference(r.plan().variantId(), in), r.output(0).toByteArray());
            assertEquals(0, r.bytesSent());
            assertFalse(r.fellBack());
            assertTrue(r.energyMillijoules() > 0, "pixel-4 has a power model");
        }
    }

    @Test
    void aSplitPlanRunsTheTailOnTheEdgeServerAndGetsTheSameAnswer() throws IOException {
        try (EdgeServer server = RuntimeFixtures.startServer();
                EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE)
                        .target(RemoteTarget.edge("edge-1", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                                RuntimeFixtures.client(server.nativePort())))
                        .codecs(List.of("raw")).build()) {
            Tensor in = RuntimeFixtures.image(2);
            InferenceResult r = rt.infer(in);
            assertEquals(TargetKind.EDGE, r.plan().target().kind(), r.toString());
            assertFalse(r.fellBack(), r.toString());
            assertArrayEquals(localReference(r.plan().variantId(), in), r.output(0).toByteArray(),
                    "raw codec: bit-identical to running the whole model on the device");
            assertTrue(r.bytesSent() > 0);
            assertTrue(r.serverComputeNanos() > 0);
            assertEquals(1, rt.stats().remote());
            assertTrue(rt.estimators().failureRate(1) == 0);
        }
    }

    @Test
    void fallsBackToLocalWhenTheEdgeServerDiesAndThenStopsChoosingIt() throws IOException {
        EdgeServer server = RuntimeFixtures.startServer();
        try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE).retry(RetryConfig.NONE)
                .target(RemoteTarget.edge("edge-1", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                        RuntimeFixtures.client(server.nativePort())))
                .codecs(List.of("raw")).build()) {
            Tensor in = RuntimeFixtures.image(3);
            InferenceResult before = rt.infer(in);
            assertFalse(before.fellBack(), before + " " + before.fallbackCause());
            server.close();
            List<InferenceResult> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(rt.infer(in));
            }
            InferenceResult first = results.get(0);
            assertTrue(first.fellBack(), "the first request after the crash falls back: " + first);
            assertNotNull(first.fallbackCause());
            assertArrayEquals(localReference(first.plan().variantId(), in), first.output(0).toByteArray(),
                    "and still answers correctly");
            assertTrue(rt.estimators().failureRate(1) > 0);
            assertTrue(results.get(results.size() - 1).plan().isLocal(),
                    "after failures the planner moves to the device: " + results.get(results.size() - 1));
            assertEquals(7, rt.stats().inferences(), "nothing lost");
        }
    }

    @Test
    void aStalledServerMakesTheRequestFallBackBeforeItsDeadline() throws Exception {
        try (ServerSocket stall = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (!stall.isClosed()) {
                        held.add(stall.accept()); // accept, then never answer
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE).retry(RetryConfig.NONE)
                    .fallbackReserveMillis(300)
                    .target(RemoteTarget.edge("stalled", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                            RuntimeFixtures.client(stall.getLocalPort())))
                    .codecs(List.of("raw")).build()) {
                InferenceResult r = rt.inferAsync(List.of(RuntimeFixtures.image(4)), Duration.ofMillis(1500))
                        .get(10, TimeUnit.SECONDS);
                assertTrue(r.fellBack(), r.toString());
                assertTrue(r.totalNanos() < 1_500_000_000L, "answered within the deadline: " + r.totalNanos() / 1e6 + " ms");
            }
        }
    }

    /** The system clock plus an offset a test can advance: time passing between inferences, without waiting. */
    private static final class AdvancingClock implements NanoClock {
        private volatile long offsetNs;

        @Override
        public long nanoTime() {
            return System.nanoTime() + offsetNs;
        }

        void advanceSeconds(long s) {
            offsetNs += s * 1_000_000_000L;
        }
    }

    @Test
    void aTimeoutBoundsTheUplinkEstimateSoTheNextPlanAvoidsTheStalledLinkAndAReplyBringsTrafficBack()
            throws Exception {
        DevCertificates certs = DevCertificates.localhost(Duration.ofHours(1));
        AdvancingClock clock = new AdvancingClock(); // the runtime's and the client's deadlines on one clock
        double deadlineMs = 1000;
        double reserveMs = 100;
        try (EdgeServer server = RuntimeFixtures.startTlsServer(certs);
                LinkRelay link = LinkRelay.start(server.nativePort(), 0);
                EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE).retry(RetryConfig.NONE)
                        .clock(clock).fallbackReserveMillis(reserveMs)
                        .budgets(Budgets.builder().deadlineMillis(deadlineMs, true).build())
                        .target(RemoteTarget.edge("edge-s", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                                NativeOffloadClient.create(RuntimeFixtures.tlsClientConfig("127.0.0.1:" + link.port(), certs)
                                        .clock(clock).pingIntervalMs(0).build())))
                        .codecs(List.of("raw")).build()) {
            Tensor in = RuntimeFixtures.image(6);
            for (int i = 0; i < 3; i++) {
                InferenceResult r = rt.infer(in);
                assertEquals("edge:edge-s w0.50 s000 raw", r.plan().describe(), r.toString());
                assertFalse(r.fellBack(), r.toString());
            }
            long bytes = rt.costTable().uplinkBytes(rt.costTable().find("edge:edge-s w0.50 s000 raw"));
            double before = rt.estimators().uplinkBitsPerSecond(1);

            link.stall(); // the link collapses: nothing gets through any more
            InferenceResult stalled = rt.infer(in);
            assertEquals("edge:edge-s w0.50 s000 raw", stalled.plan().describe());
            assertTrue(stalled.fellBack(), stalled.toString());
            assertInstanceOf(OffloadTimeoutException.class, stalled.fallbackCause());
            double needed = bytes * 8 / ((deadlineMs - reserveMs) / 1e3); // to upload within the time it had
            double estimate = rt.estimators().uplinkBitsPerSecond(1);
            assertTrue(estimate < needed, "uplink estimate " + estimate + " bit/s, below the " + needed
                    + " the request needed (it was " + before + ")");
            assertTrue(rt.estimators().failureRate(1) < 0.5, "one failure in four: " + rt.estimators().failureRate(1));

            InferenceResult next = rt.infer(in);
            assertTrue(next.plan().isLocal() && !next.fellBack(), "planned on the device, not sent into the stall: "
                    + next);

            link.release(); // the link works again; a minute passes, the estimate relaxes, the planner tries again
            clock.advanceSeconds(60);
            InferenceResult probe = rt.infer(in);
            assertEquals("edge:edge-s w0.50 s000 raw", probe.plan().describe(), probe.toString());
            assertFalse(probe.fellBack(), "the reply came: " + probe);
            assertEquals(0, rt.estimators().uplinkImputed(1), "the reply replaced what the timeout imputed");
            assertTrue(rt.estimators().uplinkBitsPerSecond(1) > needed, "measured again: "
                    + rt.estimators().uplinkBitsPerSecond(1));
            InferenceResult after = rt.infer(in);
            assertFalse(after.plan().isLocal() || after.fellBack(), after.toString());
        }
    }

    /** A transport that answers through {@code inner} until {@link #stall}, then times out as told. */
    private static final class StallingTransport implements io.edgesplit.offload.OffloadTarget {
        final io.edgesplit.offload.OffloadTarget inner;
        volatile boolean stall;
        final boolean replyStarted;

        StallingTransport(io.edgesplit.offload.OffloadTarget inner, boolean replyStarted) {
            this.inner = inner;
            this.replyStarted = replyStarted;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public java.util.concurrent.CompletableFuture<io.edgesplit.offload.OffloadResult> submit(
                io.edgesplit.offload.OffloadRequest request, long deadlineNs) {
            if (!stall) {
                return inner.submit(request, deadlineNs);
            }
            long bytes = request.inputs().stream().mapToLong(Tensor::byteSize).sum();
            long waited = deadlineNs - System.nanoTime(); // as if it had waited out the offload deadline
            java.util.concurrent.CompletableFuture<io.edgesplit.offload.OffloadResult> f =
                    new java.util.concurrent.CompletableFuture<>();
            f.completeExceptionally(new OffloadTimeoutException("stalled", bytes, waited, waited / 100, replyStarted));
            return f;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aTimeoutAfterTheReplyBeganDoesNotBoundTheUplinkButOneBeforeItDoes() throws Exception {
        for (boolean replyStarted : new boolean[] {true, false}) {
            try (EdgeServer server = RuntimeFixtures.startServer()) {
                StallingTransport transport = new StallingTransport(RuntimeFixtures.client(server.nativePort()), replyStarted);
                try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE).retry(RetryConfig.NONE)
                        .fallbackReserveMillis(100).budgets(Budgets.builder().deadlineMillis(1000, true).build())
                        .target(RemoteTarget.edge("edge-r", RuntimeFixtures.profile("x86-edge-server"), "wifi", transport))
                        .codecs(List.of("raw")).build()) {
                    Tensor in = RuntimeFixtures.image(7);
                    for (int i = 0; i < 3; i++) {
                        InferenceResult r = rt.infer(in);
                        assertFalse(r.plan().isLocal() || r.fellBack(), r.toString());
                    }
                    double before = rt.estimators().uplinkBitsPerSecond(1);
                    transport.stall = true;
                    InferenceResult stalled = rt.infer(in);
                    assertFalse(stalled.plan().isLocal(), stalled.toString());
                    assertInstanceOf(OffloadTimeoutException.class, stalled.fallbackCause(), stalled.toString());
                    double after = rt.estimators().uplinkBitsPerSecond(1);
                    if (replyStarted) {
                        assertEquals(before, after, "the request had arrived: the uplink is not to blame");
                        assertEquals(0, rt.estimators().uplinkImputed(1));
                    } else {
                        assertTrue(after < before, "unanswered upload: the uplink bound applies (" + before + " -> "
                                + after + ")");
                    }
                }
            }
        }
    }

    @Test
    void aStaleQueueEstimateStopsKeepingRequestsOffAnIdleServerOnceItHasDecayed() throws Exception {
        AdvancingClock clock = new AdvancingClock(); // no deadline: only the estimators read the runtime's clock
        try (EdgeServer server = RuntimeFixtures.startServer();
                EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE).retry(RetryConfig.NONE).clock(clock)
                        .target(RemoteTarget.edge("edge-q", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                                RuntimeFixtures.client(server.nativePort())))
                        .codecs(List.of("raw")).build()) {
            Tensor in = RuntimeFixtures.image(11);
            InferenceResult idle = rt.infer(in);
            assertEquals("edge-q", idle.plan().target().id(), idle.toString());
            assertFalse(idle.fellBack(), idle.toString());
            // a burst has passed: its replies said requests waited 5 s in the server's queue
            for (int i = 0; i < 30; i++) {
                rt.estimators().onQueueDelay(1, 5_000);
            }
            InferenceResult busy = rt.infer(in);
            assertTrue(busy.plan().isLocal(), "priced as busy: " + busy);
            clock.advanceSeconds(10); // two half-lives: still over a second of queue
            assertTrue(rt.infer(in).plan().isLocal());
            clock.advanceSeconds(50); // twelve: the stale estimate no longer outweighs the slow device
            assertTrue(rt.estimators().queueMillis(1) < 2, "decayed: " + rt.estimators().queueMillis(1));
            InferenceResult back = rt.infer(in);
            assertEquals("edge-q", back.plan().target().id(), back.toString());
            assertFalse(back.fellBack(), "the idle server answered it: " + back);
        }
    }

    /**
     * Latencies by width for the test package's w1.00 and w0.50 variants: on the device a whole
     * variant takes the given ms (a segment its share by MACs), on a server every segment of a width
     * takes the given ms.
     */
    private static io.edgesplit.router.SegmentLatencyModel widthLatency(double wideDeviceMs, double narrowDeviceMs,
            double wideServerMs, double narrowServerMs) {
        Variant narrow = RuntimeFixtures.pkg().variant("w0.50");
        Variant wide = RuntimeFixtures.pkg().variant("w1.00");
        java.util.Set<String> wideSegments = new java.util.HashSet<>();
        for (io.edgesplit.modelpackage.SplitPoint s : wide.splits()) {
            wideSegments.add(s.headSegment());
            wideSegments.add(s.tailSegment());
        }
        double wideMacs = wide.fullLocal().headMacs();
        double narrowMacs = narrow.fullLocal().headMacs();
        return (profile, sha, macs, threads) -> {
            boolean isWide = wideSegments.contains(sha);
            if (profile.kind() == io.edgesplit.profile.ProfileKind.DEVICE) {
                return isWide ? wideDeviceMs * macs / wideMacs : narrowDeviceMs * macs / narrowMacs;
            }
            return isWide ? wideServerMs : narrowServerMs;
        };
    }

    @Test
    void theFallbackReserveIsTheChosenWidthsLocalRunSoANarrowVariantStillOffloadsUnderATightDeadline() throws Exception {
        // On this device the wide variant takes 400 ms locally, the narrow one 150 ms; on the server the
        // wide tails are hopeless (500 ms) and the narrow ones quick. With a hard 400 ms deadline the plan
        // is the narrow variant on the edge; its fallback needs 1.5 x 150 + 5 = 230 ms, leaving 170 ms to
        // the server, enough for the ~120-135 ms the planner predicts over the nominal WiFi link (it
        // offloads only plans predicted to answer before the cut-off). A reserve sized for the widest
        // variant (1.5 x 400 + 5 = 605 ms) would leave no time at all: no offload would be planned.
        io.edgesplit.router.SegmentLatencyModel latency = widthLatency(400, 150, 500, 0.5);
        try (EdgeServer server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                .plaintext().allowAnonymous().workers(1).rateLimit(RateLimit.UNLIMITED).preload(true).build(),
                List.of(RuntimeFixtures.pkg()))) {
            NativeOffloadClient client = RuntimeFixtures.client(server.nativePort());
            client.status().get(10, TimeUnit.SECONDS); // connected, as a discovered server is before planning
            try (EdgeRuntime rt = runtime().latencyModel(latency).retry(RetryConfig.NONE)
                    .target(RemoteTarget.edge("edge-1", RuntimeFixtures.profile("x86-edge-server"), "wifi", client))
                    .codecs(List.of("raw")).build()) {
                Tensor in = RuntimeFixtures.image(6);
                InferenceResult warm = rt.infer(in); // no deadline: the server's worker builds its session
                assertEquals("w0.50", warm.plan().variantId(), warm.toString());
                assertFalse(warm.fellBack(), warm.toString());
                rt.budgets(Budgets.builder().deadlineMillis(400, true).build());
                InferenceResult r = rt.infer(in);
                assertEquals("w0.50", r.plan().variantId(), r + "\n" + rt.explain(5));
                assertEquals(TargetKind.EDGE, r.plan().target().kind(), r + "\n" + rt.explain(5));
                assertFalse(r.fellBack(), "the server answered within the 170 ms left to it: " + r + ", cause "
                        + r.fallbackCause());
                assertTrue(r.serverComputeNanos() > 0, r.toString());
            }
        }
    }

    @Test
    void anOffloadPredictedToAnswerInsideTheFallbackReserveIsNotSentTheDeviceAnswersInstead() throws Exception {
        // The device is predicted at 150 ms for the narrow variant (600 ms for the wide one), the server
        // at 0.5 ms, and the link adds 50 ms each way: offloading answers in ~100 ms, faster than the
        // device. Under a hard 300 ms deadline the narrow variant's fallback needs 1.5 x 150 + 5 = 230 ms,
        // so the executor cuts an offload at 70 ms: a plan predicted at ~100 ms would time out, fall
        // back and answer at ~70 + 150 ms, having spent the radio for nothing (and taught the uplink
        // estimate a false bound). The planner holds it to the same 70 ms and runs on the device.
        io.edgesplit.router.SegmentLatencyModel latency = widthLatency(600, 150, 0.5, 0.5);
        try (EdgeServer server = RuntimeFixtures.startServer();
                LinkRelay link = LinkRelay.start(server.nativePort(), 50)) {
            NativeOffloadClient client = RuntimeFixtures.client(link.port());
            client.status().get(10, TimeUnit.SECONDS); // connected, as a discovered server is before planning
            try (EdgeRuntime rt = runtime().latencyModel(latency).retry(RetryConfig.NONE)
                    .target(RemoteTarget.edge("edge-1", RuntimeFixtures.profile("x86-edge-server"), "wifi", client))
                    .codecs(List.of("raw")).build()) {
                Tensor in = RuntimeFixtures.image(7);
                InferenceResult warm = null;
                for (int i = 0; i < 12; i++) { // no deadline: offloads, and the replies teach the link's delay
                    warm = rt.infer(in);
                    assertEquals(TargetKind.EDGE, warm.plan().target().kind(), warm.toString());
                    assertFalse(warm.fellBack(), warm.toString());
                }
                Budgets tight = Budgets.builder().deadlineMillis(300, true).build();
                io.edgesplit.router.CostTable table = rt.costTable();
                assertEquals(230, table.fallbackReserveMillis(warm.plan().entry()), 1e-6, "1.5 x 150 + 5 ms");
                PlanOutcome remote = new io.edgesplit.router.Planner().predict(table, warm.plan().entry(),
                        rt.estimators(), Budgets.UNLIMITED, new PlanOutcome());
                assertTrue(remote.latencyMillis() > 70 && remote.latencyMillis() < 150,
                        "the fixture: the offload is predicted after the 70 ms cut-off, before the device's 150 ms: "
                                + remote);

                rt.budgets(tight);
                long fallbacksBefore = rt.stats().fallbacks();
                InferenceResult r = rt.infer(in);
                assertTrue(r.plan().isLocal(), "not sent into a certain timeout: " + r + "\n" + rt.explain(5));
                assertEquals("w0.50", r.plan().variantId(), r.toString());
                assertFalse(r.fellBack(), r + ", cause " + r.fallbackCause());
                assertEquals(fallbacksBefore, rt.stats().fallbacks());
                assertEquals(0, rt.estimators().failureRate(1), "nothing charged to the server");
                assertArrayEquals(localReference("w0.50", in), r.output(0).toByteArray());

                rt.budgets(Budgets.builder().deadlineMillis(600, true).build()); // cut-off at 370 ms: time enough
                InferenceResult ample = rt.infer(in);
                assertEquals(TargetKind.EDGE, ample.plan().target().kind(), ample + "\n" + rt.explain(5));
                assertFalse(ample.fellBack(), ample + ", cause " + ample.fallbackCause());
            }
        }
    }

    @Test
    void aCloudTargetSpeakingTheOpenInferenceProtocolIsPlannedWithRawTensorsAndAnswers() throws Exception {
        // int8 would be the cheapest codec to plan with, but OIP carries tensors as they are: a plan that
        // counted int8 bytes for the cloud would under-predict its transfer four-fold
        try (EdgeServer server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                .httpPort(0).plaintext().allowAnonymous().workers(1).rateLimit(RateLimit.UNLIMITED).build(),
                List.of(RuntimeFixtures.pkg()));
                EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.SLOW_DEVICE)
                        .target(RemoteTarget.cloud("cloud-1", RuntimeFixtures.profile("cloud-gpu-server"), "wifi",
                                io.edgesplit.offload.oip.OipV2Client.create(io.edgesplit.offload.oip.OipClientConfig
                                        .builder("http://127.0.0.1:" + server.httpPort()).plaintext().build())))
                        .codecs(List.of("raw", "int8")).build()) {
            for (PlanOutcome p : rt.explain(Integer.MAX_VALUE)) {
                if (p.plan().target().kind() == TargetKind.CLOUD) {
                    assertEquals("raw", p.plan().codec(), p.toString());
                }
            }
            Tensor in = RuntimeFixtures.image(7);
            InferenceResult r = rt.inferAsync(List.of(in), Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            assertEquals(TargetKind.CLOUD, r.plan().target().kind(), r + "\n" + rt.explain(5));
            assertEquals("raw", r.plan().codec(), r.toString());
            assertFalse(r.fellBack(), r + ", cause " + r.fallbackCause());
            assertArrayEquals(localReference(r.plan().variantId(), in), r.output(0).toByteArray(),
                    "raw over OIP: bit-identical to the whole model on the device");
        }
    }

    @Test
    void switchingWidthUsesWarmSessionsAndAnswersForTheChosenWidth() throws IOException {
        try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.FAST_DEVICE).build()) {
            Tensor in = RuntimeFixtures.image(5);
            rt.budgets(Budgets.builder().build());
            InferenceResult narrow = rt.infer(in);
            assertEquals("w0.50", narrow.plan().variantId(), "fastest is the narrow width");
            rt.budgets(Budgets.builder().minAccuracy(0.7, true).build());
            InferenceResult wide = rt.infer(in);
            assertEquals("w1.00", wide.plan().variantId());
            assertArrayEquals(localReference("w1.00", in), wide.output(0).toByteArray());
            assertEquals(1, rt.stats().widthSwitches());
        }
    }

    @Test
    void wrongInputsAreRefusedShowingBothSides() throws IOException {
        try (EdgeRuntime rt = runtime().latencyModel(RuntimeFixtures.FAST_DEVICE).build()) {
            Tensor wrong = Tensor.allocate(io.edgesplit.tensor.TensorSpec.of("x", io.edgesplit.tensor.DataType.FP32, 1, 8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.infer(wrong));
            assertEquals("tensor 'input' expects [1,160,160,3] FP32, got [1,8] FP32", e.getMessage());
        }
    }
}
