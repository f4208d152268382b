package io.edgesplit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.resilience.RetryConfig;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.TargetKind;
import io.edgesplit.runtime.fleet.CommandResult;
import io.edgesplit.runtime.fleet.FleetConfig;
import io.edgesplit.runtime.fleet.FleetController;
import io.edgesplit.runtime.fleet.FleetKeys;
import io.edgesplit.runtime.fleet.FleetTopics;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerAnnouncer;
import io.edgesplit.runtime.testing.EmbeddedBroker;
import io.edgesplit.runtime.testing.LinkRelay;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** EdgeRuntime coordinated over a real MQTT 5 broker. */
class RuntimeFleetTest {

    static EmbeddedBroker broker;
    static final KeyPair FLEET_KEY = FleetKeys.generate();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static MqttSettings settings(String node) {
        return MqttSettings.builder(broker.uri(), "rt-fleet", node).keepAliveSeconds(2).backoff(200, 2000).build();
    }

    static void await(java.util.function.BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void aSignedConfigSwitchesTheNextInferenceToTheDevice() throws Exception {
        try (EdgeServer server = RuntimeFixtures.startServer();
                FleetController controller = new FleetController(settings("ctl-a"), FLEET_KEY);
                EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                        .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw"))
                        .target(RemoteTarget.edge("edge-a", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                                RuntimeFixtures.client(server.nativePort())))
                        .fleet(settings("dev-a"), FLEET_KEY.getPublic(), 60_000).build()) {
            controller.start(20_000);
            assertEquals(TargetKind.EDGE, rt.infer(RuntimeFixtures.image(1)).plan().target().kind());
            await(() -> rt.fleet().link().isConnected(), 20_000, "device connected");
            Thread.sleep(300);
            ObjectNode budgets = MAPPER.createObjectNode().put("deadlineMs", 5000);
            controller.publishConfig("dev-a", FleetConfig.of("rt-fleet", 1, "local-only", 10_000, budgets));
            await(() -> "local-only".equals(rt.policy()), 20_000, "policy applied");
            assertEquals(5000, rt.budgets().deadlineMillis());
            assertTrue(rt.infer(RuntimeFixtures.image(1)).plan().isLocal());
        }
    }

    @Test
    void malformedCommandArgumentsAreBadRequestsNamingTheFieldAndTheBudgetsStayAsTheyWere() throws Exception {
        AtomicInteger reprofiled = new AtomicInteger();
        try (FleetController controller = new FleetController(settings("ctl-e"), FLEET_KEY);
                EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                        .latencyModel(RuntimeFixtures.FAST_DEVICE)
                        .budgets(io.edgesplit.router.Budgets.builder().deadlineMillis(250, true).build())
                        .reprofile(reprofiled::incrementAndGet)
                        .fleet(settings("dev-e"), FLEET_KEY.getPublic(), 60_000).build()) {
            controller.start(20_000);
            await(() -> rt.fleet().link().isConnected(), 20_000, "device connected");
            Thread.sleep(300); // the device's CMD subscription follows its connect
            Map<JsonNode, String> notObjects = new LinkedHashMap<>();
            notObjects.put(MAPPER.createArrayNode().add(1).add(2), "an array");
            notObjects.put(MAPPER.getNodeFactory().textNode("fast"), "a string");
            notObjects.put(MAPPER.getNodeFactory().numberNode(5), "a number");
            notObjects.put(MAPPER.getNodeFactory().booleanNode(true), "a boolean");
            for (String command : List.of("set-budgets", "reprofile", "report", "rebirth")) {
                for (Map.Entry<JsonNode, String> args : notObjects.entrySet()) {
                    CommandResult r = controller.command("dev-e", command, args.getKey(), 10_000)
                            .get(15, TimeUnit.SECONDS);
                    assertEquals(400, r.code(), command + " " + args.getKey() + ": " + r);
                    assertEquals(command + ": args: must be a JSON object, was " + args.getValue(), r.message());
                }
            }
            CommandResult wrongType = controller.command("dev-e", "set-budgets",
                    MAPPER.createObjectNode().put("deadlineMs", "soon"), 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(400, wrongType.code(), wrongType.toString());
            assertEquals("set-budgets: args.deadlineMs: must be a number", wrongType.message());
            CommandResult outOfRange = controller.command("dev-e", "set-budgets",
                    MAPPER.createObjectNode().put("deadlineMs", -5), 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(400, outOfRange.code(), outOfRange.toString());
            assertEquals("set-budgets: args.deadlineMs: must be > 0, was -5.0", outOfRange.message());
            CommandResult unknown = controller.command("dev-e", "set-budgets",
                    MAPPER.createObjectNode().put("deadline", 100), 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(400, unknown.code(), unknown.toString());
            assertTrue(unknown.message().startsWith("set-budgets: args.deadline: unknown field, expected one of ["),
                    unknown.message());
            CommandResult extra = controller.command("dev-e", "reprofile",
                    MAPPER.createObjectNode().put("runs", 3), 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(400, extra.code(), extra.toString());
            assertEquals("reprofile: args.runs: unknown field, this command takes no arguments", extra.message());
            assertEquals(0, reprofiled.get(), "no malformed command ran");
            assertEquals(250, rt.budgets().deadlineMillis(), "no malformed set-budgets changed the budgets");

            // the same commands, well formed, still work
            CommandResult ok = controller.command("dev-e", "set-budgets",
                    MAPPER.createObjectNode().put("deadlineMs", 400), 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(200, ok.code(), ok.toString());
            assertEquals(400, rt.budgets().deadlineMillis());
            assertEquals(200, controller.command("dev-e", "reprofile", null, 10_000).get(15, TimeUnit.SECONDS).code());
            assertEquals(200, controller.command("dev-e", "report", MAPPER.createObjectNode(), 10_000)
                    .get(15, TimeUnit.SECONDS).code());
            assertEquals(1, reprofiled.get());
        }
    }

    @Test
    void edgeOnlyPolicyRunsOnTheDeviceWhileItsEdgeServerIsDown() throws Exception {
        try (EdgeServer server = RuntimeFixtures.startServer();
                FleetController controller = new FleetController(settings("ctl-d"), FLEET_KEY);
                EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                        .latencyModel(RuntimeFixtures.FAST_DEVICE).codecs(List.of("raw"))
                        .target(RemoteTarget.edge("edge-d", RuntimeFixtures.profile("x86-edge-server"), "wifi",
                                RuntimeFixtures.client(server.nativePort())))
                        .fleet(settings("dev-d"), FLEET_KEY.getPublic(), 60_000).build()) {
            controller.start(20_000);
            await(() -> rt.fleet().link().isConnected(), 20_000, "device connected");
            Thread.sleep(300);
            controller.publishConfig("dev-d", FleetConfig.of("rt-fleet", 1, "edge-only", 10_000,
                    MAPPER.createObjectNode()));
            await(() -> "edge-only".equals(rt.policy()), 20_000, "policy applied");
            assertEquals("edge-d", rt.infer(RuntimeFixtures.image(4)).plan().target().id(), "edge-only offloads");
            // what an open circuit breaker or a Will does: the policy's only target is out of planning
            rt.setAvailable("edge-d", false);
            InferenceResult r = rt.infer(RuntimeFixtures.image(4));
            assertTrue(r.plan().isLocal(), r.toString());
            assertNotNull(r.output(0));
        }
    }

    @Test
    void aServerDiscoveredOverMqttGetsTrafficAndItsDeathMovesTrafficToTheDevice() throws Exception {
        EdgeServer server = RuntimeFixtures.startServer();
        int port = server.nativePort();
        ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-b"),
                MAPPER.createObjectNode().put("native", "127.0.0.1:" + port), List.of("synthetic"),
                MAPPER::createObjectNode, 500, System::currentTimeMillis);
        try (EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                .fleet(settings("dev-b"), FLEET_KEY.getPublic(), 60_000)
                .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi", info -> {
                    String[] hostPort = info.endpoint().path("native").asText().split(":");
                    return RuntimeFixtures.client(Integer.parseInt(hostPort[1]));
                }).build()) {
            assertTrue(rt.infer(RuntimeFixtures.image(2)).plan().isLocal(), "no server known yet");
            announcer.start();
            await(() -> rt.costTable().targets().size() == 2, 20_000, "edge-b discovered");
            InferenceResult remote = rt.infer(RuntimeFixtures.image(2));
            assertEquals("edge-b", remote.plan().target().id(), remote.toString());
            assertFalse(remote.fellBack(), remote.toString());
            announcer.crash();
            server.close();
            await(() -> rt.costTable().targets().size() == 1, 30_000, "edge-b dropped after its Will");
            assertTrue(rt.infer(RuntimeFixtures.image(2)).plan().isLocal());
        } finally {
            server.close();
        }
    }

    @Test
    void aServerThatStillAnnouncesItselfStaysOutOfPlanningWhileItsBreakerIsOpen() throws Exception {
        EdgeServer server = RuntimeFixtures.startServer();
        int port = server.nativePort();
        // The announcer keeps refreshing STATE every 200 ms although the server behind it is gone:
        // a process that lost its server but not its MQTT session. Refreshes must not revive it.
        ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-d"),
                MAPPER.createObjectNode().put("native", "127.0.0.1:" + port), List.of("synthetic"),
                MAPPER::createObjectNode, 200, System::currentTimeMillis);
        try (EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                // Energy first: failures raise the predicted latency of a target, not its energy, so
                // only the open breaker keeps the planner away from it.
                .budgets(io.edgesplit.router.Budgets.builder().objective(io.edgesplit.router.Objective.MIN_ENERGY)
                        .build())
                .circuitBreaker(io.edgesplit.offload.resilience.CircuitBreakerConfig.builder().minimumCalls(1)
                        .windowSize(4).openDurationMs(60_000).build())
                .fleet(settings("dev-d"), FLEET_KEY.getPublic(), 60_000)
                .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi",
                        info -> RuntimeFixtures.client(port)).build()) {
            announcer.start();
            await(() -> rt.costTable().targets().size() == 2, 20_000, "edge-d discovered");
            assertFalse(rt.infer(RuntimeFixtures.image(3)).fellBack(), "the server answers while it runs");
            server.close();
            assertTrue(rt.infer(RuntimeFixtures.image(3)).fellBack(), "the request to the dead server fell back");
            Thread.sleep(1000); // five STATE refreshes arrive meanwhile
            for (int i = 0; i < 5; i++) {
                InferenceResult r = rt.infer(RuntimeFixtures.image(3));
                assertTrue(r.plan().isLocal() && !r.fellBack(), "planned on the device while the breaker is open: "
                        + r);
            }
        } finally {
            announcer.close();
            server.close();
        }
    }

    /** Target {@code id}'s index in the runtime's cost table now (the table is rebuilt as servers come and go). */
    static int targetIndex(EdgeRuntime rt, String id) {
        List<io.edgesplit.router.Target> targets = rt.costTable().targets();
        for (int t = 1; t < targets.size(); t++) {
            if (targets.get(t).id().equals(id)) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void aStaleQueueEstimateStopsKeepingRequestsOffAServerOnceItAnnouncesAnEmptyQueueAndNonsenseChangesNothing()
            throws Exception {
        try (EdgeServer server = RuntimeFixtures.startServer()) {
            java.util.concurrent.atomic.AtomicReference<JsonNode> override = new java.util.concurrent.atomic.AtomicReference<>();
            // what `edgesplit serve` announces: the server's ServerLoad; refreshed only when the test says so
            ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-q"),
                    MAPPER.createObjectNode().put("native", "127.0.0.1:" + server.nativePort()), List.of("synthetic"),
                    () -> override.get() != null ? override.get() : MAPPER.valueToTree(server.load()), 60_000,
                    System::currentTimeMillis);
            try (EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                    .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                    .fleet(settings("dev-q"), FLEET_KEY.getPublic(), 60_000)
                    .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi", info -> {
                        String[] hostPort = info.endpoint().path("native").asText().split(":");
                        return RuntimeFixtures.client(Integer.parseInt(hostPort[1]));
                    }).build()) {
                announcer.start();
                // (retained STATEs of servers earlier tests stopped are announced too; they are not reachable)
                await(() -> targetIndex(rt, "edge-q") > 0, 20_000, "edge-q discovered");
                int q = targetIndex(rt, "edge-q");
                InferenceResult idle = rt.infer(RuntimeFixtures.image(12));
                assertEquals("edge-q", idle.plan().target().id(), idle.toString());
                // a burst has passed: its replies said requests waited 3 s in the queue. The decay alone would
                // take half a minute to undo that (six half-lives)
                for (int i = 0; i < 30; i++) {
                    rt.estimators().onQueueDelay(q, 3_000);
                }
                InferenceResult busy = rt.infer(RuntimeFixtures.image(12));
                assertTrue(busy.plan().isLocal(), "priced as busy: " + busy);
                double stale = rt.estimators().queueMillis(q);

                // listeners run in order, as the STATE arrives: once this one has seen it, so has the runtime
                CompletableFuture<Void> nonsenseRead = new CompletableFuture<>();
                rt.fleet().directory().onChange(live -> {
                    if (live.stream().anyMatch(s -> s.load().path("estimatedQueueNs").asLong() == -5)) {
                        nonsenseRead.complete(null);
                    }
                });
                override.set(MAPPER.createObjectNode().put("estimatedQueueNs", -5)); // a broken server
                announcer.refresh();
                nonsenseRead.get(5, TimeUnit.SECONDS);
                assertEquals(q, targetIndex(rt, "edge-q"), "no server came or went meanwhile");
                assertTrue(rt.estimators().queueMillis(q) > stale / 2, "ignored: " + rt.estimators().queueMillis(q));
                assertTrue(rt.infer(RuntimeFixtures.image(12)).plan().isLocal());

                override.set(null); // the idle server announces its load: nothing queued
                announcer.refresh();
                await(() -> rt.estimators().queueMillis(targetIndex(rt, "edge-q")) < 1, 5_000,
                        "the announced empty queue replaced the stale estimate: " + rt.estimators().queueMillis(q));
                InferenceResult back = rt.infer(RuntimeFixtures.image(12));
                assertEquals("edge-q", back.plan().target().id(), back.toString());
                assertFalse(back.fellBack(), back.toString());
            } finally {
                announcer.close();
            }
        }
    }

