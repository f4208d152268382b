package io.edgesplit.offload.client;

import io.edgesplit.codec.Codecs;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * The native protocol's client: an {@link OffloadTarget} for one edge server. Keeps a small pool of
 * connections, each multiplexing many requests; encodes the crossing tensors with the request's
 * codec straight into the frame (the codec layer of the chain), sends the remaining time budget in
 * the header, fails a request with {@link OffloadTimeoutException} at its deadline (saying how many
 * bytes it sent and how long it waited; a late reply is dropped), and turns server errors into
 * {@link io.edgesplit.offload.OffloadException} subclasses.
 *
 * <p>Retries, circuit breaking and fallback are not here: wrap the client with
 * {@link io.edgesplit.offload.resilience.ResilientTarget}. Thread-safe. Uses plain sockets (or
 * {@code SSLSocket}), so it runs on Android. A blocking {@link #call} reads its own reply on the
 * caller's thread; each connection's background reader thread reads replies to asynchronous
 * {@link #submit}s (see {@code NativeConnection}). Owns its threads: close it.
 */
public final class NativeOffloadClient implements OffloadTarget {

    private final NativeClientConfig config;
    private final String id;
    private final NanoClock clock;
    private final NativeConnection[] connections;
    private final CompletableFuture<?>[] connecting;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService io;
    private final ConcurrentLinkedQueue<Encoder> encoders = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private NativeOffloadClient(NativeClientConfig config) {
        this.config = config;
        this.id = config.clientName() + "->" + config.host() + ":" + config.port();
        this.clock = config.clock();
        this.connections = new NativeConnection[config.connections()];
        this.connecting = new CompletableFuture<?>[config.connections()];
        AtomicInteger threadNumber = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "edgesplit-client-timer");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edgesplit-client-io-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (config.pingIntervalMs() > 0) {
            long intervalNs = TimeUnit.MILLISECONDS.toNanos(config.pingIntervalMs());
            scheduler.scheduleWithFixedDelay(() -> keepAlive(intervalNs), config.pingIntervalMs() / 2,
                    Math.max(1, config.pingIntervalMs() / 2), TimeUnit.MILLISECONDS);
        }
    }

    /** A client for the configured server; connects lazily on the first request. */
    public static NativeOffloadClient create(NativeClientConfig config) {
        return new NativeOffloadClient(config);
    }

    @Override
    public String id() {
        return id;
    }

    public NativeClientConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<OffloadResult> submit(OffloadRequest request, long deadlineNs) {
        CompletableFuture<OffloadResult> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new ConnectionException(id + ": client is closed", false, null));
            return future;
        }
        long now = clock.nanoTime();
        if (deadlineNs - now <= 0) {
            future.completeExceptionally(new OffloadTimeoutException(id + ": deadline passed before sending ("
                    + (now - deadlineNs) / 1000 + " us ago)"));
            return future;
        }
        Encoder encoder = encoder();
        int length;
        long requestId = requestIds.incrementAndGet();
        try {
            length = encoder.encode(request, requestId, deadlineNs - now);
        } catch (RuntimeException e) {
            encoders.offer(encoder);
            future.completeExceptionally(e);
            return future;
        }
        NativeConnection c = pick();
        if (c != null) {
            sendOn(c, encoder, length, requestId, request, deadlineNs, future);
        } else {
            // No usable connection: connect off the caller's thread, send from there. The deadline holds
            // while connecting too (nothing was sent: the timeout carries no bytes).
            byte[] copy = java.util.Arrays.copyOf(encoder.frame.byteArray(), length);
            encoders.offer(encoder);
            java.util.concurrent.ScheduledFuture<?> timer = scheduler.schedule(() -> future.completeExceptionally(
                    new OffloadTimeoutException(id + ": deadline passed while connecting")), deadlineNs - now,
                    TimeUnit.NANOSECONDS);
            future.whenComplete((r, e) -> timer.cancel(false));
            connectAny().whenComplete((conn, e) -> {
                if (future.isDone()) {
                    return;
                } else if (e != null) {
                    future.completeExceptionally(e instanceof java.util.concurrent.CompletionException ? e.getCause() : e);
                } else {
                    sendBytes(conn, copy, length, requestId, request, deadlineNs, future);
                }
            });
        }
        return future;
    }

    /**
     * The blocking form, and the fast one: the calling thread sends the request and then reads the
     * reply from the socket itself when no other thread is reading it (leader/follower, see
     * {@link NativeConnection}), so the reply reaches the caller without a thread hand-off, and the
     * deadline is kept by the socket timeout, without a timer. When no connection is open yet, it
     * connects off the caller's thread and waits, as {@link #submit} does.
     */
    @Override
    public OffloadResult call(OffloadRequest request, long deadlineNs) throws OffloadException {
        if (closed) {
            throw new ConnectionException(id + ": client is closed", false, null);
        }
        long now = clock.nanoTime();
        if (deadlineNs - now <= 0) {
            throw new OffloadTimeoutException(id + ": deadline passed before sending (" + (now - deadlineNs) / 1000
                    + " us ago)");
        }
        NativeConnection c = pick();
        if (c == null) {
            return OffloadTarget.super.call(request, deadlineNs);
        }
        Encoder encoder = encoder();
        long requestId = requestIds.incrementAndGet();
        CompletableFuture<OffloadResult> future = new CompletableFuture<>();
        NativeConnection.Pending p;
        try {
            int length = encoder.encode(request, requestId, deadlineNs - now);
            p = new NativeConnection.Pending(future, clock.nanoTime(), length, request.outputSpecs(),
                    Thread.currentThread());
            if (!c.send(requestId, p, encoder.frame.byteArray(), length)) {
                throw new ServerBusyException(StatusCode.BUSY, id + ": " + c.inFlight()
                        + " requests in flight on the connection, its limit", 0);
            }
        } finally {
            encoders.offer(encoder);
        }
        return c.await(p, deadlineNs);
    }

    private void sendOn(NativeConnection c, Encoder encoder, int length, long requestId, OffloadRequest request,
            long deadlineNs, CompletableFuture<OffloadResult> future) {
        try {
            sendBytes(c, encoder.frame.byteArray(), length, requestId, request, deadlineNs, future);
        } finally {
            encoders.offer(encoder);
        }
    }

    private void sendBytes(NativeConnection c, byte[] frame, int length, long requestId, OffloadRequest request,
            long deadlineNs, CompletableFuture<OffloadResult> future) {
        long now = clock.nanoTime();
        long remaining = deadlineNs - now;
        if (remaining <= 0) {
            future.completeExceptionally(new OffloadTimeoutException(id + ": deadline passed while connecting"));
            return;
        }
        NativeConnection.Pending p = new NativeConnection.Pending(future, now, length, request.outputSpecs());
        p.timer = scheduler.schedule(() -> future.completeExceptionally(new OffloadTimeoutException(id
                + ": no reply within the deadline (" + remaining / 1_000_000 + " ms)", length, clock.nanoTime() - now)),
                remaining, TimeUnit.NANOSECONDS);
        if (!c.send(requestId, p, frame, length)) {
            p.timer.cancel(false);
            future.completeExceptionally(new ServerBusyException(StatusCode.BUSY, id + ": " + c.inFlight()
                    + " requests in flight on the connection, its limit", 0));
        }
    }

    /** A usable open connection, round robin, or null when none is open; starts connecting empty slots. */
    private NativeConnection pick() {
        int n = connections.length;
        int start = Math.floorMod(next.getAndIncrement(), n);
        NativeConnection found = null;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            NativeConnection c = connections[i];
            if (c != null && c.usable()) {
                if (found == null) {
                    found = c;
                }
            } else if (c == null || c.isClosed()) {
                connectSlot(i);
            }
        }
        return found;
    }

    /** The first slot's connection to come up (or the first failure when all fail). */
    @SuppressWarnings("unchecked")
    private CompletableFuture<NativeConnection> connectAny() {
        CompletableFuture<NativeConnection> any = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        int n = connections.length;
        for (int i = 0; i < n; i++) {
            CompletableFuture<NativeConnection> f = (CompletableFuture<NativeConnection>) connectSlot(i);
            f.whenComplete((c, e) -> {
                if (e == null) {
                    any.complete(c);
                } else if (failures.incrementAndGet() == n) {
                    any.completeExceptionally(e);
                }
            });
        }
        return any;
    }

    /** The slot's connection, or a future of it, connecting when the slot is empty or closed. */
    private synchronized CompletableFuture<?> connectSlot(int i) {
        NativeConnection c = connections[i];
        if (c != null && !c.isClosed()) {
            return CompletableFuture.completedFuture(c);
        }
        CompletableFuture<?> f = connecting[i];
        if (f != null && !f.isDone()) {
            return f;
        }
        if (closed) {
            CompletableFuture<OffloadResult> closed = new CompletableFuture<>(); // failedFuture is Java 9, not Android 26
            closed.completeExceptionally(new ConnectionException(id + ": client is closed", false, null));
            return closed;
        }
        CompletableFuture<NativeConnection> created = new CompletableFuture<>();
        connecting[i] = created;
        io.execute(() -> {
            try {
                NativeConnection conn = NativeConnection.open(config, id, () -> onClosed(i));
                synchronized (this) {
                    if (closed) {
                        conn.close(new ConnectionException(id + ": client is closed", false, null));
                        created.completeExceptionally(new ConnectionException(id + ": client is closed", false, null));
                        return;
                    }
                    connections[i] = conn;
                }
                io.execute(conn::readLoop);
                created.complete(conn);
            } catch (ConnectionException e) {
                created.completeExceptionally(e);
            } catch (RuntimeException e) {
                created.completeExceptionally(new ConnectionException(id + ": cannot connect: " + e, true, e));
            }
        });
        return created;
    }

    private synchronized void onClosed(int slot) {
        // the slot reconnects on the next request
    }

    private void keepAlive(long intervalNs) {
        for (NativeConnection c : connections) {
            if (c != null) {
                c.keepAlive(intervalNs);
            }
        }
    }

    /**
     * Opens the pool's connections (TCP, TLS handshake, HELLO) now, off the caller's thread, so the
     * first request does not pay for them within its deadline. Completes when the first connection
     * is authenticated (the others keep connecting), or exceptionally with the
     * {@link ConnectionException} of the last slot to fail when none could connect.
     */
    @Override
    public CompletableFuture<Void> connect() {
        return connectAny().thenApply(c -> null);
    }

    /**
     * Asks the server for its load over one of the connections (connecting if needed).
     *
     * @return the report, or an exceptional future with a {@link ConnectionException}
     */
    public CompletableFuture<StatusSnapshot> status() {
        NativeConnection c = pick();
        CompletableFuture<NativeConnection> conn = c != null ? CompletableFuture.completedFuture(c) : connectAny();
        return conn.thenCompose(NativeConnection::requestStatus);
    }

    /**
     * Replies read so far by the open connections: {@code [by the caller that waited for one, by a
     * background reader]} (for tests and metrics: the first is the hand-off-free path).
     */
    long[] repliesRead() {
        long[] n = new long[2];
        for (NativeConnection c : connections) {
            if (c != null) {
                n[0] += c.repliesReadByCallers.get();
                n[1] += c.repliesReadInBackground.get();
            }
        }
        return n;
    }

    /** Open connections right now (for tests and metrics). */
    public int openConnections() {
        int n = 0;
        for (NativeConnection c : connections) {
            if (c != null && !c.isClosed()) {
                n++;
            }
        }
        return n;
    }

    private Encoder encoder() {
        Encoder e = encoders.poll();
        return e != null ? e : new Encoder();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ConnectionException cause = new ConnectionException(id + ": client closed", false, null);
        for (NativeConnection c : connections) {
            if (c != null) {
                c.close(cause);
            }
        }
        scheduler.shutdownNow();
        io.shutdownNow();
    }

    @Override
    public String toString() {
        return "NativeOffloadClient{" + id + '}';
    }

    /** Reusable encode state: a frame buffer, the flyweight and one codec per name. Not thread-safe. */
    private final class Encoder {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(4096);
        final InferRequestFrame flyweight = new InferRequestFrame();
        final Map<String, TensorCodec> codecs = new HashMap<>();
        String segmentHex;
        SegmentId segment;

        int encode(OffloadRequest request, long requestId, long timeoutNs) {
            TensorCodec codec = codecs.computeIfAbsent(request.codecName(), Codecs::create);
            List<Tensor> inputs = request.inputs();
            long bound = 0;
            for (Tensor t : inputs) {
                bound += codec.maxEncodedLength(t.spec());
            }
            int capacity = InferRequestFrame.maxLength(inputs.size(), bound);
            if (capacity < 0) {
                throw new IllegalArgumentException("request " + request + ": up to " + bound
                        + " payload bytes do not fit in one frame");
            }
            frame.checkLimit(capacity);
            if (!request.segmentSha256().equals(segmentHex)) {
                segment = SegmentId.fromHex(request.segmentSha256());
                segmentHex = request.segmentSha256();
            }
            InferRequestFrame f = flyweight.wrapForEncode(frame, 0, frame.capacity());
            f.requestId(requestId).timeoutNs(Math.min(timeoutNs, FrameLimits.MAX_TIMEOUT_NS)).segment(segment)
                    .codecName(codec.name()).tensorCount(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                Tensor t = inputs.get(i);
                int at = f.beginTensor(i, t.dataType(), t.shape());
                int n = codec.encode(t, f.buffer(), at, null);
                f.endTensor(i, n);
            }
            int length = f.finish();
            FrameLimits limits = config.limits();
            if (length > limits.maxFrameBytes()) {
                throw new IllegalArgumentException("request " + request + ": the frame is " + length
                        + " bytes, above the frame limit of " + limits.maxFrameBytes());
            }
            return length;
        }
    }
}
