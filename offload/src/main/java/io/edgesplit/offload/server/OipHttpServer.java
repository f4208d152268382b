package io.edgesplit.offload.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.engine.Session;
import io.edgesplit.offload.oip.OipFormatException;
import io.edgesplit.offload.oip.OipTensors;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol v2 REST face of the edge server: health, server and model metadata,
 * and inference with JSON tensors or the binary tensor data extension. Models are the served tails,
 * named by their segment SHA-256. Every path except the two health probes needs a bearer token (or
 * a verified client certificate); an unauthenticated request gets 401 whatever it asks for, so it
 * learns nothing about the models. Request bodies are bounded by the frame limit before they are
 * read. Inference shares the native face's workers, admission control and rate limits; the request
 * parameter {@code timeout} (microseconds, as Triton defines it) carries the deadline, default 10 s.
 */
@ServerOnly
final class OipHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(OipHttpServer.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final long DEFAULT_TIMEOUT_NS = 10_000_000_000L;

    private OipHttpServer() {
    }

    static ServerBootstrap bootstrap(EdgeServer server, EventLoopGroup boss, EventLoopGroup io, SslContext ssl) {
        EdgeServerConfig config = server.config();
        return new ServerBootstrap().group(boss, io).channel(Transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        server.track(ch); // an HTTP client must not wait behind a native connection's inline run
                        if (ssl != null) {
                            SslHandler h = ssl.newHandler(ch.alloc());
                            h.setHandshakeTimeoutMillis(config.helloTimeoutMs());
                            ch.pipeline().addLast("tls", h);
                        }
                        // idle keep-alive connections are closed; a request must arrive whole within the
                        // frame read timeout, so slow drips are closed too
                        ch.pipeline().addLast("read-timeout", new ReadTimeoutHandler(config.idleTimeoutMs(),
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("slow-request", new SlowRequestGuard(config));
                        ch.pipeline().addLast("http", new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast("keep-alive", new HttpServerKeepAliveHandler());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(config.limits().maxFrameBytes()));
                        ch.pipeline().addLast("oip", new Handler(server));
                    }
                });
    }

    /** Routes one aggregated request. */
    @ServerOnly
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final EdgeServer server;

        Handler(EdgeServer server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            SlowRequestGuard guard = ctx.pipeline().get(SlowRequestGuard.class);
            if (guard != null) {
                guard.requestComplete();
            }
            if (!req.decoderResult().isSuccess()) {
                error(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
                return;
            }
            String path = req.uri();
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            if (path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            boolean get = req.method().equals(HttpMethod.GET);
            if (get && path.equals("/v2/health/live")) {
                json(ctx, req, HttpResponseStatus.OK, "{\"live\":true}");
                return;
            }
            if (get && path.equals("/v2/health/ready")) {
                boolean ready = !server.draining();
                json(ctx, req, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "{\"ready\":" + ready + "}");
                return;
            }
            String client = authenticate(ctx, req);
            if (client == null) {
                server.authenticationFailed();
                error(ctx, req, HttpResponseStatus.UNAUTHORIZED, "unauthenticated");
                return;
            }
            try {
                route(ctx, req, path, get, client);
            } catch (OipFormatException e) {
                error(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.error("OIP request {} {} failed", req.method(), path, e);
                server.internalError();
                error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
        }

        private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean get, String client)
                throws IOException {
            if (get && path.equals("/v2")) {
                json(ctx, req, HttpResponseStatus.OK, "{\"name\":\"edgesplit\",\"version\":\"" + version()
                        + "\",\"extensions\":[\"" + OipTensors.BINARY_EXTENSION + "\",\"edgesplit_timing\",\"edgesplit_load\"]}");
                return;
            }
            if (get && path.equals("/v2/edgesplit/load")) {
                json(ctx, req, HttpResponseStatus.OK, JSON.writeValueAsString(server.load()));
                return;
            }
            if (!path.startsWith("/v2/models/")) {
                error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
                return;
            }
            String[] parts = path.substring("/v2/models/".length()).split("/");
            String model = parts[0];
            int next = 1;
            if (parts.length > 2 && parts[1].equals("versions")) {
                next = 3; // one version per tail: any requested version is that one
            }
            String action = parts.length > next ? parts[next] : "";
            if (parts.length > next + 1) {
                error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
                return;
            }
            Tail tail = server.tail(model);
            if (tail == null) {
                error(ctx, req, HttpResponseStatus.NOT_FOUND, "model '" + model + "' is not served here");
                return;
            }
            if (get && action.isEmpty()) {
                json(ctx, req, HttpResponseStatus.OK, metadata(tail));
            } else if (get && action.equals("ready")) {
                json(ctx, req, HttpResponseStatus.OK, "{\"name\":\"" + tail.sha256() + "\",\"ready\":true}");
            } else if (req.method().equals(HttpMethod.POST) && action.equals("infer")) {
                infer(ctx, req, tail, client);
            } else {
                error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + req.method() + " " + path);
            }
        }

        private static String version() {
            return io.edgesplit.offload.EdgeSplitVersion.get();
        }

        private String metadata(Tail tail) throws IOException {
            java.io.StringWriter w = new java.io.StringWriter();
            try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("name", tail.sha256());
                g.writeArrayFieldStart("versions");
                g.writeString("1");
                g.writeEndArray();
                g.writeStringField("platform", "tensorflow_lite");
                g.writeArrayFieldStart("inputs");
                for (TensorSpec s : tail.inputs()) {
                    g.writeStartObject();
                    OipTensors.writeHeader(s, g);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("outputs");
                for (TensorSpec s : tail.outputs()) {
                    g.writeStartObject();
                    OipTensors.writeHeader(s, g);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeObjectFieldStart("parameters");
                g.writeStringField("edgesplit_label", tail.label());
                g.writeEndObject();
                g.writeEndObject();
            }
            return w.toString();
        }

        private void infer(ChannelHandlerContext ctx, FullHttpRequest req, Tail tail, String client) throws IOException {
            long now = server.config().clock().nanoTime();
            if (server.draining()) {
                busy(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is draining", 0);
                return;
            }
            long wait = server.rateLimit().acquire(client, now);
            if (wait > 0) {
                busy(ctx, req, HttpResponseStatus.TOO_MANY_REQUESTS, "rate limit of " + server.rateLimit() + " exceeded",
                        wait);
                return;
            }
            HttpInferRequest parsed = HttpInferRequest.parse(req.content(), req.headers().get(OipTensors.HEADER_LENGTH),
                    tail);
            long deadline = now + parsed.timeoutNs;
            HttpJob job = new HttpJob(tail, now, deadline, ctx, req, parsed);
            req.retain();
            int verdict = server.scheduler().admit(job);
            if (verdict == TailScheduler.ADMITTED) {
                return;
            }
            req.release();
            if (verdict == TailScheduler.REJECTED_DRAINING) {
                busy(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is draining", 0);
            } else {
                busy(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy: cannot finish within the deadline",
                        job.retryAfterNs);
            }
        }

        private String authenticate(ChannelHandlerContext ctx, FullHttpRequest req) {
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            byte[] token = new byte[0];
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            }
            List<X509Certificate> peers = new ArrayList<>();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                        peers.add((X509Certificate) c);
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no client certificate
                }
            }
            try {
                return server.config().authenticator().authenticate(token, peers);
            } catch (RuntimeException e) {
                LOG.error("authenticator failed", e);
                return null;
            }
        }

        private void busy(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message,
                long retryAfterNs) {
            FullHttpResponse r = response(ctx, status, errorJson(message));
            if (retryAfterNs > 0) {
                r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (retryAfterNs + 999_999_999L) / 1_000_000_000L));
                r.headers().set("EdgeSplit-Retry-After-Ns", retryAfterNs);
            }
            send(ctx, req, r);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Closes a connection whose current request has been arriving for longer than the frame read timeout. */
    @ServerOnly
    static final class SlowRequestGuard extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final EdgeServerConfig config;
        private long startedNs;
        private io.netty.util.concurrent.ScheduledFuture<?> check;

        SlowRequestGuard(EdgeServerConfig config) {
            this.config = config;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            long tick = Math.max(10, config.frameReadTimeoutMs() / 4);
            check = ctx.executor().scheduleAtFixedRate(() -> {
                if (startedNs != 0 && config.clock().nanoTime() - startedNs
                        > TimeUnit.MILLISECONDS.toNanos(config.frameReadTimeoutMs())) {
                    ctx.close();
                }
            }, tick, tick, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (check != null) {
                check.cancel(false);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (startedNs == 0) {
                startedNs = config.clock().nanoTime();
            }
            ctx.fireChannelRead(msg);
        }

        /** Called on the event loop when a whole request has been decoded. */
        void requestComplete() {
            startedNs = 0;
        }
    }

    static String errorJson(String message) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("error", message));
        } catch (IOException e) {
            return "{\"error\":\"error\"}";
        }
    }

    static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ctx.alloc().buffer(bytes.length).writeBytes(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    static void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json) {
        send(ctx, req, response(ctx, status, json));
    }

    static void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        send(ctx, req, response(ctx, status, errorJson(message)));
    }

    /** Sends, keeping the connection alive when the request allows it. */
    static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A parsed infer request: the JSON header, where each input's data is, and what output form was asked for. */
    @ServerOnly
    static final class HttpInferRequest {
        String id;
        long timeoutNs = DEFAULT_TIMEOUT_NS;
        boolean binaryOutputs;
        List<String> requestedOutputs;
        List<Boolean> requestedBinary;
        /** Per tail input: the JSON data node, or null when binary. */
        JsonNode[] jsonData;
        /** Per tail input: offset of its binary data in the body, -1 for JSON. */
        int[] binaryOffset;
        int[] binaryLength;

        static HttpInferRequest parse(ByteBuf body, String headerLength, Tail tail) throws OipFormatException {
            int total = body.readableBytes();
            int jsonLength = total;
            if (headerLength != null) {
                try {
                    jsonLength = Integer.parseInt(headerLength.trim());
                } catch (NumberFormatException e) {
                    throw new OipFormatException(OipTensors.HEADER_LENGTH + ": not a number: " + headerLength);
                }
                if (jsonLength < 0 || jsonLength > total) {
                    throw new OipFormatException(OipTensors.HEADER_LENGTH + ": " + jsonLength + " but the body has "
                            + total + " bytes");
                }
            }
            JsonNode root;
            try {
                root = JSON.readTree(new ByteBufInputStream(body.slice(body.readerIndex(), jsonLength)));
            } catch (IOException e) {
                throw new OipFormatException("the request body is not valid JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new OipFormatException("the request body must be a JSON object");
            }
            HttpInferRequest r = new HttpInferRequest();
            JsonNode id = root.get("id");
            r.id = id == null || id.isNull() ? null : id.asText();
            JsonNode params = root.get("parameters");
            if (params != null && params.isObject()) {
                JsonNode timeout = params.get("timeout");
                if (timeout != null) {
                    if (!timeout.isIntegralNumber() || timeout.asLong() <= 0) {
                        throw new OipFormatException("parameters.timeout: must be a positive number of microseconds");
                    }
                    r.timeoutNs = Math.min(timeout.asLong(), 3_600_000_000L) * 1000L;
                }
                r.binaryOutputs = params.path("binary_data_output").asBoolean(false);
            }
            List<TensorSpec> specs = tail.inputs();
            JsonNode inputs = root.get("inputs");
            if (inputs == null || !inputs.isArray()) {
                throw new OipFormatException("inputs: must be an array");
            }
            if (inputs.size() != specs.size()) {
                throw new OipFormatException("inputs: the model takes " + specs.size() + " tensors, got " + inputs.size());
            }
            r.jsonData = new JsonNode[specs.size()];
            r.binaryOffset = new int[specs.size()];
            r.binaryLength = new int[specs.size()];
            java.util.Arrays.fill(r.binaryOffset, -1);
            boolean[] seen = new boolean[specs.size()];
            int binaryCursor = jsonLength;
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode in = inputs.get(i);
                String field = "inputs[" + i + "]";
                String name = in.path("name").asText(null);
                int slot = indexOf(specs, name, i);
                if (slot < 0) {
                    throw new OipFormatException(field + ".name: the model has no input '" + name + "'");
                }
                if (seen[slot]) {
                    throw new OipFormatException(field + ".name: input '" + name + "' given twice");
                }
                seen[slot] = true;
                TensorSpec spec = specs.get(slot);
                int[] shape = OipTensors.shape(in.get("shape"), field + ".shape");
                DataType type = OipTensors.dataType(in.get("datatype"), field + ".datatype");
                TensorSpec actual = TensorSpec.of(spec.name(), type, shape);
                if (!spec.isCompatibleWith(actual)) {
                    throw new OipFormatException("tensor '" + spec.name() + "' expects " + spec.shapeAndType() + ", got "
                            + actual.shapeAndType());
                }
                JsonNode size = in.path("parameters").get("binary_data_size");
                if (size != null) {
                    if (!size.isIntegralNumber() || size.asLong() != spec.byteSize()) {
                        throw new OipFormatException(field + ".parameters.binary_data_size: " + size + ", tensor '"
                                + spec.name() + "' " + spec.shapeAndType() + " is " + spec.byteSize() + " bytes");
                    }
                    if (binaryCursor + spec.byteSize() > total) {
                        throw new OipFormatException(field + ": binary data runs past the end of the body");
                    }
                    r.binaryOffset[slot] = binaryCursor;
                    r.binaryLength[slot] = (int) spec.byteSize();
                    binaryCursor += (int) spec.byteSize();
                } else {
                    JsonNode data = in.get("data");
                    if (data == null) {
                        throw new OipFormatException(field + ": neither data nor parameters.binary_data_size");
                    }
                    r.jsonData[slot] = data;
                }
            }
            if (binaryCursor != total) {
                throw new OipFormatException("the body has " + (total - binaryCursor) + " bytes after the tensors it declares");
            }
            JsonNode outputs = root.get("outputs");
            if (outputs != null && outputs.isArray()) {
                r.requestedOutputs = new ArrayList<>();
                r.requestedBinary = new ArrayList<>();
                for (JsonNode o : outputs) {
                    r.requestedOutputs.add(o.path("name").asText());
                    r.requestedBinary.add(o.path("parameters").path("binary_data").asBoolean(r.binaryOutputs));
                }
            }
            return r;
        }

        private static int indexOf(List<TensorSpec> specs, String name, int position) {
            if (name == null) {
                return position;
            }
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** An OIP inference waiting for or running on a worker. */
    @ServerOnly
    static final class HttpJob extends InferJob {
        private final ChannelHandlerContext ctx;
        private final FullHttpRequest req;
        private final HttpInferRequest parsed;

        HttpJob(Tail tail, long receivedNs, long deadlineNs, ChannelHandlerContext ctx, FullHttpRequest req,
                HttpInferRequest parsed) {
            super(tail, receivedNs, deadlineNs);
            this.ctx = ctx;
            this.req = req;
            this.parsed = parsed;
        }

        @Override
        void fillInputs(Session session, WorkerContext context) throws IOException {
            for (int i = 0; i < session.inputCount(); i++) {
                Tensor input = session.input(i);
                if (parsed.binaryOffset[i] >= 0) {
                    ByteBuf body = req.content();
                    Buffers.region(body, body.readerIndex() + parsed.binaryOffset[i], parsed.binaryLength[i], context.in);
                    input.data().putBytes(0, context.in, 0, parsed.binaryLength[i]);
                } else {
                    OipTensors.readJson(parsed.jsonData[i], input, "inputs[" + i + "].data");
                }
            }
        }

        @Override
        void reply(Session session, long queueNs, long computeNs, int batchSize, WorkerContext context) {
            try {
                List<Integer> outs = new ArrayList<>();
                List<Boolean> binary = new ArrayList<>();
                if (parsed.requestedOutputs == null) {
                    for (int i = 0; i < session.outputCount(); i++) {
                        outs.add(i);
                        binary.add(parsed.binaryOutputs);
                    }
                } else {
                    for (int k = 0; k < parsed.requestedOutputs.size(); k++) {
                        int index = outputIndex(session, parsed.requestedOutputs.get(k), k);
                        if (index < 0) {
                            fail(StatusCode.BAD_REQUEST, "outputs[" + k + "].name: the model has no output '"
                                    + parsed.requestedOutputs.get(k) + "'", 0);
                            return;
                        }
                        outs.add(index);
                        binary.add(parsed.requestedBinary.get(k));
                    }
                }
                ByteBuf body = ctx.alloc().buffer();
                int jsonLength;
                boolean anyBinary = binary.contains(Boolean.TRUE);
                try (ByteBufOutputStream os = new ByteBufOutputStream(body);
                        JsonGenerator g = JSON.getFactory().createGenerator((java.io.OutputStream) os, JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    g.writeStringField("model_name", tail.sha256());
                    g.writeStringField("model_version", "1");
                    if (parsed.id != null) {
                        g.writeStringField("id", parsed.id);
                    }
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("edgesplit_queue_ns", queueNs);
                    g.writeNumberField("edgesplit_compute_ns", computeNs);
                    g.writeNumberField("edgesplit_batch_size", batchSize);
                    g.writeEndObject();
                    g.writeArrayFieldStart("outputs");
                    for (int k = 0; k < outs.size(); k++) {
                        Tensor o = session.output(outs.get(k));
                        g.writeStartObject();
                        OipTensors.writeHeader(o.spec(), g);
                        if (binary.get(k)) {
                            g.writeObjectFieldStart("parameters");
                            g.writeNumberField("binary_data_size", o.byteSize());
                            g.writeEndObject();
                        } else {
                            g.writeFieldName("data");
                            OipTensors.writeJson(o, g);
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.flush();
                    jsonLength = body.readableBytes();
                    for (int k = 0; k < outs.size(); k++) {
                        if (binary.get(k)) {
                            Tensor o = session.output(outs.get(k));
                            body.ensureWritable(o.byteSize());
                            int at = body.writerIndex();
                            Buffers.region(body, at, o.byteSize(), context.out).putBytes(0, o.data(), 0, o.byteSize());
                            body.writerIndex(at + o.byteSize());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    body.release();
                    throw e;
                }
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, anyBinary ? HttpHeaderValues.APPLICATION_OCTET_STREAM
                        : HttpHeaderValues.APPLICATION_JSON);
                if (anyBinary) {
                    r.headers().setInt(OipTensors.HEADER_LENGTH, jsonLength);
                }
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                send(ctx, req, r);
            } catch (IOException e) {
                fail(StatusCode.INTERNAL, "could not encode the outputs", 0);
            }
        }

        private static int outputIndex(Session s, String name, int position) {
            for (int i = 0; i < s.outputCount(); i++) {
                if (s.output(i).name().equals(name)) {
                    return i;
                }
            }
            return name == null || name.isEmpty() ? position : -1;
        }

        @Override
        void fail(StatusCode status, String message, long retryAfterNs) {
            HttpResponseStatus http;
            switch (status) {
                case BAD_REQUEST:
                    http = HttpResponseStatus.BAD_REQUEST;
                    break;
                case DEADLINE_EXCEEDED:
                    http = HttpResponseStatus.GATEWAY_TIMEOUT;
                    break;
                case SHUTTING_DOWN:
                case BUSY:
                    http = HttpResponseStatus.SERVICE_UNAVAILABLE;
                    break;
                default:
                    http = HttpResponseStatus.INTERNAL_SERVER_ERROR;
            }
            error(ctx, req, http, message);
        }

        @Override
        void release() {
            req.release();
        }
    }
}
