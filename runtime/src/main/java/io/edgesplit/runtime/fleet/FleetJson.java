package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** JSON encoding of fleet messages, with bounded parsing of what arrives from the broker. */
final class FleetJson {

    /** Messages larger than this are refused before parsing. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(MAX_MESSAGE_BYTES)
                    .build())
            .build());

    private FleetJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + node, e);
        }
    }

    /**
     * Parses a message payload.
     *
     * @throws IOException naming the topic and the reason when the payload is too large or not a JSON object
     */
    static ObjectNode parseObject(byte[] payload, String topic) throws IOException {
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new IOException(topic + ": message of " + payload.length + " bytes, above the limit of "
                    + MAX_MESSAGE_BYTES);
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IOException(topic + ": not JSON: " + firstLine(e.getMessage()), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(topic + ": expected a JSON object");
        }
        return (ObjectNode) n;
    }

    /** What kind of JSON value this is, for error messages: "an array", "a string", "a number", ... */
    static String describeType(JsonNode n) {
        switch (n.getNodeType()) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
