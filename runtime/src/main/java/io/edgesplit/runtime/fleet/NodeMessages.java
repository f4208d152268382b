package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The envelope every node puts around its messages: node id, a per-node sequence number, the
 * birth/death counter of the current session and a timestamp, so receivers can order messages and
 * tell an old session's death from the current one.
 */
final class NodeMessages {

    private final String node;
    private final LongSupplier clockMillis;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong bdSeq = new AtomicLong(-1);

    NodeMessages(String node, LongSupplier clockMillis) {
        this.node = node;
        this.clockMillis = clockMillis;
    }

    /** Starts a new session: the counter the next birth and Will carry. */
    long nextSession() {
        return bdSeq.incrementAndGet();
    }

    long session() {
        return bdSeq.get();
    }

    byte[] envelope(JsonNode body) {
        ObjectNode n = FleetJson.object();
        n.put("node", node);
        n.put("seq", seq.incrementAndGet());
        n.put("bdSeq", bdSeq.get());
        n.put("ts", clockMillis.getAsLong());
        n.set("body", body);
        return FleetJson.bytes(n);
    }
}
