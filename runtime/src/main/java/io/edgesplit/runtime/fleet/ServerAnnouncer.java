package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * An edge server's presence in the fleet: a retained STATE (endpoint, models, load), refreshed every
 * interval so that devices can age it, and a Will on DEATH carrying the session's birth/death
 * counter. A clean {@link #close()} replaces the retained STATE with an offline one. Thread-safe.
 */
public final class ServerAnnouncer implements AutoCloseable {

    private final MqttSettings settings;
    private final MqttLink link;
    private final NodeMessages messages;
    private volatile JsonNode endpoint;
    private final List<String> models;
    private final Supplier<JsonNode> load;
    private final long intervalMillis;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private volatile ScheduledFuture<?> heartbeat;

    /**
     * @param endpoint where devices reach the server, e.g. {"native": "host:7070", "http": "https://host:8443"}
     * @param models the packages or segments it serves
     * @param load its current load, sampled at every refresh
     */
    public ServerAnnouncer(MqttSettings settings, JsonNode endpoint, List<String> models, Supplier<JsonNode> load,
            long intervalMillis, LongSupplier clockMillis) throws MqttException {
        if (intervalMillis < 100) {
            throw new IllegalArgumentException("intervalMillis: must be >= 100, was " + intervalMillis);
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.models = io.edgesplit.common.Lists.copyOf(models);
        this.load = Objects.requireNonNull(load, "load");
        this.intervalMillis = intervalMillis;
        this.callbacks = Executors.newSingleThreadExecutor(DeviceFleetAgent.daemon("announce-" + settings.nodeId()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DeviceFleetAgent.daemon("announce-timer-"
                + settings.nodeId()));
        this.messages = new NodeMessages(settings.nodeId(), clockMillis);
        this.link = new MqttLink(settings, callbacks, scheduler, Math::random);
    }

    public void start() {
        String death = FleetTopics.topic(settings.fleet(), FleetTopics.Type.DEATH, settings.nodeId());
        link.will(() -> {
            messages.nextSession();
            ObjectNode body = FleetJson.object();
            body.put("reason", "connection lost");
            return new MqttLink.Will(death, messages.envelope(body), 1, false);
        });
        link.onConnected(() -> publishState(true));
        link.start();
        heartbeat = scheduler.scheduleAtFixedRate(() -> callbacks.execute(() -> publishState(true)), intervalMillis,
                intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void publishState(boolean online) {
        ObjectNode body = FleetJson.object();
        body.put("online", online);
        body.set("endpoint", endpoint);
        ArrayNode m = body.putArray("models");
        models.forEach(m::add);
        if (online) {
            body.set("load", load.get());
        }
        link.publish(FleetTopics.topic(settings.fleet(), FleetTopics.Type.STATE, settings.nodeId()),
                messages.envelope(body), 1, true, null, false);
    }

    /**
     * The server is now reached at {@code newEndpoint} (it moved to another address or port):
     * announces it at once; devices reconnect there.
     */
    public void endpoint(JsonNode newEndpoint) {
        this.endpoint = Objects.requireNonNull(newEndpoint, "endpoint");
        if (heartbeat != null) {
            callbacks.execute(() -> publishState(true));
        }
    }

    /**
     * Publishes the current state now rather than at the next refresh, e.g. when the load changed in
     * a way devices should hear of soon (a queue that emptied after a burst).
     */
    public void refresh() {
        if (heartbeat != null) {
            try {
                callbacks.execute(() -> publishState(true));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed: nothing left to announce
            }
        }
    }

    public JsonNode endpoint() {
        return endpoint;
    }

    public MqttLink link() {
        return link;
    }

    /** Announces itself offline (retained), then disconnects cleanly. */
    @Override
    public void close() {
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        if (link.isConnected()) {
            try {
                callbacks.submit(() -> publishState(false)).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the stale timeout still removes this server from directories
            }
        }
        link.close();
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }

    /** Drops the connection without DISCONNECT, as a crash would: the broker publishes the Will. */
    public void crash() {
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        link.crash();
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }
}
