package io.edgesplit.offload.oip;

import io.edgesplit.offload.TlsClientConfig;
import java.util.Objects;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of an {@link OipV2Client}. Immutable; build with {@link #builder(String)}. An
 * {@code http://} URL is refused unless {@link Builder#plaintext()} is asked for explicitly.
 */
public final class OipClientConfig {

    private final String baseUrl;
    private final TlsClientConfig tls;
    private final String token;
    private final boolean binary;
    private final long connectTimeoutMs;
    private final long maxResponseBytes;
    private final NanoClock clock;

    private OipClientConfig(Builder b) {
        this.baseUrl = b.baseUrl;
        this.tls = b.tls;
        this.token = b.token;
        this.binary = b.binary;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.maxResponseBytes = b.maxResponseBytes;
        this.clock = b.clock;
    }

    /** A builder for the server at {@code baseUrl} ({@code https://host:port}, paths go below it). */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** TLS settings, or null for the platform's defaults (https) / none (plaintext). */
    public TlsClientConfig tls() {
        return tls;
    }

    /** Bearer token, or null. */
    public String token() {
        return token;
    }

    /** Whether tensors travel with the binary tensor data extension (else as JSON numbers). */
    public boolean binary() {
        return binary;
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    public NanoClock clock() {
        return clock;
    }

    /** Builder; each setter validates its value, {@link #build()} the combination. */
    public static final class Builder {
        private final String baseUrl;
        private TlsClientConfig tls;
        private boolean plaintext;
        private String token;
        private boolean binary = true;
        private long connectTimeoutMs = 2000;
        private long maxResponseBytes = 64L << 20;
        private NanoClock clock = SystemNanoClock.INSTANCE;

        private Builder(String baseUrl) {
            if (baseUrl == null || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
                throw new IllegalArgumentException("baseUrl: must start with https:// (or http:// with plaintext()), was "
                        + baseUrl);
            }
            this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }

        /** Trust and client certificate settings for https. Default: the platform's trust store. */
        public Builder tls(TlsClientConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Allow an {@code http://} URL: tests and trusted links only. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <token>}. Default none. */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Send and request tensors with the binary tensor data extension (default true); false sends
         * JSON numbers, which every v2 server understands but costs far more bytes and CPU.
         */
        public Builder binary(boolean binary) {
            this.binary = binary;
            return this;
        }

        /** Connect (and TLS handshake) timeout in ms. Default 2000. */
        public Builder connectTimeoutMs(long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("connectTimeoutMs: must be >= 1, was " + ms);
            }
            this.connectTimeoutMs = ms;
            return this;
        }

        /** Largest response body read, in bytes. Default 64 MiB. */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes: must be >= 1024, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** The clock deadlines refer to. Default {@code System.nanoTime()}. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OipClientConfig build() {
            if (baseUrl.startsWith("http://") && !plaintext) {
                throw new IllegalArgumentException("baseUrl: " + baseUrl + " is not https; ask for plaintext() explicitly"
                        + " (tests, trusted links)");
            }
            if (baseUrl.startsWith("https://") && plaintext) {
                throw new IllegalArgumentException("baseUrl: https together with plaintext(); choose one");
            }
            return new OipClientConfig(this);
        }
    }
}
