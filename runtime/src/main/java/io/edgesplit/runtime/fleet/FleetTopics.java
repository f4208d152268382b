package io.edgesplit.runtime.fleet;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MQTT topic namespace of a fleet: {@code edgesplit/v1/{fleet}/{TYPE}/{node}}. Fleet and node
 * ids are 1 to 64 characters of letters, digits, '.', '_' and '-', so they can never contain the
 * MQTT wildcards {@code +} and {@code #} or a level separator.
 */
public final class FleetTopics {

    public static final String ROOT = "edgesplit/v1";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Message types, one topic level each. */
    public enum Type {
        /** Node came online: capabilities, profile summary, packages; carries the birth/death counter. */
        BIRTH,
        /** Node went away: the Will message, with the same birth/death counter as its birth. */
        DEATH,
        /** Periodic aggregates and events (config applied or rejected). */
        TELEMETRY,
        /** Signed, versioned budgets and policy for a node (retained). */
        CONFIG,
        /** MQTT 5 request/response commands to a node. */
        CMD,
        /** Retained state of an edge server: endpoint, load, models. */
        STATE
    }

    private FleetTopics() {
    }

    /**
     * Checks an id.
     *
     * @throws IllegalArgumentException naming what the id is and why it is refused
     */
    public static String validateId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + ": '" + id + "' must be 1-64 letters, digits, '.', '_' or '-' "
                    + "(no '+', '#' or '/')");
        }
        return id;
    }

    public static String topic(String fleet, Type type, String node) {
        return ROOT + "/" + validateId("fleet", fleet) + "/" + type.name() + "/" + validateId("node", node);
    }

    /** Filter for one message type of every node of a fleet. */
    public static String allNodes(String fleet, Type type) {
        return ROOT + "/" + validateId("fleet", fleet) + "/" + type.name() + "/+";
    }

    /** The parts of a fleet topic. */
    public static final class Parsed {
        private final String fleet;
        private final Type type;
        private final String node;

        Parsed(String fleet, Type type, String node) {
            this.fleet = fleet;
            this.type = type;
            this.node = node;
        }

        public String fleet() {
            return fleet;
        }

        public Type type() {
            return type;
        }

        public String node() {
            return node;
        }
    }

    /** Parses a topic of this namespace, or returns null when it is not one. */
    public static Parsed parse(String topic) {
        if (topic == null || !topic.startsWith(ROOT + "/")) {
            return null;
        }
        String[] parts = topic.substring(ROOT.length() + 1).split("/", -1);
        if (parts.length != 3 || !ID.matcher(parts[0]).matches() || !ID.matcher(parts[2]).matches()) {
            return null;
        }
        try {
            return new Parsed(parts[0], Type.valueOf(parts[1].toUpperCase(Locale.ROOT)), parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
