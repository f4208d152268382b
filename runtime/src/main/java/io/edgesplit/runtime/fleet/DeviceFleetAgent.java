package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's side of fleet coordination over MQTT 5. On every connect it publishes BIRTH (its
 * profile summary and packages, with a fresh birth/death counter that its Will, DEATH, carries too);
 * it publishes TELEMETRY periodically (kept in a bounded outbox while the broker is away); it
 * applies CONFIG messages only when they are signed with the fleet key, valid and newer than the one
 * in force, and reports every rejection; it answers CMD requests (MQTT 5 response topic and
 * correlation data) with 200/400/404/500; and through its {@link ServerDirectory} it tracks the edge
 * servers that are alive. Callbacks run on one thread, in arrival order. Thread-safe.
 */
public final class DeviceFleetAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceFleetAgent.class);

    private final MqttSettings settings;
    private final MqttLink link;
    private final PublicKey fleetKey;
    private final Supplier<JsonNode> birth;
    private final Supplier<JsonNode> telemetry;
    private final Consumer<FleetConfig> onConfig;
    private final Map<String, CommandHandler> commands;
    private final LongSupplier clockMillis;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsExecutors;
    private final NodeMessages messages;
    private final ServerDirectory directory;
    private final AtomicReference<FleetConfig> config = new AtomicReference<>();
    private final AtomicLong rejectedConfigs = new AtomicLong();
    private volatile long telemetryIntervalMillis;
    private volatile ScheduledFuture<?> telemetryTask;

    private DeviceFleetAgent(Builder b) throws MqttException {
        settings = b.settings;
        fleetKey = b.fleetKey;
        birth = b.birth;
        telemetry = b.telemetry;
        onConfig = b.onConfig;
        commands = new LinkedHashMap<>(b.commands);
        clockMillis = b.clockMillis;
        telemetryIntervalMillis = b.telemetryIntervalMillis;
        ownsExecutors = b.scheduler == null;
        callbacks = ownsExecutors ? Executors.newSingleThreadExecutor(daemon("fleet-" + settings.nodeId())) : b.callbacks;
        scheduler = ownsExecutors ? Executors.newSingleThreadScheduledExecutor(daemon("fleet-timer-" + settings.nodeId()))
                : b.scheduler;
        messages = new NodeMessages(settings.nodeId(), clockMillis);
        link = new MqttLink(settings, callbacks, scheduler, b.random);
        directory = new ServerDirectory(settings.fleet(), clockMillis, b.serverStaleMillis);
        commands.putIfAbsent("rebirth", args -> {
            CommandHandler.requireNoArgs("rebirth", args);
            publishBirth();
            return CommandResult.ok(null);
        });
        commands.putIfAbsent("report", args -> {
            CommandHandler.requireNoArgs("report", args);
            return CommandResult.ok(telemetry.get());
        });
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static Builder builder(MqttSettings settings, PublicKey fleetKey) {
        return new Builder(settings, fleetKey);
    }

    /** Connects (retrying with backoff until the broker is there) and starts telemetry. */
    public void start() {
        String deathTopic = FleetTopics.topic(settings.fleet(), FleetTopics.Type.DEATH, settings.nodeId());
        link.will(() -> {
            messages.nextSession();
            ObjectNode body = FleetJson.object();
            body.put("reason", "connection lost");
            return new MqttLink.Will(deathTopic, messages.envelope(body), 1, false);
        });
        link.onConnected(this::publishBirth);
        link.subscribe(FleetTopics.topic(settings.fleet(), FleetTopics.Type.CONFIG, settings.nodeId()), 1,
                this::onConfigMessage);
        link.subscribe(FleetTopics.topic(settings.fleet(), FleetTopics.Type.CMD, settings.nodeId()), 1,
                this::onCommand);
        link.subscribe(FleetTopics.allNodes(settings.fleet(), FleetTopics.Type.STATE), 1, directory::onState);
        link.subscribe(FleetTopics.allNodes(settings.fleet(), FleetTopics.Type.DEATH), 1, directory::onDeath);
        link.start();
        scheduleTelemetry();
    }

    private void scheduleTelemetry() {
        ScheduledFuture<?> old = telemetryTask;
        if (old != null) {
            old.cancel(false);
        }
        long every = telemetryIntervalMillis;
        telemetryTask = scheduler.scheduleAtFixedRate(() -> callbacks.execute(this::publishTelemetry), every, every,
                TimeUnit.MILLISECONDS);
    }

    private void publishBirth() {
        ObjectNode body = FleetJson.object();
        body.set("device", birth.get());
        FleetConfig c = config.get();
        body.put("configVersion", c == null ? 0 : c.version());
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.BIRTH, settings.nodeId()),
                messages.envelope(body), 1, false, null, false);
    }

    /** Publishes one telemetry message now (stored in the outbox while disconnected). */
    public void publishTelemetry() {
        ObjectNode body = FleetJson.object();
        body.set("stats", telemetry.get());
        body.put("droppedTelemetry", link.outbox().dropped());
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.TELEMETRY, settings.nodeId()),
                messages.envelope(body), 1, false, null, true);
    }

    private void publishEvent(String event, ObjectNode details) {
        details.put("event", event);
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.TELEMETRY, settings.nodeId()),
                messages.envelope(details), 1, false, null, true);
    }

    private void onConfigMessage(String topic, MqttMessage message) {
        if (message.getPayload().length == 0) {
            return; // a cleared retained config
        }
        FleetConfig incoming;
        try {
            incoming = FleetConfig.verify(message.getPayload(), fleetKey, topic);
            if (!incoming.fleet().equals(settings.fleet())) {
                throw new ConfigRejectedException(topic + ": configuration is for fleet '" + incoming.fleet()
                        + "', this node belongs to '" + settings.fleet() + "'");
            }
        } catch (ConfigRejectedException e) {
            reject(0, e.getMessage());
            return;
        }
        FleetConfig current = config.get();
        if (current != null && incoming.version() <= current.version()) {
            if (incoming.version() < current.version() || !incoming.equals(current)) {
                reject(incoming.version(), "version " + incoming.version() + " is not newer than version "
                        + current.version() + " in force");
            }
            return; // a duplicate of the config in force: idempotent, nothing to do
        }
        try {
            onConfig.accept(incoming);
        } catch (RuntimeException e) {
            reject(incoming.version(), "the node could not apply it: " + e.getMessage());
            return;
        }
        config.set(incoming);
        if (incoming.telemetryIntervalMillis() != telemetryIntervalMillis) {
            telemetryIntervalMillis = incoming.telemetryIntervalMillis();
            scheduleTelemetry();
        }
        ObjectNode details = FleetJson.object();
        details.put("version", incoming.version());
        publishEvent("config-applied", details);
        LOG.info("{}: applied configuration version {}", settings.nodeId(), incoming.version());
    }

    private void reject(long version, String reason) {
        rejectedConfigs.incrementAndGet();
        LOG.warn("{}: configuration rejected: {}", settings.nodeId(), reason);
        ObjectNode details = FleetJson.object();
        details.put("version", version);
        details.put("reason", reason);
        publishEvent("config-rejected", details);
    }

    private void onCommand(String topic, MqttMessage message) {
        MqttProperties props = message.getProperties();
        String responseTopic = props == null ? null : props.getResponseTopic();
        CommandResult result;
        try {
            ObjectNode request = FleetJson.parseObject(message.getPayload(), topic);
            JsonNode name = request.get("command");
            if (name == null || !name.isTextual()) {
                result = new CommandResult(400, "missing 'command'", null);
            } else {
                CommandHandler handler = commands.get(name.asText());
                if (handler == null) {
                    result = new CommandResult(404, "unknown command '" + name.asText() + "', this node knows "
                            + commands.keySet(), null);
                } else {
                    JsonNode args = request.get("args");
                    if (args == null || args.isNull()) {
                        result = run(handler, FleetJson.object());
                    } else if (!args.isObject()) {
                        // every handler gets an object: a malformed request is the sender's error, not a crash
                        result = new CommandResult(400, name.asText() + ": args: must be a JSON object, was "
                                + FleetJson.describeType(args), null);
                    } else {
                        result = run(handler, args);
                    }
                }
            }
        } catch (IOException e) {
            result = new CommandResult(400, e.getMessage(), null);
        }
        if (responseTopic == null || FleetTopics.parse(responseTopic) == null) {
            LOG.warn("{}: command without a usable response topic ({}); answer {} dropped", settings.nodeId(),
                    responseTopic, result.code());
            return;
        }
        ObjectNode reply = FleetJson.object();
        reply.put("code", result.code());
        reply.put("message", result.message());
        if (result.body() != null) {
            reply.set("body", result.body());
        }
        MqttProperties out = new MqttProperties();
        out.setCorrelationData(props.getCorrelationData());
        link.publish(responseTopic, messages.envelope(reply), 1, false, out, false);
    }

    private static CommandResult run(CommandHandler handler, JsonNode args) {
        try {
            return handler.handle(args);
        } catch (IllegalArgumentException e) {
            return new CommandResult(400, e.getMessage(), null);
        } catch (Exception e) {
            return new CommandResult(500, e.toString(), null);
        }
    }

    /** The configuration in force, or null before the first one. */
    public FleetConfig config() {
        return config.get();
    }

    public long rejectedConfigs() {
        return rejectedConfigs.get();
    }

    public ServerDirectory directory() {
        return directory;
    }

    public MqttLink link() {
        return link;
    }

    /** Leaves cleanly: no DEATH is published (the broker discards the Will on a clean disconnect). */
    @Override
    public void close() {
        ScheduledFuture<?> t = telemetryTask;
        if (t != null) {
            t.cancel(false);
        }
        link.close();
        if (ownsExecutors) {
            scheduler.shutdownNow();
            callbacks.shutdownNow();
        }
    }

    /** Builder; every option is validated in {@link #build()}. */
    public static final class Builder {
        private final MqttSettings settings;
        private final PublicKey fleetKey;
        private Supplier<JsonNode> birth = FleetJson::object;
        private Supplier<JsonNode> telemetry = FleetJson::object;
        private Consumer<FleetConfig> onConfig = c -> { };
        private final Map<String, CommandHandler> commands = new LinkedHashMap<>();
        private LongSupplier clockMillis = System::currentTimeMillis;
        private long telemetryIntervalMillis = 10_000;
        private long serverStaleMillis = 30_000;
        private ExecutorService callbacks;
        private ScheduledExecutorService scheduler;
        private java.util.function.DoubleSupplier random = Math::random;

        private Builder(MqttSettings settings, PublicKey fleetKey) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.fleetKey = Objects.requireNonNull(fleetKey, "fleetKey");
        }

        /** What BIRTH says about the device (profile summary, packages). */
        public Builder birth(Supplier<JsonNode> supplier) {
            this.birth = Objects.requireNonNull(supplier, "birth");
            return this;
        }

        /** Aggregates published as TELEMETRY every {@code intervalMillis}. */
        public Builder telemetry(Supplier<JsonNode> supplier, long intervalMillis) {
            if (intervalMillis < 100) {
                throw new IllegalArgumentException("telemetry intervalMillis: must be >= 100, was " + intervalMillis);
            }
            this.telemetry = Objects.requireNonNull(supplier, "telemetry");
            this.telemetryIntervalMillis = intervalMillis;
            return this;
        }

        /** Receives every configuration that passed verification and is newer than the one in force. */
        public Builder onConfig(Consumer<FleetConfig> consumer) {
            this.onConfig = Objects.requireNonNull(consumer, "onConfig");
            return this;
        }

        public Builder command(String name, CommandHandler handler) {
            if (name == null || name.trim().isEmpty()) {
                throw new IllegalArgumentException("command name: must not be blank");
            }
            commands.put(name, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        public Builder clock(LongSupplier millis) {
            this.clockMillis = Objects.requireNonNull(millis, "clock");
            return this;
        }

        /** Servers whose STATE is older than this are dropped from the directory. */
        public Builder serverStaleMillis(long millis) {
            if (millis < 1) {
                throw new IllegalArgumentException("serverStaleMillis: must be >= 1, was " + millis);
            }
            this.serverStaleMillis = millis;
            return this;
        }

        /** Executors to use instead of the agent's own two threads (the caller then owns them). */
        public Builder executors(ExecutorService callbackExecutor, ScheduledExecutorService timer) {
            this.callbacks = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
            this.scheduler = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** Uniform [0, 1) source for reconnect jitter (tests make it deterministic). */
        public Builder random(java.util.function.DoubleSupplier source) {
            this.random = Objects.requireNonNull(source, "random");
            return this;
        }

        public DeviceFleetAgent build() throws MqttException {
            return new DeviceFleetAgent(this);
        }
    }
}
