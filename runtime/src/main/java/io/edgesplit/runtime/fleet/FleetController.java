package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The operator's side: publishes signed, versioned configurations (retained, so nodes that connect
 * later receive them), sends commands and awaits their answers (MQTT 5 response topic + correlation
 * data), and listens to births, deaths and telemetry. Holds the fleet's private key. Thread-safe.
 */
public final class FleetController implements AutoCloseable {

    private final MqttSettings settings;
    private final KeyPair fleetKey;
    private final MqttLink link;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private final Map<String, CompletableFuture<CommandResult>> pending = new ConcurrentHashMap<>();
    private final String replyTopic;

    public FleetController(MqttSettings settings, KeyPair fleetKey) throws MqttException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fleetKey = Objects.requireNonNull(fleetKey, "fleetKey");
        this.callbacks = Executors.newSingleThreadExecutor(DeviceFleetAgent.daemon("controller-" + settings.nodeId()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DeviceFleetAgent.daemon("controller-timer"));
        this.link = new MqttLink(settings, callbacks, scheduler, Math::random);
        this.replyTopic = FleetTopics.topic(settings.fleet(), FleetTopics.Type.CMD, settings.nodeId());
        link.subscribe(replyTopic, 1, this::onReply);
    }

    /** Connects; completes when connected (or fails after {@code timeoutMillis}). */
    public void start(long timeoutMillis) throws TimeoutException, InterruptedException {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        link.onConnected(() -> connected.complete(null));
        link.start();
        try {
            connected.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code handler(node, envelope)} for every message of {@code type} from any node. */
    public void listen(FleetTopics.Type type, BiConsumer<String, ObjectNode> handler) {
        link.subscribe(FleetTopics.allNodes(settings.fleet(), type), 1, (topic, message) -> {
            FleetTopics.Parsed p = FleetTopics.parse(topic);
            if (p == null || message.getPayload().length == 0) {
                return;
            }
            try {
                handler.accept(p.node(), FleetJson.parseObject(message.getPayload(), topic));
            } catch (IOException e) {
                // a malformed message from a node: not the controller's to crash on
            }
        });
    }

    /** Signs and publishes a configuration for {@code node} (retained). */
    public void publishConfig(String node, FleetConfig config) {
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.CONFIG, node),
                config.signedEnvelope(fleetKey.getPrivate(), fleetKey.getPublic()), 1, true, null, false);
    }

    /** Publishes raw bytes as a node's configuration (for tests of what nodes refuse). */
    public void publishRawConfig(String node, byte[] payload) {
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.CONFIG, node), payload, 1, true, null, false);
    }

    /** Sends a command; the future completes with the node's answer or times out. */
    public CompletableFuture<CommandResult> command(String node, String name, JsonNode args, long timeoutMillis) {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        pending.put(correlation, f);
        ObjectNode request = FleetJson.object();
        request.put("command", name);
        if (args != null) {
            request.set("args", args);
        }
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(replyTopic);
        props.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        if (!link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.CMD, node), FleetJson.bytes(request), 1,
                false, props, false)) {
            pending.remove(correlation);
            f.completeExceptionally(new IOException("controller is not connected to the broker"));
            return f;
        }
        scheduler.schedule(() -> {
            if (pending.remove(correlation) != null) {
                f.completeExceptionally(new TimeoutException("no answer from " + node + " to '" + name + "' within "
                        + timeoutMillis + " ms"));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return f;
    }

    private void onReply(String topic, MqttMessage message) {
        MqttProperties props = message.getProperties();
        if (props == null || props.getCorrelationData() == null) {
            return;
        }
        CompletableFuture<CommandResult> f = pending.remove(new String(props.getCorrelationData(), StandardCharsets.UTF_8));
        if (f == null) {
            return;
        }
        try {
            ObjectNode env = FleetJson.parseObject(message.getPayload(), topic);
            JsonNode body = env.path("body");
            f.complete(new CommandResult(body.path("code").asInt(500), body.path("message").asText(""),
                    body.has("body") ? body.get("body") : null));
        } catch (IOException e) {
            f.completeExceptionally(e);
        }
    }

    public MqttLink link() {
        return link;
    }

    @Override
    public void close() {
        link.close();
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }

}
