package io.edgesplit.offload.server;

import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.offload.protocol.FrameLimits;
import java.util.Objects;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of an {@link EdgeServer}. Immutable; build with {@link #builder()}. Security is on by
 * default: {@link Builder#build()} refuses a config without TLS unless {@link Builder#plaintext()}
 * was asked for, and without an {@link Authenticator} unless {@link Builder#allowAnonymous()} was.
 */
@ServerOnly
public final class EdgeServerConfig {

    private final String bindHost;
    private final int nativePort;
    private final int httpPort;
    private final TlsServerConfig tls;
    private final Authenticator authenticator;
    private final RateLimit rateLimit;
    private final int workers;
    private final int maxQueued;
    private final int maxBatch;
    private final int maxInFlightPerConnection;
    private final long inlineMaxMs;
    private final int ioThreads;
    private final FrameLimits limits;
    private final long helloTimeoutMs;
    private final long frameReadTimeoutMs;
    private final long idleTimeoutMs;
    private final long drainTimeoutMs;
    private final InferenceEngine engine;
    private final EngineOptions engineOptions;
    private final boolean preload;
    private final NanoClock clock;

    private EdgeServerConfig(Builder b) {
        this.bindHost = b.bindHost;
        this.nativePort = b.nativePort;
        this.httpPort = b.httpPort;
        this.tls = b.tls;
        this.authenticator = b.authenticator;
        this.rateLimit = b.rateLimit;
        this.workers = b.workers;
        this.maxQueued = b.maxQueued < 0 ? b.workers * 32 : b.maxQueued;
        this.maxBatch = b.maxBatch;
        this.maxInFlightPerConnection = b.maxInFlightPerConnection;
        this.inlineMaxMs = b.inlineMaxMs;
        this.ioThreads = b.ioThreads > 0 ? b.ioThreads : Math.max(1, Math.min(2, b.workers / 2));
        this.limits = b.limits;
        this.helloTimeoutMs = b.helloTimeoutMs;
        this.frameReadTimeoutMs = b.frameReadTimeoutMs;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.drainTimeoutMs = b.drainTimeoutMs;
        this.engine = b.engine;
        this.engineOptions = b.engineOptions;
        this.preload = b.preload;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bindHost() {
        return bindHost;
    }

    public int nativePort() {
        return nativePort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** TLS settings, or null for plaintext. */
    public TlsServerConfig tls() {
        return tls;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public RateLimit rateLimit() {
        return rateLimit;
    }

    public int workers() {
        return workers;
    }

    public int maxQueued() {
        return maxQueued;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    /** Longest expected compute of a request an I/O thread runs itself, in ms; 0: never. */
    public long inlineMaxMs() {
        return inlineMaxMs;
    }

    long inlineMaxNs() {
        return inlineMaxMs * 1_000_000L;
    }

    /** Event loop threads serving the connections (both faces). */
    int ioThreads() {
        return ioThreads;
    }

    public FrameLimits limits() {
        return limits;
    }

    public long helloTimeoutMs() {
        return helloTimeoutMs;
    }

    public long frameReadTimeoutMs() {
        return frameReadTimeoutMs;
    }

    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public long drainTimeoutMs() {
        return drainTimeoutMs;
    }

    public InferenceEngine engine() {
        return engine;
    }

    public EngineOptions engineOptions() {
        return engineOptions;
    }

    public boolean preload() {
        return preload;
    }

    public NanoClock clock() {
        return clock;
    }

    /** Builder; each setter validates its value, {@link #build()} the combination. */
    @ServerOnly
    public static final class Builder {
        private String bindHost = "0.0.0.0";
        private int nativePort = 7443;
        private int httpPort = -1;
        private TlsServerConfig tls;
        private boolean plaintext;
        private Authenticator authenticator;
        private boolean anonymous;
        private RateLimit rateLimit = RateLimit.perClient(200, 50);
        private int workers = Runtime.getRuntime().availableProcessors();
        private int maxQueued = -1;
        private int maxBatch = 8;
        private int maxInFlightPerConnection = 64;
        private long inlineMaxMs = 20;
        private int ioThreads;
        private FrameLimits limits = FrameLimits.DEFAULT;
        private long helloTimeoutMs = 5_000;
        private long frameReadTimeoutMs = 10_000;
        private long idleTimeoutMs = 60_000;
        private long drainTimeoutMs = 10_000;
        private InferenceEngine engine = TfLiteEngine.get();
        private EngineOptions engineOptions = EngineOptions.defaults();
        private boolean preload;
        private NanoClock clock = SystemNanoClock.INSTANCE;

        private Builder() {
        }

        /** Address to listen on. Default {@code 0.0.0.0}. */
        public Builder bindHost(String host) {
            this.bindHost = Objects.requireNonNull(host, "bindHost");
            return this;
        }

        /** Native protocol port; 0 picks a free one. Default 7443. */
        public Builder nativePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("nativePort: must be 0..65535, was " + port);
            }
            this.nativePort = port;
            return this;
        }

        /** Open Inference Protocol v2 REST port; 0 picks a free one, -1 (default) serves no HTTP. */
        public Builder httpPort(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("httpPort: must be -1 (off) or 0..65535, was " + port);
            }
            this.httpPort = port;
            return this;
        }

        /** TLS on both faces (required unless {@link #plaintext()}). */
        public Builder tls(TlsServerConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Serve without TLS: tests and trusted links only, asked for explicitly. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** Who may use the server (required unless {@link #allowAnonymous()}). */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Let unauthenticated clients in: tests only, asked for explicitly. */
        public Builder allowAnonymous() {
            this.anonymous = true;
            return this;
        }

        /** Per-client request rate. Default 200 requests/s, burst 50; {@link RateLimit#UNLIMITED} turns it off. */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = Objects.requireNonNull(limit, "rateLimit");
            return this;
        }

        /** Tails computed in parallel, one thread each. Default: the number of cores. */
        public Builder workers(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("workers: must be 1..256, was " + n);
            }
            this.workers = n;
            return this;
        }

        /** Requests waiting for a worker before new ones get BUSY. Default 32 per worker. */
        public Builder maxQueued(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxQueued: must be >= 1, was " + n);
            }
            this.maxQueued = n;
            return this;
        }

        /**
         * Requests for the same segment a worker takes from the queue at once and runs back to back
         * on one session (micro-batching). Default 8; 1 turns it off.
         */
        public Builder maxBatch(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("maxBatch: must be 1..1024, was " + n);
            }
            this.maxBatch = n;
            return this;
        }

        /** Requests in flight per connection; more get BUSY. Default 64. */
        public Builder maxInFlightPerConnection(int n) {
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException("maxInFlightPerConnection: must be 1..65535, was " + n);
            }
            this.maxInFlightPerConnection = n;
            return this;
        }

        /**
         * Run to completion when idle: a native-protocol request whose tail is expected to compute for at
         * most this long runs on the I/O thread that received it, with no hand-off to a worker and back
         * (two thread wake-ups, a few hundred microseconds on a small VM), when doing so makes no one
         * wait: its connection is the only one on that I/O thread and has nothing else in flight or
         * buffered, nothing is queued and a worker slot is free (the run takes that slot, so at most
         * {@link #workers(int)} tails run at once in all). A tail's expected time is learned from its
         * runs, so a tail's first request always goes to a worker. The bound is how long a pipelined
         * request on the same connection, or a new connection, can wait behind such a run. In ms,
         * default 20; 0 turns inline runs off.
         */
        public Builder inlineMaxMs(long ms) {
            if (ms < 0 || ms > 1000) {
                throw new IllegalArgumentException("inlineMaxMs: must be 0..1000 (0 turns inline runs off), was " + ms);
            }
            this.inlineMaxMs = ms;
            return this;
        }

        /** Event loop threads; tests only. Default (0): half the workers, 1 or 2. */
        Builder ioThreads(int n) {
            if (n < 0 || n > 64) {
                throw new IllegalArgumentException("ioThreads: must be 0..64 (0: the default), was " + n);
            }
            this.ioThreads = n;
            return this;
        }

        /** Frame bounds. Default {@link FrameLimits#DEFAULT} (16 MiB, 16 tensors). */
        public Builder limits(FrameLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Time a new connection has to finish TLS and HELLO, in ms. Default 5000. */
        public Builder helloTimeoutMs(long ms) {
            this.helloTimeoutMs = positive("helloTimeoutMs", ms);
            return this;
        }

        /** Time a started frame has to arrive completely (slow-drip defence), in ms. Default 10000. */
        public Builder frameReadTimeoutMs(long ms) {
            this.frameReadTimeoutMs = positive("frameReadTimeoutMs", ms);
            return this;
        }

        /**
         * A connection that sends nothing for this long while nothing is in flight is closed (half-open
         * and abandoned connections); clients keep theirs alive with PING. In ms, default 60000.
         */
        public Builder idleTimeoutMs(long ms) {
            this.idleTimeoutMs = positive("idleTimeoutMs", ms);
            return this;
        }

        /** How long {@link EdgeServer#close()} lets queued and running requests finish, in ms. Default 10000. */
        public Builder drainTimeoutMs(long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("drainTimeoutMs: must be >= 0, was " + ms);
            }
            this.drainTimeoutMs = ms;
            return this;
        }

        /** The engine running tails. Default TensorFlow Lite. */
        public Builder engine(InferenceEngine engine, EngineOptions options) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.engineOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Load every tail at start instead of on its first request. Default false. */
        public Builder preload(boolean preload) {
            this.preload = preload;
            return this;
        }

        /** Clock for deadlines and timings. Default {@code System.nanoTime()}. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static long positive(String name, long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException(name + ": must be >= 1, was " + ms);
            }
            return ms;
        }

        public EdgeServerConfig build() {
            if (tls == null && !plaintext) {
                throw new IllegalArgumentException("tls: not set; the server speaks TLS unless plaintext() is asked for "
                        + "explicitly (tests, trusted links)");
            }
            if (tls != null && plaintext) {
                throw new IllegalArgumentException("tls: set together with plaintext(); choose one");
            }
            if (authenticator == null && !anonymous) {
                throw new IllegalArgumentException("authenticator: not set; clients must authenticate (token or client "
                        + "certificate) unless allowAnonymous() is asked for explicitly");
            }
            if (authenticator != null && anonymous) {
                throw new IllegalArgumentException("authenticator: set together with allowAnonymous(); choose one");
            }
            if (anonymous) {
                authenticator = Authenticator.allowAnonymous();
            }
            if (tls != null && tls.requiresClientCertificate() && plaintext) {
                throw new IllegalArgumentException("tls: client certificates need TLS");
            }
            return new EdgeServerConfig(this);
        }
    }
}
