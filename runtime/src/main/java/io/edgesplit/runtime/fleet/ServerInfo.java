package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalLong;

/** An edge server as its retained STATE announces it. Immutable. */
public final class ServerInfo {

    /**
     * Largest queue wait a server may announce: a minute, beyond any deadline a device plans with
     * (the server refuses a request whose deadline its queue would miss), so a larger figure is a
     * unit mistake or garbage rather than a queue.
     */
    public static final long MAX_ESTIMATED_QUEUE_NANOS = 60_000_000_000L;

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

    /**
     * The wait a new request would have in the server's queue when it announced this state, from
     * {@code load.estimatedQueueNs} (what {@code ServerLoad} serializes to); empty when the server
     * announced no load or no such field.
     *
     * @throws IllegalArgumentException naming the field when it is there but not an integer number of
     *     nanoseconds in [0, {@link #MAX_ESTIMATED_QUEUE_NANOS}]
     */
    public OptionalLong estimatedQueueNanos() {
        if (load == null || load.isMissingNode() || load.isNull()) {
            return OptionalLong.empty();
        }
        if (!load.isObject()) {
            throw new IllegalArgumentException("load: must be a JSON object, was " + load.getNodeType());
        }
        JsonNode q = load.path("estimatedQueueNs");
        if (q.isMissingNode() || q.isNull()) {
            return OptionalLong.empty();
        }
        if (!q.isIntegralNumber()) {
            throw new IllegalArgumentException("load.estimatedQueueNs: must be an integer number of nanoseconds, was "
                    + q);
        }
        if (!q.canConvertToLong() || q.asLong() < 0 || q.asLong() > MAX_ESTIMATED_QUEUE_NANOS) {
            throw new IllegalArgumentException("load.estimatedQueueNs: must be in [0, " + MAX_ESTIMATED_QUEUE_NANOS
                    + "] ns, was " + q);
        }
        return OptionalLong.of(q.asLong());
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
