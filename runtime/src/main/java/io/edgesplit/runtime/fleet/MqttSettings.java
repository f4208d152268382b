package io.edgesplit.runtime.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * How a fleet node connects to its MQTT 5 broker. Secure by default: the broker URI must be
 * {@code ssl://} unless it is a loopback address or plaintext is allowed explicitly (for tests and
 * the local demo). Persistence of in-flight QoS 1 messages is explicit: memory, or a directory you
 * choose (never the working directory, which is Paho's default). Immutable; build with
 * {@link #builder(String, String, String)}.
 */
public final class MqttSettings {

    private final String serverUri;
    private final String fleet;
    private final String nodeId;
    private final String username;
    private final byte[] password;
    private final SocketFactory socketFactory;
    private final int keepAliveSeconds;
    private final int connectionTimeoutSeconds;
    private final long backoffInitialMillis;
    private final long backoffMaxMillis;
    private final Path persistenceDirectory;
    private final int outboxCapacity;

    private MqttSettings(Builder b) {
        serverUri = b.serverUri;
        fleet = b.fleet;
        nodeId = b.nodeId;
        username = b.username;
        password = b.password == null ? null : b.password.clone();
        socketFactory = b.socketFactory;
        keepAliveSeconds = b.keepAliveSeconds;
        connectionTimeoutSeconds = b.connectionTimeoutSeconds;
        backoffInitialMillis = b.backoffInitialMillis;
        backoffMaxMillis = b.backoffMaxMillis;
        persistenceDirectory = b.persistenceDirectory;
        outboxCapacity = b.outboxCapacity;
    }

    /**
     * @param serverUri {@code ssl://host:port} (or {@code tcp://} for loopback / explicit plaintext)
     * @param fleet the fleet id, a topic level
     * @param nodeId this node's id, a topic level and the MQTT client id
     */
    public static Builder builder(String serverUri, String fleet, String nodeId) {
        return new Builder(serverUri, fleet, nodeId);
    }

    public String serverUri() {
        return serverUri;
    }

    public String fleet() {
        return fleet;
    }

    public String nodeId() {
        return nodeId;
    }

    public String username() {
        return username;
    }

    byte[] password() {
        return password == null ? null : password.clone();
    }

    public SocketFactory socketFactory() {
        return socketFactory;
    }

    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public int connectionTimeoutSeconds() {
        return connectionTimeoutSeconds;
    }

    public long backoffInitialMillis() {
        return backoffInitialMillis;
    }

    public long backoffMaxMillis() {
        return backoffMaxMillis;
    }

    /** Directory for Paho's file persistence, or null for memory persistence. */
    public Path persistenceDirectory() {
        return persistenceDirectory;
    }

    /** Messages kept while the broker is away before the oldest are dropped. */
    public int outboxCapacity() {
        return outboxCapacity;
    }

    @Override
    public String toString() {
        return "MqttSettings{" + serverUri + ", fleet=" + fleet + ", node=" + nodeId + ", user=" + username + '}';
    }

    /** Builder; values are validated and named in errors. */
    public static final class Builder {
        private final String serverUri;
        private final String fleet;
        private final String nodeId;
        private String username;
        private byte[] password;
        private SocketFactory socketFactory;
        private int keepAliveSeconds = 10;
        private int connectionTimeoutSeconds = 10;
        private long backoffInitialMillis = 1000;
        private long backoffMaxMillis = 30_000;
        private Path persistenceDirectory;
        private int outboxCapacity = 1000;
        private boolean allowPlaintext;

        private Builder(String serverUri, String fleet, String nodeId) {
            this.serverUri = Objects.requireNonNull(serverUri, "serverUri");
            this.fleet = FleetTopics.validateId("fleet", fleet);
            this.nodeId = FleetTopics.validateId("nodeId", nodeId);
        }

        /** Authenticates with a username and password (or a token as the password). */
        public Builder credentials(String user, char[] secret) {
            this.username = Objects.requireNonNull(user, "username");
            byte[] bytes = new String(secret).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.password = bytes;
            return this;
        }

        /** TLS socket factory (server trust, client certificate for mutual TLS). */
        public Builder socketFactory(SocketFactory factory) {
            this.socketFactory = factory;
            return this;
        }

        public Builder keepAliveSeconds(int seconds) {
            if (seconds < 1 || seconds > 65535) {
                throw new IllegalArgumentException("keepAliveSeconds: must be 1..65535, was " + seconds);
            }
            this.keepAliveSeconds = seconds;
            return this;
        }

        public Builder connectionTimeoutSeconds(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("connectionTimeoutSeconds: must be >= 1, was " + seconds);
            }
            this.connectionTimeoutSeconds = seconds;
            return this;
        }

        /** Reconnect backoff: full jitter between 0 and min(max, initial * 2^attempt). */
        public Builder backoff(long initialMillis, long maxMillis) {
            new Backoff(initialMillis, maxMillis, () -> 0); // validates
            this.backoffInitialMillis = initialMillis;
            this.backoffMaxMillis = maxMillis;
            return this;
        }

        public Builder persistenceDirectory(Path dir) {
            this.persistenceDirectory = dir;
            return this;
        }

        public Builder outboxCapacity(int messages) {
            new Outbox(messages); // validates
            this.outboxCapacity = messages;
            return this;
        }

        /** Allows {@code tcp://} to a non-loopback broker. For tests and closed networks only. */
        public Builder allowPlaintext(boolean allow) {
            this.allowPlaintext = allow;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the URI is malformed, or plaintext to a remote broker
         *     was not allowed explicitly
         */
        public MqttSettings build() {
            URI uri;
            try {
                uri = URI.create(serverUri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("serverUri: '" + serverUri + "' is not a URI", e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Arrays.asList("ssl", "tcp").contains(scheme) || uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("serverUri: '" + serverUri + "' must be ssl://host:port or "
                        + "tcp://host:port");
            }
            boolean loopback = uri.getHost().equals("localhost") || uri.getHost().startsWith("127.")
                    || uri.getHost().equals("[::1]") || uri.getHost().equals("::1");
            if (scheme.equals("tcp") && !loopback && !allowPlaintext) {
                throw new IllegalArgumentException("serverUri: '" + serverUri + "' is plaintext to a remote broker; "
                        + "use ssl:// (security is on by default) or allowPlaintext(true) on a closed network");
            }
            return new MqttSettings(this);
        }
    }
}
