package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge servers a device knows to be alive, from their retained STATE messages: a server is
 * dropped when its Will (DEATH) arrives for its current session, when it announces itself offline,
 * or when its STATE has not been refreshed for the stale period (a server that died while this
 * device was away leaves a retained STATE behind that only its age can expose). Listeners are called
 * on the thread that delivered the message, as it arrives; a server's {@link ServerInfo} is the same
 * object until its next STATE. Thread-safe.
 */
public final class ServerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(ServerDirectory.class);

    private final String fleet;
    private final LongSupplier clockMillis;
    private final long staleMillis;
    private final Map<String, ServerInfo> servers = new ConcurrentHashMap<>();
    private final List<Consumer<List<ServerInfo>>> listeners = new CopyOnWriteArrayList<>();

    ServerDirectory(String fleet, LongSupplier clockMillis, long staleMillis) {
        this.fleet = fleet;
        this.clockMillis = clockMillis;
        this.staleMillis = staleMillis;
    }

    /** Called with the live servers whenever the set or a server's state changes. */
    public void onChange(Consumer<List<ServerInfo>> listener) {
        listeners.add(listener);
    }

    /** Live servers now (stale ones are dropped first). */
    public List<ServerInfo> servers() {
        expire();
        return new ArrayList<>(servers.values());
    }

    /**
     * How old {@code server}'s state is now, ms: since the server stamped it, or since it arrived when
     * the stamp is in the future. At least 0.
     */
    public long ageMillis(ServerInfo server) {
        return Math.max(0, clockMillis.getAsLong() - server.lastSeenMillis());
    }

    /** Drops servers whose STATE is older than the stale period; returns true if any was dropped. */
    public boolean expire() {
        long now = clockMillis.getAsLong();
        boolean changed = servers.values().removeIf(s -> now - s.lastSeenMillis() > staleMillis);
        if (changed) {
            notifyListeners();
        }
        return changed;
    }

    void onState(String topic, MqttMessage message) {
        FleetTopics.Parsed p = FleetTopics.parse(topic);
        if (p == null || !p.fleet().equals(fleet)) {
            return;
        }
        if (message.getPayload().length == 0) {
            if (servers.remove(p.node()) != null) {
                notifyListeners();
            }
            return;
        }
        try {
            ObjectNode env = FleetJson.parseObject(message.getPayload(), topic);
            JsonNode body = env.path("body");
            long ts = env.path("ts").asLong(0);
            if (!body.path("online").asBoolean(false)) {
                if (servers.remove(p.node()) != null) {
                    notifyListeners();
                }
                return;
            }
            List<String> models = new ArrayList<>();
            body.path("models").forEach(m -> models.add(m.asText()));
            // Age from the server's own timestamp: a retained STATE of a dead server is old on arrival.
            long seen = Math.min(clockMillis.getAsLong(), ts > 0 ? ts : clockMillis.getAsLong());
            servers.put(p.node(), new ServerInfo(p.node(), body.path("endpoint"), models, body.path("load"),
                    env.path("bdSeq").asLong(-1), seen));
            expire();
            notifyListeners();
        } catch (IOException e) {
            LOG.warn("ignoring malformed server state: {}", e.getMessage());
        }
    }

    void onDeath(String topic, MqttMessage message) {
        FleetTopics.Parsed p = FleetTopics.parse(topic);
        if (p == null || !p.fleet().equals(fleet)) {
            return;
        }
        ServerInfo known = servers.get(p.node());
        if (known == null) {
            return;
        }
        try {
            ObjectNode env = FleetJson.parseObject(message.getPayload(), topic);
            long bdSeq = env.path("bdSeq").asLong(-1);
            // A Will from an older session (delivered late) must not remove the server's new session.
            if (bdSeq >= known.birthDeathSequence() && servers.remove(p.node(), known)) {
                LOG.info("edge server {} died (Will received)", p.node());
                notifyListeners();
            }
        } catch (IOException e) {
            LOG.warn("ignoring malformed death message: {}", e.getMessage());
        }
    }

    private void notifyListeners() {
        List<ServerInfo> now = new ArrayList<>(servers.values());
        for (Consumer<List<ServerInfo>> l : listeners) {
            l.accept(now);
        }
    }
}