    static ObjectNode nativeEndpoint(int port) {
        return MAPPER.createObjectNode().put("native", "127.0.0.1:" + port).put("tls", true);
    }

    @Test
    void aDiscoveredServerIsConnectedBeforeItIsPlannedSoItsFirstRequestMeetsADeadlineAColdHandshakeWouldMiss()
            throws Exception {
        DevCertificates certs = DevCertificates.localhost(Duration.ofHours(1));
        // 150 ms each way: on a cold connection the TLS handshake, HELLO and the request take three round
        // trips (900 ms), on a warm one the request takes one (300 ms); the offload part of the deadline
        // (deadline minus the fallback's reserve) is 600 ms, with room for a loaded machine on both sides
        double deadlineMs = 700;
        double reserveMs = 100;
        double offloadMs = deadlineMs - reserveMs;
        try (EdgeServer server = RuntimeFixtures.startTlsServer(certs); LinkRelay path = LinkRelay.start(server.nativePort(), 150)) {
            // a worker's first run of a tail builds its interpreter: not what this test is about
            try (NativeOffloadClient direct = RuntimeFixtures.tlsClient("127.0.0.1:" + server.nativePort(), certs)) {
                direct.submit(RuntimeFixtures.fullOffload("w0.50"), System.nanoTime() + 10_000_000_000L).get(10, TimeUnit.SECONDS);
            }
            ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-w"), nativeEndpoint(path.port()),
                    List.of("synthetic"), MAPPER::createObjectNode, 500, System::currentTimeMillis);
            try (EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                    .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                    .budgets(Budgets.builder().deadlineMillis(deadlineMs, true).build()).fallbackReserveMillis(reserveMs)
                    .fleet(settings("dev-w"), FLEET_KEY.getPublic(), 60_000)
                    .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi",
                            info -> RuntimeFixtures.tlsClient(info.endpoint().path("native").asText(), certs)).build()) {
                announcer.start();
                await(() -> rt.costTable().targets().size() == 2, 20_000, "edge-w discovered");
                InferenceResult first = rt.infer(RuntimeFixtures.image(7));
                assertEquals("edge:edge-w w0.50 s000 raw", first.plan().describe(), first.toString());
                assertFalse(first.fellBack(), "the first request was answered by the server: " + first);
                assertEquals(1, rt.stats().remote());
                assertEquals(0, rt.stats().fallbacks());
                assertEquals(0.0, rt.estimators().failureRate(1), "no failure charged to the server");
                assertEquals(1, path.accepted(), "the request used the connection opened at discovery");
            } finally {
                announcer.close();
            }
            // the premise: over this path a request on a cold connection takes longer than the offload budget
            try (NativeOffloadClient cold = RuntimeFixtures.tlsClient("127.0.0.1:" + path.port(), certs)) {
                long t0 = System.nanoTime();
                cold.submit(RuntimeFixtures.fullOffload("w0.50"), t0 + 10_000_000_000L).get(10, TimeUnit.SECONDS);
                double coldMs = (System.nanoTime() - t0) / 1e6;
                assertTrue(coldMs > offloadMs, "a request on a cold connection took " + coldMs + " ms");
            }
        }
    }

    @Test
    void anUnreachableServerStaysOutOfPlanningWithoutPenaltyUntilItAnnouncesAnAddressThatWorks() throws Exception {
        DevCertificates certs = DevCertificates.localhost(Duration.ofHours(1));
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        List<CompletableFuture<Void>> connects = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger transports = new java.util.concurrent.atomic.AtomicInteger();
        try (EdgeServer server = RuntimeFixtures.startTlsServer(certs)) {
            ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-u"), nativeEndpoint(nobody),
                    List.of("synthetic"), MAPPER::createObjectNode, 200, System::currentTimeMillis);
            try (EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                    .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                    .fleet(settings("dev-u"), FLEET_KEY.getPublic(), 60_000)
                    .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi", info -> {
                        // observe the runtime's connection attempts (Mockito only watches the real client)
                        NativeOffloadClient client = Mockito.spy(RuntimeFixtures.tlsClient(info.endpoint().path("native").asText(), certs));
                        Mockito.doAnswer(call -> {
                            @SuppressWarnings("unchecked")
                            CompletableFuture<Void> f = (CompletableFuture<Void>) call.callRealMethod();
                            connects.add(f);
                            return f;
                        }).when(client).connect();
                        transports.incrementAndGet();
                        return client;
                    }).build()) {
                announcer.start();
                await(() -> transports.get() > 0, 20_000, "the runtime made a transport for the announced edge-u");
                Thread.sleep(1000); // STATE refreshes keep arriving
                assertEquals(1, rt.costTable().targets().size(), "not planned with: " + rt.costTable().targets());
                InferenceResult r = rt.infer(RuntimeFixtures.image(8));
                assertTrue(r.plan().isLocal() && !r.fellBack(), "planned on the device, no request lost: " + r);
                assertFalse(connects.isEmpty(), "the runtime tried to connect to edge-u");
                assertTrue(connects.get(0).isCompletedExceptionally(), "and failed");

                announcer.endpoint(nativeEndpoint(server.nativePort()));
                await(() -> rt.costTable().targets().size() == 2, 20_000, "edge-u planned with at its new address");
                InferenceResult remote = rt.infer(RuntimeFixtures.image(8));
                assertEquals("edge-u", remote.plan().target().id(), remote.toString());
                assertFalse(remote.fellBack(), remote.toString());
                assertEquals(0.0, rt.estimators().failureRate(1), "nothing was charged to edge-u");
                assertEquals(0, rt.stats().fallbacks());
            } finally {
                announcer.close();
            }
        }
    }

    @Test
    void aServerThatMovesIsReconnectedAtItsNewAddressAndTheOldOneIsNotUsedAgain() throws Exception {
        EdgeServer before = RuntimeFixtures.startServer();
        ServerAnnouncer announcer = new ServerAnnouncer(settings("edge-m"),
                MAPPER.createObjectNode().put("native", "127.0.0.1:" + before.nativePort()), List.of("synthetic"),
                MAPPER::createObjectNode, 300, System::currentTimeMillis);
        try (EdgeServer after = RuntimeFixtures.startServer();
                EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                        .latencyModel(RuntimeFixtures.SLOW_DEVICE).codecs(List.of("raw")).retry(RetryConfig.NONE)
                        .fleet(settings("dev-m"), FLEET_KEY.getPublic(), 60_000)
                        .discoverEdgeServers(RuntimeFixtures.profile("x86-edge-server"), "wifi", info -> {
                            String[] hostPort = info.endpoint().path("native").asText().split(":");
                            return RuntimeFixtures.client(Integer.parseInt(hostPort[1]));
                        }).build()) {
            announcer.start();
            await(() -> rt.costTable().targets().size() == 2, 20_000, "edge-m discovered");
            assertFalse(rt.infer(RuntimeFixtures.image(9)).fellBack());
            await(() -> before.load().completed() == 1, 5_000, "answered at the first address");
            // the server moves (a restart on another port, a new address) without its Will in between
            announcer.endpoint(MAPPER.createObjectNode().put("native", "127.0.0.1:" + after.nativePort()));
            // once the device connects to the new address it has dropped the old one: stop the old server
            await(() -> after.load().connections() == 1, 20_000, "the device connected to the new address");
            before.close();
            long deadline = System.currentTimeMillis() + 20_000;
            InferenceResult r;
            do {
                r = rt.infer(RuntimeFixtures.image(9));
                assertFalse(r.fellBack(), "nothing sent to the old address: " + r);
                Thread.sleep(50);
            } while (r.plan().isLocal() && System.currentTimeMillis() < deadline);
            assertEquals("edge-m", r.plan().target().id(), r.toString());
            await(() -> after.load().completed() == 1, 5_000, "answered at the new address");
            assertEquals(0, rt.stats().fallbacks());
        } finally {
            announcer.close();
            before.close();
        }
    }

    @Test
    void inferenceContinuesWhileTheBrokerIsDownForAMinuteAndTelemetryArrivesAfterwards() throws Exception {
        BlockingQueue<ObjectNode> telemetry = new LinkedBlockingQueue<>();
        try (FleetController controller = new FleetController(settings("ctl-c"), FLEET_KEY);
                EdgeRuntime rt = EdgeRuntime.builder(RuntimeFixtures.pkg(), RuntimeFixtures.profile("pixel-4"))
                        .latencyModel(RuntimeFixtures.FAST_DEVICE)
                        .fleet(settings("dev-c"), FLEET_KEY.getPublic(), 1000).build()) {
            controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> {
                if (node.equals("dev-c") && env.path("body").has("stats")) {
                    telemetry.add(env);
                }
            });
            controller.start(20_000);
            await(() -> rt.fleet().link().isConnected(), 20_000, "device connected");
            broker.stop();
            long downUntil = System.currentTimeMillis() + 60_000;
            int during = 0;
            while (System.currentTimeMillis() < downUntil) {
                assertNotNull(rt.infer(RuntimeFixtures.image(during)).output(0));
                during++;
                Thread.sleep(250);
            }
            assertTrue(rt.fleet().link().outbox().size() > 0, "telemetry kept while the broker was down");
            assertTrue(rt.fleet().link().outbox().size() <= rt.fleet().link().outbox().capacity());
            telemetry.clear();
            broker.startAgain();
            long inferences = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (inferences < during && System.currentTimeMillis() < deadline) {
                ObjectNode t = telemetry.poll(1, TimeUnit.SECONDS);
                if (t != null) {
                    inferences = Math.max(inferences, t.path("body").path("stats").path("inferences").asLong());
                }
            }
            assertTrue(inferences >= during, "telemetry after reconnect counts the " + during
                    + " inferences made during the outage (saw " + inferences + ")");
        }
    }
}
