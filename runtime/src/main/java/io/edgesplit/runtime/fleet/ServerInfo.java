package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** An edge server as its retained STATE announces it. Immutable. */
public final class ServerInfo {

    private final String node;
    private final JsonNode endpoint;
    private final List<String> models;
    private final JsonNode load;
    private final long birthDeathSequence;
    private final long lastSeenMillis;

    ServerInfo(String node, JsonNode endpoint, List<String> models, JsonNode load, long birthDeathSequence,
            long lastSeenMillis) {
        this.node = node;
        this.endpoint = endpoint;
        this.models = io.edgesplit.common.Lists.copyOf(models);
        this.load = load;
        this.birthDeathSequence = birthDeathSequence;
        this.lastSeenMillis = lastSeenMillis;
    }

    public String node() {
        return node;
    }

    /** Where to reach the server, e.g. {"native": "host:7070", "http": "https://host:8443"}. */
    public JsonNode endpoint() {
        return endpoint;
    }

    /** Packages (or segments) it serves. */
    public List<String> models() {
        return models;
    }

    /** Its last reported load (queue depth, utilization), as it sent it. */
    public JsonNode load() {
        return load;
    }

    public long birthDeathSequence() {
        return birthDeathSequence;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    @Override
    public String toString() {
        return "ServerInfo{" + node + " " + endpoint + " load=" + load + "}";
    }
}
