package io.edgesplit.offload.client;

import io.edgesplit.codec.CodecException;
import io.edgesplit.codec.Codecs;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadException;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.protocol.ControlFrame;
import io.edgesplit.offload.protocol.ErrorFrame;
import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.FrameException;
import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.FrameReader;
import io.edgesplit.offload.protocol.FrameType;
import io.edgesplit.offload.protocol.HelloFrame;
import io.edgesplit.offload.protocol.HelloOkFrame;
import io.edgesplit.offload.protocol.InferResponseFrame;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.protocol.StatusFrame;
import io.edgesplit.offload.protocol.TensorSection;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket to the server. Requests are written whole under a lock by the submitting threads.
 * Replies are read by whoever holds the <em>read role</em> and demultiplexed by request id to their
 * futures:
 *
 * <ul>
 *   <li>a caller blocked in {@link #await} for its own reply takes the role when it is free and reads
 *       until its reply has come (leader/follower), dispatching any other reply it meets; a caller
 *       that finds the role taken parks until its reply is dispatched to it or the role is handed
 *       over. The reply then costs no thread hand-off on the client: the caller that sent it reads
 *       it, as a blocking single-request client would;</li>
 *   <li>the connection's background reader takes the role only when something not awaited is due:
 *       replies to {@link #send asynchronous} requests, a PONG, a STATUS. While the connection is
 *       quiet nobody reads; the keep-alive PING finds a server that went away.</li>
 * </ul>
 *
 * <p>A partly read frame survives a read timeout (the leader reads with its deadline as the socket
 * timeout), so the next reader resumes it. Plain {@link Socket} or {@link SSLSocket} only, so it
 * runs on Android.
 */
final class NativeConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NativeConnection.class);

    /** What a pending request needs when its reply arrives. */
    static final class Pending {
        final CompletableFuture<OffloadResult> future;
        final long sentAtNs;
        final int bytesSent;
        final List<TensorSpec> outputSpecs;
        /** The thread that will {@link #await} the reply, or null for an asynchronous request. */
        final Thread waiter;
        volatile ScheduledFuture<?> timer;

        Pending(CompletableFuture<OffloadResult> future, long sentAtNs, int bytesSent, List<TensorSpec> outputSpecs) {
            this(future, sentAtNs, bytesSent, outputSpecs, null);
        }

        Pending(CompletableFuture<OffloadResult> future, long sentAtNs, int bytesSent, List<TensorSpec> outputSpecs,
                Thread waiter) {
            this.future = future;
            this.sentAtNs = sentAtNs;
            this.bytesSent = bytesSent;
            this.outputSpecs = outputSpecs;
            this.waiter = waiter;
        }
    }

    private final NativeClientConfig config;
    private final String targetId;
    private final NanoClock clock;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final Runnable onClosed;
    private final byte[] controlBytes = new byte[FrameHeader.HEADER_LENGTH];
    private final ControlFrame ping = new ControlFrame(FrameType.PING);
    private volatile boolean goaway;
    private volatile boolean closed;
    private volatile long lastReadNs;
    private volatile long pingSentNs;
    private final ConcurrentHashMap<Long, CompletableFuture<StatusSnapshot>> statusRequests = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong statusIds = new java.util.concurrent.atomic.AtomicLong();
    private long lateReplies;

    // the read role and what its holder owns
    private final ReentrantLock readRole = new ReentrantLock();
    private final FrameReader reader;
    private final ExpandableArrayBuffer readBuf = new ExpandableArrayBuffer(4096);
    private final Map<String, TensorCodec> replyCodecs = new HashMap<>();
    private int readPos;
    private int readLength = -1;
    private int soTimeoutMs = -1;
    /** Callers parked in {@link #await} whose reply has not come: one of them takes over the role. */
    private final ConcurrentLinkedQueue<Pending> followers = new ConcurrentLinkedQueue<>();
    /** Asynchronous requests in flight: their replies need the background reader when no caller reads. */
    private final AtomicInteger asyncInFlight = new AtomicInteger();
    private volatile Thread background;
    /** Replies read by the caller that waited for one (no hand-off), and by the background reader. */
    final java.util.concurrent.atomic.AtomicLong repliesReadByCallers = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong repliesReadInBackground = new java.util.concurrent.atomic.AtomicLong();

    private NativeConnection(NativeClientConfig config, String targetId, Socket socket, int serverMaxInFlight,
            Runnable onClosed) throws IOException {
        this.config = config;
        this.targetId = targetId;
        this.clock = config.clock();
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.maxInFlight = Math.min(config.maxInFlightPerConnection(), serverMaxInFlight);
        this.onClosed = onClosed;
        this.lastReadNs = clock.nanoTime();
        this.reader = new FrameReader(config.limits());
    }

    /**
     * Connects, handshakes TLS, authenticates with HELLO, all within the connect timeout; blocking.
     *
     * @throws ConnectionException when any step fails (not retryable for authentication and TLS
     *     certificate failures)
     */
    static NativeConnection open(NativeClientConfig config, String targetId, Runnable onClosed) throws ConnectionException {
        Socket socket = null;
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(config.host(), config.port()), config.connectTimeoutMs());
            socket.setSoTimeout(config.connectTimeoutMs());
            if (config.tls() != null) {
                SSLSocket ssl = (SSLSocket) config.tls().socketFactory().createSocket(socket, config.host(), config.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                if (config.tls().verifyHostname()) {
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                }
                ssl.setSSLParameters(params);
                try {
                    ssl.startHandshake();
                } catch (javax.net.ssl.SSLHandshakeException e) {
                    throw new ConnectionException(targetId + ": TLS handshake failed: " + e.getMessage(), false, e);
                }
                socket = ssl;
            }
            HelloOkFrame ok = hello(config, targetId, socket);
            socket.setSoTimeout(0);
            NativeConnection c = new NativeConnection(config, targetId, socket, ok.maxInFlight(), onClosed);
            return c;
        } catch (ConnectionException e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionException(targetId + ": cannot connect: " + e, true, e);
        }
    }

    private static HelloOkFrame hello(NativeClientConfig config, String targetId, Socket socket) throws IOException {
        UnsafeBuffer buf = new UnsafeBuffer(new byte[HelloFrame.BODY_OFFSET + HelloFrame.MAX_TOKEN_BYTES
                + HelloFrame.MAX_CLIENT_NAME_BYTES]);
        HelloFrame hello = new HelloFrame().wrapForEncode(buf, 0, buf.capacity());
        hello.credentials(config.token(), config.clientName());
        int n = hello.finish();
        socket.getOutputStream().write(buf.byteArray(), 0, n);
        socket.getOutputStream().flush();
        FrameReader reader = new FrameReader(config.limits());
        ExpandableArrayBuffer in = new ExpandableArrayBuffer(64);
        Frame reply;
        try {
            reply = readFrame(socket.getInputStream(), in, reader);
        } catch (SocketTimeoutException e) {
            throw new ConnectionException(targetId + ": no answer to HELLO within " + config.connectTimeoutMs() + " ms",
                    true, e);
        }
        if (reply instanceof HelloOkFrame) {
            return (HelloOkFrame) reply;
        }
        if (reply instanceof ErrorFrame) {
            ErrorFrame e = (ErrorFrame) reply;
            boolean retryable = e.status() == StatusCode.SHUTTING_DOWN || e.status() == StatusCode.BUSY;
            throw new ConnectionException(targetId + ": server refused the connection: " + e.status() + ": "
                    + e.message(), retryable, null);
        }
        throw new ConnectionException(targetId + ": expected HELLO_OK, got " + reply.type(), false, null);
    }

    /** Reads one whole frame; the buffer grows only after the header has been validated. */
    private static Frame readFrame(InputStream in, ExpandableArrayBuffer buf, FrameReader reader) throws IOException {
        byte[] array = buf.byteArray();
        readFully(in, array, 0, FrameHeader.PREFIX_LENGTH);
        int length = FrameHeader.checkPrefix(buf, 0, reader.limits());
        buf.checkLimit(length);
        array = buf.byteArray();
        readFully(in, array, FrameHeader.PREFIX_LENGTH, length - FrameHeader.PREFIX_LENGTH);
        return reader.read(buf, 0, length);
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("connection closed by the server");
            }
            off += n;
            len -= n;
        }
    }

    /** True when a new request may be sent here now. */
    boolean usable() {
        return !closed && !goaway && inFlight.get() < maxInFlight;
    }

    boolean isClosed() {
        return closed;
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * Registers {@code p} under {@code requestId}, then writes the frame. Returns false (without
     * sending) when the connection is full or closing, so the caller can pick another.
     */
    boolean send(long requestId, Pending p, byte[] frame, int length) {
        if (inFlight.incrementAndGet() > maxInFlight || closed || goaway) {
            inFlight.decrementAndGet();
            return false;
        }
        pending.put(requestId, p);
        if (p.waiter == null) {
            asyncInFlight.incrementAndGet();
        }
        p.future.whenComplete((r, e) -> {
            if (pending.remove(requestId) != null) {
                inFlight.decrementAndGet();
            }
            ScheduledFuture<?> t = p.timer;
            if (t != null) {
                t.cancel(false);
            }
            if (p.waiter == null) {
                asyncInFlight.decrementAndGet();
            } else {
                LockSupport.unpark(p.waiter);
            }
        });
        if (p.waiter == null) {
            wakeBackground();
        }
        writeLock.lock();
        try {
            out.write(frame, 0, length);
            out.flush();
        } catch (IOException e) {
            fail(p, new ConnectionException(targetId + ": write failed: " + e, true, e));
            close(new ConnectionException(targetId + ": write failed: " + e, true, e));
        } finally {
            writeLock.unlock();
        }
        return true;
    }

    /**
     * The connection's background reader (one thread per connection): reads while something not
     * awaited by a caller is due (asynchronous replies, a PONG, a STATUS) and no caller reads, then
     * parks. Returns when the connection closes.
     */
    void readLoop() {
        background = Thread.currentThread();
        try {
            while (!closed) {
                if (!backgroundNeeded() || !readRole.tryLock()) {
                    LockSupport.park(this);
                    continue;
                }
                try {
                    // a parked caller takes over between frames: its reply then costs it no hand-off
                    while (!closed && backgroundNeeded() && !hasWaitingFollower()) {
                        dispatch(readFrame(0));
                    }
                } finally {
                    readRole.unlock();
                }
                handOff();
            }
        } catch (IOException | RuntimeException e) {
            readFailed(e);
        } finally {
            background = null;
        }
    }

    /**
     * Waits for the reply to {@code p} (sent with {@code p.waiter} = this thread) until
     * {@code deadlineNs}, reading from the socket itself when no one else is: see the class comment.
     * Uninterruptible, like {@link CompletableFuture#join()}: an interrupt is kept for the caller.
     *
     * @return the result
     * @throws OffloadException what the request failed with; {@link OffloadTimeoutException} (with
     *     the bytes sent and the time waited) when no reply came by the deadline
     */
    OffloadResult await(Pending p, long deadlineNs) throws OffloadException {
        boolean interrupted = false;
        try {
            while (!p.future.isDone()) {
                long left = deadlineNs - clock.nanoTime();
                if (left <= 0) {
                    p.future.completeExceptionally(new OffloadTimeoutException(targetId + ": no reply within the deadline ("
                            + (deadlineNs - p.sentAtNs) / 1_000_000 + " ms)", p.bytesSent, clock.nanoTime() - p.sentAtNs));
                    break;
                }
                followers.add(p); // before trying the role: a leader that leaves now unparks us
                if (readRole.tryLock()) {
                    followers.remove(p);
                    try {
                        lead(p, deadlineNs);
                    } finally {
                        readRole.unlock();
                    }
                    handOff();
                } else {
                    LockSupport.parkNanos(this, left);
                    followers.remove(p);
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return OffloadTarget.await(targetId, p.future, 0);
    }

    /** Holding the read role: reads and dispatches frames until {@code p} is answered or its deadline passes. */
    private void lead(Pending p, long deadlineNs) {
        try {
            while (!closed && !p.future.isDone()) {
                long left = deadlineNs - clock.nanoTime();
                if (left <= 0) {
                    return; // await() fails it
                }
                Frame frame;
                try {
                    frame = readFrame((int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000)));
                } catch (SocketTimeoutException e) {
                    continue; // a partly read frame stays for the next reader
                }
                dispatch(frame);
            }
        } catch (IOException | RuntimeException e) {
            readFailed(e);
        }
    }

    /** After the read role is released: a parked caller takes it, else the background reader if needed. */
    private void handOff() {
        if (readRole.isLocked()) {
            return;
        }
        for (Pending f : followers) {
            if (!f.future.isDone()) {
                LockSupport.unpark(f.waiter);
                return;
            }
        }
        if (backgroundNeeded()) {
            wakeBackground();
        }
    }

    private boolean hasWaitingFollower() {
        for (Pending f : followers) {
            if (!f.future.isDone()) {
                return true;
            }
        }
        return false;
    }

    /** Something only the background reader would read: asynchronous replies, a PONG, a STATUS. */
    private boolean backgroundNeeded() {
        return asyncInFlight.get() > 0 || pingSentNs != 0 || !statusRequests.isEmpty();
    }

    private void wakeBackground() {
        Thread b = background;
        if (b != null && !readRole.isLocked()) {
            LockSupport.unpark(b);
        }
    }

    private void readFailed(Exception e) {
        if (e instanceof FrameException) {
            close(new ConnectionException(targetId + ": protocol error from the server: " + e.getMessage(), true, e));
        } else if (e instanceof IOException) {
            close(new ConnectionException(targetId + ": connection lost: " + e.getMessage(), true, e));
        } else {
            LOG.error("{}: reader failed", targetId, e);
            close(new ConnectionException(targetId + ": reader failed: " + e, true, e));
        }
    }

    /**
     * Reads one whole frame, resuming one that a read timeout interrupted; the buffer grows only
     * after the header has been validated. Caller holds the read role.
     *
     * @param timeoutMs the socket read timeout, 0 for none
     */
    private Frame readFrame(int timeoutMs) throws IOException {
        if (timeoutMs != soTimeoutMs) {
            socket.setSoTimeout(timeoutMs);
            soTimeoutMs = timeoutMs;
        }
        while (readPos < FrameHeader.PREFIX_LENGTH) {
            readPos += readSome(readBuf.byteArray(), readPos, FrameHeader.PREFIX_LENGTH - readPos);
        }
        if (readLength < 0) {
            int length = FrameHeader.checkPrefix(readBuf, 0, reader.limits());
            readBuf.checkLimit(length);
            readLength = length;
        }
        while (readPos < readLength) {
            readPos += readSome(readBuf.byteArray(), readPos, readLength - readPos);
        }
        int length = readLength;
        readPos = 0;
        readLength = -1;
        return reader.read(readBuf, 0, length);
    }

    private int readSome(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        return n;
    }

    private void dispatch(Frame frame) throws IOException {
        lastReadNs = clock.nanoTime();
        pingSentNs = 0;
        switch (frame.type()) {
            case INFER_RESPONSE:
                (Thread.currentThread() == background ? repliesReadInBackground : repliesReadByCallers).incrementAndGet();
                onResponse((InferResponseFrame) frame, replyCodecs);
                break;
            case ERROR:
                onError((ErrorFrame) frame);
                break;
            case PONG:
                break;
            case PING:
                writeControl(FrameType.PONG, frame.requestId());
                break;
            case STATUS:
                onStatus((StatusFrame) frame);
                break;
            case GOAWAY:
                goaway = true;
                if (pending.isEmpty()) {
                    close(new ConnectionException(targetId + ": server is draining", true, null));
                }
                break;
            default:
                throw new FrameException(FrameException.Rejection.UNEXPECTED_TYPE, "a server does not send "
                        + frame.type());
        }
    }

    private void onResponse(InferResponseFrame r, Map<String, TensorCodec> codecs) {
        Pending p = pending.get(r.requestId());
        if (p == null) {
            lateReplies++;
            LOG.debug("{}: reply to request {} arrived after it completed ({} so far)", targetId, r.requestId(), lateReplies);
            return;
        }
        long rtt = clock.nanoTime() - p.sentAtNs;
        try {
            TensorCodec codec = codecs.computeIfAbsent(r.codecName(), NativeConnection::codecOrNull);
            if (codec == null) {
                throw new OffloadRejectedException(StatusCode.BAD_REQUEST, targetId + ": reply uses unknown codec '"
                        + r.codecName() + "'");
            }
            TensorSection t = r.tensors();
            if (p.outputSpecs != null && p.outputSpecs.size() != t.count()) {
                throw new OffloadRejectedException(StatusCode.BAD_REQUEST, targetId + ": reply has " + t.count()
                        + " outputs, the request expects " + p.outputSpecs.size());
            }
            List<Tensor> outputs = new ArrayList<>(t.count());
            for (int i = 0; i < t.count(); i++) {
                TensorSpec spec;
                if (p.outputSpecs != null) {
                    spec = p.outputSpecs.get(i);
                    if (!t.matches(i, spec)) {
                        throw new OffloadRejectedException(StatusCode.BAD_REQUEST, "tensor '" + spec.name() + "' expects "
                                + spec.shapeAndType() + ", got " + t.shapeAndType(i));
                    }
                } else {
                    spec = TensorSpec.of("output" + i, t.dataType(i), t.shape(i));
                }
                Tensor tensor = Tensor.allocate(spec);
                codec.decode(r.buffer(), t.payloadOffset(i), t.payloadLength(i), tensor);
                outputs.add(tensor);
            }
            p.future.complete(OffloadResult.builder().outputs(outputs).targetId(targetId).queueNs(r.queueNs())
                    .computeNs(r.computeNs()).roundTripNs(rtt).bytesSent(p.bytesSent).bytesReceived(r.frameLength())
                    .batchSize(r.batchSize()).build());
        } catch (CodecException e) {
            p.future.completeExceptionally(new OffloadRejectedException(StatusCode.BAD_REQUEST, targetId
                    + ": malformed output from the server: " + e.getMessage()));
        } catch (OffloadException e) {
            p.future.completeExceptionally(e);
        }
    }

    private static TensorCodec codecOrNull(String name) {
        try {
            return Codecs.create(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void onError(ErrorFrame e) {
        StatusCode status = e.status();
        String message = targetId + ": " + status + ": " + e.message();
        OffloadException ex;
        switch (status) {
            case BUSY:
            case RATE_LIMITED:
            case SHUTTING_DOWN:
                ex = new ServerBusyException(status, message, e.retryAfterNs());
                break;
            case DEADLINE_EXCEEDED:
                ex = new OffloadTimeoutException(message);
                break;
            default:
                ex = new OffloadRejectedException(status, message);
        }
        if (e.requestId() == 0 || status == StatusCode.PROTOCOL_ERROR || status == StatusCode.UNAUTHENTICATED) {
            close(ex);
            return;
        }
        Pending p = pending.get(e.requestId());
        if (p != null) {
            p.future.completeExceptionally(ex);
        }
    }

    private void onStatus(StatusFrame s) {
        CompletableFuture<StatusSnapshot> f = statusRequests.remove(s.requestId());
        if (f != null) {
            f.complete(new StatusSnapshot(s.workers(), s.queued(), s.running(), s.connections(), s.estimatedQueueNs(),
                    s.completed(), s.rejectedBusy(), s.expired()));
        }
    }

    CompletableFuture<StatusSnapshot> requestStatus() {
        CompletableFuture<StatusSnapshot> f = new CompletableFuture<>();
        long id = statusIds.incrementAndGet();
        statusRequests.put(id, f);
        if (closed) {
            statusRequests.remove(id);
            f.completeExceptionally(new ConnectionException(targetId + ": connection closed", true, null));
            return f;
        }
        try {
            writeControl(FrameType.STATUS_REQUEST, id);
            wakeBackground();
        } catch (IOException e) {
            statusRequests.remove(id);
            f.completeExceptionally(new ConnectionException(targetId + ": " + e, true, e));
        }
        return f;
    }

    private void writeControl(FrameType type, long requestId) throws IOException {
        writeLock.lock();
        try {
            UnsafeBuffer b = new UnsafeBuffer(controlBytes);
            ControlFrame f = type == FrameType.PING ? ping : new ControlFrame(type);
            f.wrapForEncode(b, 0, b.capacity()).requestId(requestId).finish();
            out.write(controlBytes, 0, FrameHeader.HEADER_LENGTH);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Keep-alive tick: pings a quiet connection and closes one whose ping went unanswered for a
     * whole interval (the server or the path is gone without a FIN: a half-open connection).
     */
    void keepAlive(long intervalNs) {
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        long sent = pingSentNs;
        if (sent != 0 && now - sent >= intervalNs) {
            close(new ConnectionException(targetId + ": no answer to PING within " + intervalNs / 1_000_000
                    + " ms: the connection is dead", true, null));
            return;
        }
        if (sent == 0 && now - lastReadNs >= intervalNs) {
            try {
                pingSentNs = now;
                writeControl(FrameType.PING, now);
                wakeBackground();
            } catch (IOException e) {
                close(new ConnectionException(targetId + ": ping failed: " + e, true, e));
            }
        }
    }

    private void fail(Pending p, OffloadException e) {
        p.future.completeExceptionally(e);
    }

    /** Closes the socket and fails every pending request with {@code cause}. Idempotent. */
    void close(OffloadException cause) {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(socket);
        for (Pending p : pending.values()) {
            p.future.completeExceptionally(cause);
        }
        for (CompletableFuture<StatusSnapshot> s : statusRequests.values()) {
            s.completeExceptionally(cause);
        }
        statusRequests.clear();
        Thread b = background;
        if (b != null) {
            LockSupport.unpark(b);
        }
        onClosed.run();
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("close failed", e);
            }
        }
    }
}
