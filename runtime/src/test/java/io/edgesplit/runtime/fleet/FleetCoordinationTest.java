package io.edgesplit.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.runtime.testing.EmbeddedBroker;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device agent, controller and server announcer against a real MQTT 5 broker. */
class FleetCoordinationTest {

    static EmbeddedBroker broker;
    static final KeyPair FLEET_KEY = FleetKeys.generate();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static MqttSettings settings(String node) {
        return MqttSettings.builder(broker.uri(), "test-fleet", node).keepAliveSeconds(2).backoff(200, 2000).build();
    }

    @Test
    void birthAndTelemetryReachTheController() throws Exception {
        BlockingQueue<ObjectNode> births = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> telemetry = new LinkedBlockingQueue<>();
        try (FleetController controller = new FleetController(settings("ctl-1"), FLEET_KEY)) {
            controller.listen(FleetTopics.Type.BIRTH, (node, env) -> births.add(env));
            controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> telemetry.add(env));
            controller.start(20_000);
            ObjectNode summary = FleetJson.object().put("device", "pixel-4");
            ObjectNode stats = FleetJson.object().put("inferences", 42);
            try (DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-1"), FLEET_KEY.getPublic())
                    .birth(() -> summary).telemetry(() -> stats, 200).build()) {
                agent.start();
                ObjectNode birth = births.poll(20, TimeUnit.SECONDS);
                assertNotNull(birth, "no BIRTH");
                assertEquals("dev-1", birth.get("node").asText());
                assertEquals("pixel-4", birth.path("body").path("device").path("device").asText());
                // Telemetry made before the connect waited in the outbox and carries older sequence
                // numbers; the first one made after the birth carries a higher one.
                ObjectNode t;
                do {
                    t = telemetry.poll(10, TimeUnit.SECONDS);
                    assertNotNull(t, "no TELEMETRY");
                    assertEquals(42, t.path("body").path("stats").path("inferences").asInt());
                } while (t.get("seq").asLong() < birth.get("seq").asLong());
                assertEquals(birth.get("bdSeq").asLong(), t.get("bdSeq").asLong(), "same session");
            }
        }
    }

    @Test
    void signedConfigIsAppliedOnceAndTamperedOnesAreRejectedAndReported() throws Exception {
        BlockingQueue<FleetConfig> applied = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
        KeyPair stranger = FleetKeys.generate();
        try (FleetController controller = new FleetController(settings("ctl-2"), FLEET_KEY);
                DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-2"), FLEET_KEY.getPublic())
                        .onConfig(applied::add).build()) {
            controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> {
                if (env.path("body").has("event")) {
                    events.add(env);
                }
            });
            controller.start(20_000);
            agent.start();
            waitConnected(agent.link());
            ObjectNode budgets = FleetJson.object().put("deadlineMs", 100).put("objective", "energy");
            FleetConfig v2 = FleetConfig.of("test-fleet", 2, "adaptive", 5000, budgets);
            controller.publishConfig("dev-2", v2);
            FleetConfig got = applied.poll(10, TimeUnit.SECONDS);
            assertNotNull(got, "config not applied");
            assertEquals(2, got.version());
            assertEquals(100, got.budgets().deadlineMillis());
            assertEquals("config-applied", events.poll(10, TimeUnit.SECONDS).path("body").path("event").asText());

            controller.publishConfig("dev-2", v2); // duplicate: idempotent, nothing happens
            controller.publishConfig("dev-2", FleetConfig.of("test-fleet", 1, "local-only", 5000, budgets)); // older
            assertEquals("config-rejected", events.poll(10, TimeUnit.SECONDS).path("body").path("event").asText());

            // signed by a stranger
            byte[] forged = FleetConfig.of("test-fleet", 3, "adaptive", 5000, budgets)
                    .signedEnvelope(stranger.getPrivate(), stranger.getPublic());
            controller.publishRawConfig("dev-2", forged);
            ObjectNode rejected = events.poll(10, TimeUnit.SECONDS);
            assertTrue(rejected.path("body").path("reason").asText().contains("signature does not verify"),
                    rejected.toString());

            // unsigned
            controller.publishRawConfig("dev-2", FleetJson.bytes(FleetJson.object().put("payload", "eyJ9")));
            rejected = events.poll(10, TimeUnit.SECONDS);
            assertTrue(rejected.path("body").path("reason").asText().contains("unsigned configuration refused"),
                    rejected.toString());

            // a payload byte changed after signing
            byte[] good = FleetConfig.of("test-fleet", 4, "adaptive", 5000, budgets)
                    .signedEnvelope(FLEET_KEY.getPrivate(), FLEET_KEY.getPublic());
            ObjectNode env = FleetJson.parseObject(good, "t");
            byte[] payload = java.util.Base64.getDecoder().decode(env.get("payload").asText());
            payload[payload.length - 3] ^= 1;
            env.put("payload", java.util.Base64.getEncoder().encodeToString(payload));
            controller.publishRawConfig("dev-2", FleetJson.bytes(env));
            rejected = events.poll(10, TimeUnit.SECONDS);
            assertTrue(rejected.path("body").path("reason").asText().contains("signature does not verify"),
                    rejected.toString());

            assertTrue(applied.isEmpty(), "nothing but version 2 was applied: " + applied);
            assertEquals(2, agent.config().version());
            assertEquals(4, agent.rejectedConfigs());
        }
    }

    @Test
    void commandsAreAnsweredWithHttpLikeCodes() throws Exception {
        try (FleetController controller = new FleetController(settings("ctl-3"), FLEET_KEY);
                DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-3"), FLEET_KEY.getPublic())
                        .telemetry(() -> FleetJson.object().put("inferences", 7), 60_000)
                        .command("set-budgets", args -> {
                            if (!args.has("deadlineMs")) {
                                throw new IllegalArgumentException("deadlineMs is required");
                            }
                            return CommandResult.ok(null);
                        })
                        .command("reprofile", args -> {
                            throw new IllegalStateException("profiler busy");
                        }).build()) {
            controller.start(20_000);
            agent.start();
            waitConnected(agent.link());
            CommandResult report = controller.command("dev-3", "report", null, 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(200, report.code());
            assertEquals(7, report.body().path("inferences").asInt());
            assertEquals(404, controller.command("dev-3", "selfdestruct", null, 10_000).get(15, TimeUnit.SECONDS).code());
            CommandResult bad = controller.command("dev-3", "set-budgets", FleetJson.object(), 10_000)
                    .get(15, TimeUnit.SECONDS);
            assertEquals(400, bad.code());
            assertEquals("deadlineMs is required", bad.message());
            CommandResult failed = controller.command("dev-3", "reprofile", null, 10_000).get(15, TimeUnit.SECONDS);
            assertEquals(500, failed.code());
            assertTrue(failed.message().contains("profiler busy"));
        }
    }

    @Test
    void aDeadServerIsDroppedThroughItsWill() throws Exception {
        try (DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-4"), FLEET_KEY.getPublic()).build()) {
            BlockingQueue<List<ServerInfo>> changes = new LinkedBlockingQueue<>();
            agent.directory().onChange(changes::add);
            agent.start();
            waitConnected(agent.link());
            ServerAnnouncer server = new ServerAnnouncer(settings("edge-4"),
                    FleetJson.object().put("native", "127.0.0.1:7070"), List.of("synthetic"),
                    () -> FleetJson.object().put("queue", 0), 500, System::currentTimeMillis);
            server.start();
            List<ServerInfo> seen = changes.poll(20, TimeUnit.SECONDS);
            assertNotNull(seen);
            assertEquals("edge-4", seen.get(0).node());
            assertEquals("127.0.0.1:7070", seen.get(0).endpoint().path("native").asText());
            server.crash();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!agent.directory().servers().isEmpty() && System.currentTimeMillis() < deadline) {
                changes.poll(1, TimeUnit.SECONDS);
            }
            assertTrue(agent.directory().servers().isEmpty(), "the Will removed the server");
        }
    }

    static void waitConnected(MqttLink link) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!link.isConnected() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(link.isConnected(), "connected to the broker");
        Thread.sleep(200); // subscriptions are sent right after the connect completes
    }
}
