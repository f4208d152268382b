package io.edgesplit.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.runtime.testing.EmbeddedBroker;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Broker outages, restarts and fleets of reconnecting clients, against a real MQTT 5 broker. */
class FleetReliabilityTest {

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

    static MqttSettings.Builder settings(String node) {
        return MqttSettings.builder(broker.uri(), "rel-fleet", node).keepAliveSeconds(2).backoff(200, 2000);
    }

    @Test
    void telemetryMadeWhileTheBrokerIsDownIsDeliveredAfterReconnectAndTheOverflowIsCounted() throws Exception {
        AtomicInteger counter = new AtomicInteger();
        BlockingQueue<ObjectNode> received = new LinkedBlockingQueue<>();
        try (DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-out").outboxCapacity(5).build(),
                FLEET_KEY.getPublic()).telemetry(() -> FleetJson.object().put("n", counter.incrementAndGet()), 60_000)
                .build()) {
            agent.start();
            FleetCoordinationTest.waitConnected(agent.link());
            broker.stop();
            long deadline = System.currentTimeMillis() + 15_000;
            while (agent.link().isConnected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            for (int i = 0; i < 8; i++) {
                agent.publishTelemetry(); // n = 1..8, 3 more than the outbox holds
            }
            assertEquals(5, agent.link().outbox().size());
            assertEquals(3, agent.link().outbox().dropped());
            broker.startAgain();
            try (FleetController controller = new FleetController(settings("ctl-out").build(), FLEET_KEY)) {
                controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> received.add(env));
                controller.start(20_000);
                // The controller subscribes after the device reconnects, so ask the device to resend;
                // a persistent session on the controller would keep them, which is the operator's choice.
                FleetCoordinationTest.waitConnected(agent.link());
                agent.publishTelemetry(); // n = 9, made after the outage
                ObjectNode t;
                do {
                    t = received.poll(20, TimeUnit.SECONDS);
                    assertNotNull(t, "telemetry after reconnect");
                } while (t.path("body").path("stats").path("n").asInt() != 9);
                assertEquals(3, t.path("body").path("droppedTelemetry").asLong(), "the drop count travels along");
                assertEquals(0, agent.link().outbox().size(), "the outbox was flushed on reconnect");
            }
        }
    }

    @Test
    void storedTelemetryIsFlushedInOrderToASubscriberThatWasThereAllAlong() throws Exception {
        AtomicInteger counter = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
        try (FleetController controller = new FleetController(settings("ctl-order").build(), FLEET_KEY);
                DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-order").build(), FLEET_KEY.getPublic())
                        .telemetry(() -> FleetJson.object().put("n", counter.incrementAndGet()), 60_000).build()) {
            controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> {
                if (node.equals("dev-order")) {
                    received.add(env.path("body").path("stats").path("n").asInt());
                }
            });
            controller.start(20_000);
            agent.start();
            FleetCoordinationTest.waitConnected(agent.link());
            // Cut only the device's connection: drop it without DISCONNECT and let it come back.
            broker.restart();
            for (int i = 0; i < 4; i++) {
                agent.publishTelemetry();
            }
            FleetCoordinationTest.waitConnected(agent.link());
            FleetCoordinationTest.waitConnected(controller.link());
            long deadline = System.currentTimeMillis() + 20_000;
            while (received.size() < 4 && System.currentTimeMillis() < deadline) {
                agent.publishTelemetry();
                Thread.sleep(300);
            }
            List<Integer> order = new ArrayList<>(received);
            List<Integer> sorted = new ArrayList<>(order);
            Collections.sort(sorted);
            assertEquals(sorted, order, "delivered in the order they were made");
            assertTrue(order.size() >= 4, "received " + order);
        }
    }

    @Test
    void firstConnectIsRetriedUntilTheBrokerAppears() throws Exception {
        broker.stop();
        try (DeviceFleetAgent agent = DeviceFleetAgent.builder(settings("dev-first").build(), FLEET_KEY.getPublic())
                .build()) {
            agent.start();
            Thread.sleep(1500);
            assertTrue(!agent.link().isConnected());
            broker.startAgain();
            FleetCoordinationTest.waitConnected(agent.link());
            assertEquals(1, agent.link().connectCount());
        } finally {
            broker.startAgain();
        }
    }

    @Test
    void fiftyClientsReconnectSpreadOutInTimeAfterABrokerRestart() throws Exception {
        int n = 50;
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        List<MqttLink> links = new ArrayList<>();
        ConcurrentLinkedQueue<Long> reconnectTimes = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch reconnected = new CountDownLatch(n);
        Random seeds = new Random(7);
        try {
            for (int i = 0; i < n; i++) {
                Random r = new Random(seeds.nextLong());
                MqttLink link = new MqttLink(settings("swarm-" + i).backoff(1000, 8000).build(), Runnable::run, timer,
                        r::nextDouble);
                link.onConnected(() -> {
                    if (link.connectCount() == 1) {
                        connected.countDown();
                    } else {
                        reconnectTimes.add(System.nanoTime());
                        reconnected.countDown();
                    }
                });
                links.add(link);
                link.start();
            }
            assertTrue(connected.await(60, TimeUnit.SECONDS), "all 50 connected");
            long stopped = System.nanoTime();
            broker.stop();
            Thread.sleep(2000);
            broker.startAgain();
            long restarted = System.nanoTime();
            assertTrue(reconnected.await(60, TimeUnit.SECONDS), "all 50 reconnected: " + reconnected.getCount() + " left");
            List<Long> times = new ArrayList<>(reconnectTimes);
            Collections.sort(times);
            double spreadMs = (times.get(n - 1) - times.get(0)) / 1e6;
            // No 200 ms window holds more than a third of the fleet: jitter spread them out.
            int worstWindow = 0;
            for (int i = 0, j = 0; i < n; i++) {
                while (times.get(i) - times.get(j) > 200_000_000L) {
                    j++;
                }
                worstWindow = Math.max(worstWindow, i - j + 1);
            }
            assertTrue(spreadMs > 1000, "reconnects spread over " + spreadMs + " ms");
            assertTrue(worstWindow <= n / 3, "at most a third within 200 ms, was " + worstWindow
                    + " (restart took " + (restarted - stopped) / 1_000_000 + " ms)");
        } finally {
            links.forEach(MqttLink::close);
            timer.shutdownNow();
        }
    }

    @Test
    void aHandlerThatPublishesFromItsCallbackDoesNotDeadlock() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.ExecutorService callbacks = Executors.newSingleThreadExecutor();
        CountDownLatch echoed = new CountDownLatch(1);
        MqttLink link = new MqttLink(settings("echo").build(), callbacks, timer, Math::random);
        try {
            String in = "edgesplit/v1/rel-fleet/CMD/echo";
            String out = "edgesplit/v1/rel-fleet/TELEMETRY/echo";
            link.subscribe(in, 1, (t, m) -> link.publish(out, m.getPayload(), 1, false, null, false));
            link.subscribe(out, 1, (t, m) -> echoed.countDown());
            link.start();
            FleetCoordinationTest.waitConnected(link);
            link.publish(in, "ping".getBytes(), 1, false, null, false);
            assertTrue(echoed.await(10, TimeUnit.SECONDS), "the publish from inside a handler went through");
        } finally {
            link.close();
            timer.shutdownNow();
            callbacks.shutdownNow();
        }
    }
}
