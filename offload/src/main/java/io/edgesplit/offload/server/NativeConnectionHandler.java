package io.edgesplit.offload.server;

import io.edgesplit.codec.Codecs;
import io.edgesplit.offload.protocol.ControlFrame;
import io.edgesplit.offload.protocol.ErrorFrame;
import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.FrameException;
import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.protocol.FrameReader;
import io.edgesplit.offload.protocol.FrameType;
import io.edgesplit.offload.protocol.HelloFrame;
import io.edgesplit.offload.protocol.HelloOkFrame;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.protocol.StatusFrame;
import io.edgesplit.offload.protocol.TensorSection;
import io.edgesplit.tensor.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One native-protocol connection on the server: authentication (HELLO first, nothing else before),
 * rate limiting, request validation against the served tails, admission, and the connection's
 * timers (HELLO deadline, slow-drip frames, idleness). Errors for a request go back as ERROR frames
 * with its id; protocol violations close the connection after an ERROR frame.
 */
@ServerOnly
final class NativeConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(NativeConnectionHandler.class);

    private final EdgeServer server;
    private final EdgeServerConfig config;
    private final FrameDecoder decoder;
    private final EdgeServer.IoLoop loop;
    private final FrameReader reader;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private Channel channel;
    private String clientId;
    private String clientName;
    private ScheduledFuture<?> watchdog;
    private long connectedNs;
    private volatile boolean goaway;

    NativeConnectionHandler(EdgeServer server, FrameDecoder decoder, EdgeServer.IoLoop loop) {
        this.server = server;
        this.config = server.config();
        this.decoder = decoder;
        this.loop = loop;
        this.reader = new FrameReader(config.limits());
    }

    FrameLimits limits() {
        return config.limits();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        connectedNs = config.clock().nanoTime();
        server.connectionOpened(this);
        long tickMs = Math.max(10, Math.min(config.frameReadTimeoutMs(), config.helloTimeoutMs()) / 4);
        watchdog = ctx.executor().scheduleAtFixedRate(this::checkTimers, tickMs, tickMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        server.connectionClosed(this);
        ctx.fireChannelInactive();
    }

    /** Closes connections that are too slow to authenticate or to deliver a started frame. */
    private void checkTimers() {
        long now = config.clock().nanoTime();
        if (clientId == null && now - connectedNs > TimeUnit.MILLISECONDS.toNanos(config.helloTimeoutMs())) {
            LOG.debug("{}: no HELLO within {} ms, closing", channel.remoteAddress(), config.helloTimeoutMs());
            channel.close();
            return;
        }
        long partial = decoder.partialSinceNs();
        if (partial != 0 && now - partial > TimeUnit.MILLISECONDS.toNanos(config.frameReadTimeoutMs())) {
            LOG.debug("{}: a frame has been arriving for more than {} ms (slow drip), closing", channel.remoteAddress(),
                    config.frameReadTimeoutMs());
            sendErrorAndClose(0, StatusCode.PROTOCOL_ERROR, "TOO_SLOW: frame not completed within "
                    + config.frameReadTimeoutMs() + " ms");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && inFlight.get() == 0) {
            LOG.debug("{}: idle for {} ms, closing", channel.remoteAddress(), config.idleTimeoutMs());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        boolean handedOver = false;
        try {
            Frame frame;
            try {
                frame = reader.read(Buffers.readable(buf, view), 0, buf.readableBytes());
            } catch (FrameException e) {
                onFrameException(e, FrameHeader.requestId(view, 0));
                return;
            }
            switch (frame.type()) {
                case HELLO:
                    onHello((HelloFrame) frame);
                    break;
                case INFER_REQUEST:
                    handedOver = onRequest((InferRequestFrame) frame, buf);
                    break;
                case PING:
                    sendControl(FrameType.PONG, frame.requestId());
                    break;
                case STATUS_REQUEST:
                    sendStatus(frame.requestId());
                    break;
                case PONG:
                    break;
                default:
                    protocolError(frame.requestId(), "a client does not send " + frame.type());
            }
        } finally {
            if (!handedOver) {
                buf.release();
            }
        }
    }

    private void onFrameException(FrameException e, long requestId) {
        if (e.rejection().fatal() || clientId == null) {
            protocolError(requestId, e.getMessage());
        } else {
            sendError(requestId, StatusCode.BAD_REQUEST, e.getMessage(), 0, false);
        }
    }

    private void onHello(HelloFrame hello) {
        if (clientId != null) {
            protocolError(0, "HELLO sent twice");
            return;
        }
        List<X509Certificate> peers = peerCertificates();
        String id;
        try {
            id = config.authenticator().authenticate(hello.token(), peers);
        } catch (RuntimeException e) {
            LOG.error("authenticator failed", e);
            server.internalError();
            id = null;
        }
        if (id == null) {
            LOG.info("{}: authentication failed (client name '{}')", channel.remoteAddress(), hello.clientName());
            server.authenticationFailed();
            sendErrorAndClose(0, StatusCode.UNAUTHENTICATED, "authentication failed");
            return;
        }
        clientId = id;
        clientName = hello.clientName();
        decoder.authenticated();
        ByteBuf out = channel.alloc().directBuffer(HelloOkFrame.LENGTH);
        HelloOkFrame ok = new HelloOkFrame().wrapForEncode(Buffers.region(out, 0, HelloOkFrame.LENGTH, new UnsafeBuffer(0, 0)),
                0, HelloOkFrame.LENGTH);
        ok.maxFrameBytes(config.limits().maxFrameBytes()).maxInFlight(config.maxInFlightPerConnection())
                .workers(config.workers());
        out.writerIndex(ok.finish());
        channel.writeAndFlush(out, channel.voidPromise());
        LOG.debug("{}: client '{}' ({}) authenticated", channel.remoteAddress(), clientId, clientName);
    }

    private List<X509Certificate> peerCertificates() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * Validates a request, then runs it here on the I/O thread when that makes no one wait (see
     * {@link #mayRunInline}) or else admits it to the workers; returns true when the job took over the
     * buffer.
     */
    private boolean onRequest(InferRequestFrame r, ByteBuf buf) {
        long id = r.requestId();
        long now = config.clock().nanoTime();
        if (goaway || server.draining()) {
            sendError(id, StatusCode.SHUTTING_DOWN, "the server is draining", 0, false);
            return false;
        }
        long wait = server.rateLimit().acquire(clientId, now);
        if (wait > 0) {
            sendError(id, StatusCode.RATE_LIMITED, "rate limit of " + server.rateLimit() + " exceeded", wait, false);
            return false;
        }
        if (inFlight.get() >= config.maxInFlightPerConnection()) {
            sendError(id, StatusCode.BUSY, config.maxInFlightPerConnection() + " requests in flight on this connection",
                    0, false);
            return false;
        }
        Tail tail = server.tail(r.segmentWord(0), r.segmentWord(1), r.segmentWord(2), r.segmentWord(3));
        if (tail == null) {
            sendError(id, StatusCode.NOT_FOUND, "no such segment on this server", 0, false);
            return false;
        }
        String codec = r.codecName();
        if (!Codecs.names().contains(codec)) {
            sendError(id, StatusCode.BAD_REQUEST, "unknown codec '" + codec + "', expected one of " + Codecs.names(), 0,
                    false);
            return false;
        }
        TensorSection t = r.tensors();
        List<TensorSpec> inputs = tail.inputs();
        if (t.count() != inputs.size()) {
            sendError(id, StatusCode.BAD_REQUEST, tail.label() + " takes " + inputs.size() + " tensors, got " + t.count(), 0,
                    false);
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!t.matches(i, inputs.get(i))) {
                sendError(id, StatusCode.BAD_REQUEST, "tensor '" + inputs.get(i).name() + "' expects "
                        + inputs.get(i).shapeAndType() + ", got " + t.shapeAndType(i), 0, false);
                return false;
            }
        }
        long deadline = now + r.timeoutNs();
        NativeJob job = new NativeJob(tail, now, deadline, this, channel, id, codec, buf);
        inFlight.incrementAndGet();
        if (mayRunInline() && server.scheduler().tryRunInline(job, loop.context())) {
            return true; // answered, buffer released
        }
        int verdict = server.scheduler().admit(job);
        if (verdict == TailScheduler.ADMITTED) {
            return true;
        }
        inFlight.decrementAndGet();
        if (verdict == TailScheduler.REJECTED_DRAINING) {
            sendError(id, StatusCode.SHUTTING_DOWN, "the server is draining", 0, false);
        } else if (verdict == TailScheduler.REJECTED_QUEUE_FULL) {
            sendError(id, StatusCode.BUSY, "queue full", job.retryAfterNs, false);
        } else {
            sendError(id, StatusCode.BUSY, "cannot finish within the deadline: expected wait "
                    + job.retryAfterNs / 1000 + " us + compute " + tail.estimateNs() / 1000 + " us > "
                    + (deadline - now) / 1000 + " us left", job.retryAfterNs, false);
        }
        return false;
    }

    /**
     * The connection's side of running a request inline: inline runs are on, this is the only open
     * channel (native or HTTP) on this I/O thread, so no other client's request, PING or handshake
     * waits behind the run; and this connection has nothing else in flight (whose reply, written by a
     * worker, would wait for this thread) and no further frame already received (which a free worker
     * could take now instead of waiting here). The scheduler decides the rest.
     */
    private boolean mayRunInline() {
        return config.inlineMaxMs() > 0 && loop.channels.get() == 1 && inFlight.get() == 1 && !decoder.buffered();
    }

    /** Sends a reply built by a worker (any thread) or by an inline run (this connection's I/O thread). */
    void send(ByteBuf frame, long requestId) {
        inFlight.decrementAndGet();
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("{}: reply to request {} not delivered: {}", channel.remoteAddress(), requestId, f.cause().toString());
            }
        });
        afterReply();
    }

    /**
     * Sends an ERROR frame; any thread.
     *
     * @param forJob true when this answers an admitted job (releases its in-flight slot)
     */
    void sendError(long requestId, StatusCode status, String message, long retryAfterNs, boolean forJob) {
        if (forJob) {
            inFlight.decrementAndGet();
        }
        ByteBuf out = channel.alloc().directBuffer(ErrorFrame.MESSAGE_OFFSET + ErrorFrame.MAX_MESSAGE_BYTES);
        ErrorFrame e = new ErrorFrame().wrapForEncode(Buffers.region(out, 0, out.capacity(), new UnsafeBuffer(0, 0)), 0,
                out.capacity());
        e.requestId(requestId).status(status).retryAfterNs(Math.max(0, retryAfterNs)).message(message);
        out.writerIndex(e.finish());
        channel.writeAndFlush(out, channel.voidPromise());
        if (forJob) {
            afterReply();
        }
    }

    private void afterReply() {
        if (goaway && inFlight.get() == 0) {
            closeAfterWrites();
        }
    }

    /**
     * Closes the connection once every write queued before this call has been flushed: a close
     * issued from a worker right after its reply must never overtake that reply or another one.
     */
    io.netty.util.concurrent.Future<?> closeAfterWrites() {
        io.netty.util.concurrent.Promise<Void> closed = channel.eventLoop().newPromise();
        channel.eventLoop().execute(() -> channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                .addListener(ChannelFutureListener.CLOSE)
                .addListener(f -> channel.closeFuture().addListener(c -> closed.trySuccess(null))));
        return closed;
    }

    private void sendControl(FrameType type, long requestId) {
        ByteBuf out = channel.alloc().directBuffer(FrameHeader.HEADER_LENGTH);
        new ControlFrame(type).wrapForEncode(Buffers.region(out, 0, FrameHeader.HEADER_LENGTH, new UnsafeBuffer(0, 0)), 0,
                FrameHeader.HEADER_LENGTH).requestId(requestId).finish();
        out.writerIndex(FrameHeader.HEADER_LENGTH);
        channel.writeAndFlush(out, channel.voidPromise());
    }

    private void sendStatus(long requestId) {
        ServerLoad load = server.load();
        ByteBuf out = channel.alloc().directBuffer(StatusFrame.LENGTH);
        StatusFrame s = new StatusFrame().wrapForEncode(Buffers.region(out, 0, StatusFrame.LENGTH, new UnsafeBuffer(0, 0)),
                0, StatusFrame.LENGTH);
        s.requestId(requestId).workers(load.workers()).queued(load.queued()).running(load.running())
                .connections(load.connections()).estimatedQueueNs(load.estimatedQueueNs()).completed(load.completed())
                .rejectedBusy(load.rejectedBusy()).expired(load.expired());
        out.writerIndex(s.finish());
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** Tells the client to send nothing new; closes once in-flight requests are answered. Any thread. */
    void goaway() {
        channel.eventLoop().execute(() -> {
            goaway = true;
            if (clientId != null) {
                sendControl(FrameType.GOAWAY, 0);
            }
            if (inFlight.get() == 0) {
                closeAfterWrites();
            }
        });
    }

    Channel channel() {
        return channel;
    }

    private void protocolError(long requestId, String message) {
        sendErrorAndClose(requestId, StatusCode.PROTOCOL_ERROR, message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof FrameException) {
            // framing is lost: say why, then close
            sendErrorAndClose(0, StatusCode.PROTOCOL_ERROR, c.getMessage());
        } else if (c instanceof FrameDecoder.UnauthenticatedFrameException) {
            server.authenticationFailed();
            sendErrorAndClose(0, StatusCode.UNAUTHENTICATED, "authentication required: send HELLO first");
        } else if (c instanceof javax.net.ssl.SSLException || c.getCause() instanceof javax.net.ssl.SSLException) {
            LOG.debug("{}: TLS failure: {}", ctx.channel().remoteAddress(), c.toString());
            ctx.close();
        } else if (c instanceof java.io.IOException) {
            LOG.debug("{}: {}", ctx.channel().remoteAddress(), c.toString());
            ctx.close();
        } else {
            LOG.error("{}: unexpected failure", ctx.channel().remoteAddress(), c);
            server.internalError();
            ctx.close();
        }
    }

    private void sendErrorAndClose(long requestId, StatusCode status, String message) {
        if (!channel.isActive()) {
            return;
        }
        ByteBuf out = channel.alloc().directBuffer(ErrorFrame.MESSAGE_OFFSET + ErrorFrame.MAX_MESSAGE_BYTES);
        ErrorFrame e = new ErrorFrame().wrapForEncode(Buffers.region(out, 0, out.capacity(), new UnsafeBuffer(0, 0)), 0,
                out.capacity());
        e.requestId(requestId).status(status).message(message);
        out.writerIndex(e.finish());
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
