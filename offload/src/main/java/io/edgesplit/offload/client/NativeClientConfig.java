package io.edgesplit.offload.client;

import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.protocol.HelloFrame;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of a {@link NativeOffloadClient}. Immutable; build with {@link #builder(String, int)}.
 * Security is on by default: {@link Builder#build()} refuses a config that neither sets
 * {@link Builder#tls} nor says {@link Builder#plaintext()} explicitly.
 */
public final class NativeClientConfig {

    private final String host;
    private final int port;
    private final TlsClientConfig tls;
    private final byte[] token;
    private final String clientName;
    private final int connections;
    private final int connectTimeoutMs;
    private final int maxInFlightPerConnection;
    private final int pingIntervalMs;
    private final FrameLimits limits;
    private final NanoClock clock;

    private NativeClientConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.tls = b.tls;
        this.token = b.token.clone();
        this.clientName = b.clientName;
        this.connections = b.connections;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.maxInFlightPerConnection = b.maxInFlightPerConnection;
        this.pingIntervalMs = b.pingIntervalMs;
        this.limits = b.limits;
        this.clock = b.clock;
    }

    /** A builder for the server at {@code host:port}. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** TLS settings, or null for plaintext. */
    public TlsClientConfig tls() {
        return tls;
    }

    byte[] token() {
        return token;
    }

    public String clientName() {
        return clientName;
    }

    public int connections() {
        return connections;
    }

    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    public int pingIntervalMs() {
        return pingIntervalMs;
    }

    public FrameLimits limits() {
        return limits;
    }

    public NanoClock clock() {
        return clock;
    }

    /** Builder; every setter validates its value, {@link #build()} the combination. */
    public static final class Builder {
        private final String host;
        private final int port;
        private TlsClientConfig tls;
        private boolean plaintext;
        private byte[] token = new byte[0];
        private String clientName = "edgesplit-device";
        private int connections = 2;
        private int connectTimeoutMs = 2000;
        private int maxInFlightPerConnection = 64;
        private int pingIntervalMs = 5000;
        private FrameLimits limits = FrameLimits.DEFAULT;
        private NanoClock clock = SystemNanoClock.INSTANCE;

        private Builder(String host, int port) {
            if (host == null || host.trim().isEmpty()) {
                throw new IllegalArgumentException("host: must be set");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: must be 1..65535, was " + port);
            }
            this.host = host;
            this.port = port;
        }

        /** Connect with TLS (required unless {@link #plaintext()}). */
        public Builder tls(TlsClientConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Connect without TLS: for tests and trusted links only; must be asked for explicitly. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** Bearer token sent in HELLO. Default none (for servers that authenticate by client certificate). */
        public Builder token(String token) {
            byte[] bytes = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
            if (bytes.length > HelloFrame.MAX_TOKEN_BYTES) {
                throw new IllegalArgumentException("token: at most " + HelloFrame.MAX_TOKEN_BYTES + " bytes, was "
                        + bytes.length);
            }
            this.token = bytes;
            return this;
        }

        /** Name in the server's logs. Default {@code edgesplit-device}. */
        public Builder clientName(String name) {
            if (name == null || name.getBytes(StandardCharsets.UTF_8).length > HelloFrame.MAX_CLIENT_NAME_BYTES) {
                throw new IllegalArgumentException("clientName: 1.." + HelloFrame.MAX_CLIENT_NAME_BYTES
                        + " bytes of UTF-8, was " + name);
            }
            this.clientName = name;
            return this;
        }

        /** Connections kept to the server, each multiplexing requests. Default 2, 1..64. */
        public Builder connections(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("connections: must be 1..64, was " + n);
            }
            this.connections = n;
            return this;
        }

        /** Time to connect, handshake and authenticate, in milliseconds. Default 2000. */
        public Builder connectTimeoutMs(int ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("connectTimeoutMs: must be >= 1, was " + ms);
            }
            this.connectTimeoutMs = ms;
            return this;
        }

        /** Requests in flight per connection (the server's limit applies too). Default 64. */
        public Builder maxInFlightPerConnection(int n) {
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException("maxInFlightPerConnection: must be 1..65535, was " + n);
            }
            this.maxInFlightPerConnection = n;
            return this;
        }

        /**
         * A connection with no traffic for this long is probed with PING; one whose PING is not answered
         * within another interval is closed (a half-open connection). Default 5000 ms; 0 disables.
         */
        public Builder pingIntervalMs(int ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("pingIntervalMs: must be >= 0, was " + ms);
            }
            this.pingIntervalMs = ms;
            return this;
        }

        /** Largest reply accepted. Default {@link FrameLimits#DEFAULT}. */
        public Builder limits(FrameLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The clock deadlines refer to. Default {@link SystemNanoClock} ({@code System.nanoTime()}). */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public NativeClientConfig build() {
            if (tls == null && !plaintext) {
                throw new IllegalArgumentException("tls: not set; connections are TLS unless plaintext() is asked for "
                        + "explicitly (tests, trusted links)");
            }
            if (tls != null && plaintext) {
                throw new IllegalArgumentException("tls: set together with plaintext(); choose one");
            }
            return new NativeClientConfig(this);
        }
    }
}
