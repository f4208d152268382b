package io.edgesplit.offload.server;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.tensor.TensorSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge server: serves the tail segments of hash-verified model packages to many devices over
 * the native protocol (and, when an HTTP port is configured, the Open Inference Protocol v2), on a
 * bounded worker pool with admission control and micro-batching (a short tail of a connection that
 * has its I/O thread to itself runs on that thread, in one of the pool's slots), reporting its load,
 * draining on {@link #close()}. Thread-safe.
 *
 * <p>Only segments of the loaded packages are served; clients name them by SHA-256 and never send
 * model bytes. Security is on unless the config says otherwise explicitly (see
 * {@link EdgeServerConfig}).
 */
@ServerOnly
public final class EdgeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

    private final EdgeServerConfig config;
    private final Map<SegmentId, Tail> tails;
    private final TailScheduler scheduler;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final SslContext sslContext;
    private final Set connections = new Set();
    private final Map<EventLoop, IoLoop> loops = new ConcurrentHashMap<>();
    private final AtomicLong authenticationFailures = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private final List<ModelPackage> packages;
    private Channel nativeChannel;
    private Channel httpChannel;
    private volatile boolean draining;
    private boolean closed;

    private EdgeServer(EdgeServerConfig config, List<ModelPackage> packages) throws IOException {
        this.config = config;
        this.packages = List.copyOf(packages);
        this.tails = Collections.unmodifiableMap(index(packages));
        this.scheduler = new TailScheduler(config.workers(), config.maxQueued(), config.maxBatch(),
                config.inlineMaxNs(), config.clock(), config.engine(), config.engineOptions(), this::internalError);
        this.sslContext = config.tls() == null ? null : config.tls().nettyContext();
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("edgesplit-accept"),
                Transport.ioHandlerFactory());
        // named, so that logs and thread dumps tell an inline run (edgesplit-io-*) from a worker's
        this.io = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("edgesplit-io"),
                Transport.ioHandlerFactory());
    }

    /**
     * Starts a server for these packages (already hash-verified by {@link ModelPackage#load}).
     *
     * @throws IOException when a port cannot be bound or (with preload) a tail cannot be loaded
     */
    public static EdgeServer start(EdgeServerConfig config, List<ModelPackage> packages) throws IOException {
        EdgeServer server = new EdgeServer(config, packages);
        try {
            server.bind();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Map<SegmentId, Tail> index(List<ModelPackage> packages) {
        Map<SegmentId, Tail> out = new LinkedHashMap<>();
        for (ModelPackage pkg : packages) {
            for (Variant v : pkg.variants()) {
                List<TensorSpec> outputs = new ArrayList<>();
                for (TensorDescriptor d : v.outputs()) {
                    outputs.add(d.spec());
                }
                for (SplitPoint s : v.splits()) {
                    if (s.tailSegment() == null) {
                        continue;
                    }
                    List<TensorSpec> inputs = new ArrayList<>();
                    for (TensorDescriptor d : s.crossing()) {
                        inputs.add(d.spec());
                    }
                    Tail tail = new Tail(s.tailSegment(), pkg, pkg.manifest().family() + " " + s.id(), inputs, outputs);
                    out.putIfAbsent(tail.id(), tail);
                }
            }
        }
        return out;
    }

    private void bind() throws IOException {
        if (config.preload()) {
            for (Tail t : tails.values()) {
                t.model(config.engine(), config.engineOptions());
            }
        }
        scheduler.start();
        ServerBootstrap b = new ServerBootstrap().group(boss, io).channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        IoLoop loop = track(ch);
                        if (sslContext != null) {
                            SslHandler ssl = sslContext.newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(config.helloTimeoutMs());
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
                        FrameDecoder decoder = new FrameDecoder(config.limits(), config.clock());
                        ch.pipeline().addLast("frames", decoder);
                        ch.pipeline().addLast("protocol", new NativeConnectionHandler(EdgeServer.this, decoder, loop));
                    }
                });
        nativeChannel = bindOrThrow(b, config.nativePort(), "native protocol");
        if (config.httpPort() >= 0) {
            httpChannel = bindOrThrow(OipHttpServer.bootstrap(this, boss, io, sslContext), config.httpPort(),
                    "Open Inference Protocol HTTP");
        }
        LOG.info("edge server: {} tails from {} packages, {} workers, native port {}{}{}, {} transport", tails.size(),
                packages.size(),
                config.workers(), nativePort(), httpChannel == null ? "" : ", HTTP port " + httpPort(),
                sslContext == null ? " (PLAINTEXT)" : " (TLS)", Transport.name());
    }

    private Channel bindOrThrow(ServerBootstrap b, int port, String what) throws IOException {
        try {
            return b.bind(config.bindHost(), port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the " + what + " port " + port, e);
        } catch (Exception e) {
            throw new IOException("cannot bind the " + what + " port " + config.bindHost() + ":" + port + ": " + e, e);
        }
    }

    public EdgeServerConfig config() {
        return config;
    }

    /** The bound native-protocol port (useful with port 0). */
    public int nativePort() {
        return ((InetSocketAddress) nativeChannel.localAddress()).getPort();
    }

    /** The bound HTTP port, or -1 when HTTP is off. */
    public int httpPort() {
        return httpChannel == null ? -1 : ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** SHA-256 of every tail served, in package order. */
    public List<String> segments() {
        List<String> out = new ArrayList<>();
        for (Tail t : tails.values()) {
            out.add(t.sha256());
        }
        return out;
    }

    public List<ModelPackage> packages() {
        return packages;
    }

    /** The current load. */
    public ServerLoad load() {
        return scheduler.load(connections.size());
    }

    /** Failed authentications since start (HELLO refused or frames before HELLO; HTTP 401s). */
    public long authenticationFailures() {
        return authenticationFailures.get();
    }

    /**
     * Failures that were not a typed rejection of bad input: exceptions escaping a connection handler
     * or a tail's engine. Zero on a healthy server, whatever clients send.
     */
    public long internalErrors() {
        return internalErrors.get();
    }

    void internalError() {
        internalErrors.incrementAndGet();
    }

    Tail tail(long w0, long w1, long w2, long w3) {
        return tails.get(SegmentId.ofWords(w0, w1, w2, w3));
    }

    Tail tail(String sha256) {
        try {
            return tails.get(SegmentId.fromHex(sha256));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Collection<Tail> tails() {
        return tails.values();
    }

    TailScheduler scheduler() {
        return scheduler;
    }

    RateLimit rateLimit() {
        return config.rateLimit();
    }

    boolean draining() {
        return draining;
    }

    void authenticationFailed() {
        authenticationFailures.incrementAndGet();
    }

    /**
     * Counts the channel (either face) among its I/O thread's open channels until it closes; called as
     * it is initialized, on that thread.
     */
    IoLoop track(Channel ch) {
        IoLoop loop = loops.computeIfAbsent(ch.eventLoop(), l -> new IoLoop());
        loop.channels.incrementAndGet();
        ch.closeFuture().addListener(f -> loop.channels.decrementAndGet());
        return loop;
    }

    void connectionOpened(NativeConnectionHandler c) {
        connections.add(c);
    }

    void connectionClosed(NativeConnectionHandler c) {
        connections.remove(c);
    }

    /**
     * Drains and stops: stops accepting connections, answers new requests with SHUTTING_DOWN, sends
     * GOAWAY, lets queued and running requests finish (up to the drain timeout), then closes every
     * connection, the workers and the models. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        draining = true;
        if (nativeChannel != null) {
            nativeChannel.close().awaitUninterruptibly();
        }
        if (httpChannel != null) {
            httpChannel.close().awaitUninterruptibly();
        }
        for (NativeConnectionHandler c : connections.snapshot()) {
            c.goaway();
        }
        try {
            boolean clean = scheduler.drain(TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs()));
            if (!clean) {
                LOG.warn("edge server: drain timeout of {} ms passed with requests unfinished; they were answered "
                        + "SHUTTING_DOWN", config.drainTimeoutMs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Replies queued by the workers must reach the wire before the event loops stop: a stopping
        // event loop closes its channels before it runs the tasks still queued.
        List<io.netty.util.concurrent.Future<?>> closing = new ArrayList<>();
        for (NativeConnectionHandler c : connections.snapshot()) {
            closing.add(c.closeAfterWrites());
        }
        for (io.netty.util.concurrent.Future<?> f : closing) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // HTTP replies too: a task behind every queued write on each event loop is a barrier
        for (io.netty.util.concurrent.EventExecutor loop : io) {
            loop.submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        // the I/O threads' inline sessions: only now that those threads have ended can nobody use them
        if (io.isTerminated()) {
            for (IoLoop l : loops.values()) {
                l.close();
            }
        } else {
            LOG.warn("edge server: the I/O threads did not stop; their sessions are left open");
        }
        for (Tail t : tails.values()) {
            t.close();
        }
        LOG.info("edge server stopped: {}", load());
    }

    /**
     * One I/O thread's share of the server: how many channels (native and HTTP) it serves, and the
     * sessions it runs tails inline with ({@link TailScheduler#tryRunInline}), made on its first inline
     * run, used by that thread only, closed once it has terminated.
     */
    @ServerOnly
    static final class IoLoop {
        final AtomicInteger channels = new AtomicInteger();
        private volatile WorkerContext context;

        /** This I/O thread's sessions; call on that thread only. */
        WorkerContext context() {
            WorkerContext c = context;
            if (c == null) {
                c = new WorkerContext();
                context = c;
            }
            return c;
        }

        void close() {
            WorkerContext c = context;
            if (c != null) {
                c.close();
            }
        }
    }

    /** The open connections. */
    @ServerOnly
    private static final class Set {
        private final java.util.Set<NativeConnectionHandler> set = ConcurrentHashMap.newKeySet();

        void add(NativeConnectionHandler c) {
            set.add(c);
        }

        void remove(NativeConnectionHandler c) {
            set.remove(c);
        }

        int size() {
            return set.size();
        }

        List<NativeConnectionHandler> snapshot() {
            return new ArrayList<>(set);
        }
    }
}
