package io.edgesplit.offload.oip;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadException;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An Open Inference Protocol v2 REST client: an {@link OffloadTarget} for any v2 server (Triton,
 * KServe, Seldon MLServer, the EdgeSplit edge server's REST face), on OkHttp, so it runs on Android.
 *
 * <p>Inputs travel with the binary tensor data extension by default (little-endian raw bytes after
 * the JSON header, {@code Inference-Header-Content-Length}) or as JSON numbers; replies are read in
 * either form, flat or nested. The request's deadline goes out as the {@code timeout} parameter
 * (microseconds, as Triton defines it) and bounds the HTTP call. The request's codec name does not
 * apply: OIP carries tensors as they are. Replies from the EdgeSplit server carry queue and compute
 * time (parameters {@code edgesplit_queue_ns}, {@code edgesplit_compute_ns}); other servers' results
 * report them as -1. HTTP errors map to {@link OffloadException} subclasses: 503 and 429 to
 * {@link ServerBusyException}, 504 to {@link OffloadTimeoutException}, 401/403/404/400/5xx to
 * {@link OffloadRejectedException}. A call that times out says, as the native client's do, how
 * many body bytes it had handed to the socket and how long it had waited since sending started, and
 * in which phase it stalled (connecting, uploading, waiting for the server after the whole upload,
 * reading the response); see {@link OffloadTimeoutException}. Thread-safe; close it to release the
 * connection pool.
 */
public final class OipV2Client implements OffloadTarget {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final MediaType OCTET = MediaType.get("application/octet-stream");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OipClientConfig config;
    private final OkHttpClient http;
    private final String id;

    private OipV2Client(OipClientConfig config) {
        this.config = config;
        this.id = "oip:" + config.baseUrl();
        OkHttpClient.Builder b = new OkHttpClient.Builder().connectTimeout(config.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(0, TimeUnit.MILLISECONDS).writeTimeout(0, TimeUnit.MILLISECONDS).retryOnConnectionFailure(false);
        if (config.tls() != null) {
            b.sslSocketFactory(config.tls().socketFactory(), config.tls().trustManager());
            if (!config.tls().verifyHostname()) {
                b.hostnameVerifier((host, session) -> true);
            }
        }
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(64); // OkHttp's default of 5 would queue concurrent offloads
        b.dispatcher(dispatcher);
        b.eventListenerFactory(call -> { // per inference call, to learn what its timeout sent (see CallProgress)
            CallProgress p = call.request().tag(CallProgress.class);
            return p != null ? p : okhttp3.EventListener.NONE;
        });
        this.http = b.build();
    }

    public static OipV2Client create(OipClientConfig config) {
        return new OipV2Client(config);
    }

    @Override
    public String id() {
        return id;
    }

    /** Waits for {@link #submit}, at most {@link #CALL_GRACE_NS} past the deadline on this client's clock. */
    @Override
    public OffloadResult call(OffloadRequest request, long deadlineNs) throws OffloadException {
        CompletableFuture<OffloadResult> f = submit(request, deadlineNs);
        return OffloadTarget.await(id(), f, deadlineNs - config.clock().nanoTime() + CALL_GRACE_NS);
    }

    @Override
    public CompletableFuture<OffloadResult> submit(OffloadRequest request, long deadlineNs) {
        CompletableFuture<OffloadResult> future = new CompletableFuture<>();
        long start = config.clock().nanoTime();
        long remaining = deadlineNs - start;
        if (remaining <= 0) {
            future.completeExceptionally(new OffloadTimeoutException(id + ": deadline passed before sending"));
            return future;
        }
        byte[] body;
        int jsonLength;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            jsonLength = writeRequest(request, Math.max(1, remaining / 1000), out);
            body = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        HttpUrl url = HttpUrl.parse(config.baseUrl() + "/v2/models/" + request.modelName() + "/infer");
        if (url == null) {
            future.completeExceptionally(new IllegalArgumentException("baseUrl/modelName: not a valid URL: "
                    + config.baseUrl() + "/v2/models/" + request.modelName()));
            return future;
        }
        CallProgress progress = new CallProgress(config.clock(), body.length);
        Request.Builder rb = new Request.Builder().url(url).tag(CallProgress.class, progress)
                .post(progress.wrap(body, config.binary() ? OCTET : JSON_TYPE));
        if (config.binary()) {
            rb.header(OipTensors.HEADER_LENGTH, Integer.toString(jsonLength));
        }
        Call call = http.newCall(authorized(rb).build());
        call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> {
            if (e != null) {
                call.cancel();
            }
        });
        int sent = body.length;
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(mapFailure(e, progress));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    OffloadResult r = readResponse(response, request, start, sent);
                    future.complete(r);
                } catch (OffloadException e) {
                    future.completeExceptionally(e);
                } catch (IOException e) {
                    future.completeExceptionally(mapFailure(e, progress));
                } catch (RuntimeException e) {
                    future.completeExceptionally(new OffloadRejectedException(StatusCode.BAD_REQUEST, id
                            + ": unreadable reply: " + e));
                }
            }
        });
        return future;
    }

    /**
     * Opens a pooled connection (TCP and TLS) with {@code GET /v2/health/live}, off the caller's
     * thread, so the first inference does not pay for the handshakes. Any HTTP answer completes it
     * (the connection is what matters here, not the server's health); no answer within twice the
     * connect timeout fails it.
     */
    @Override
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Request request;
        try {
            request = getRequest("/v2/health/live");
        } catch (IllegalArgumentException e) {
            done.completeExceptionally(new ConnectionException(id + ": " + e.getMessage(), false, e));
            return done;
        }
        Call call = http.newCall(request);
        call.timeout().timeout(2 * config.connectTimeoutMs(), TimeUnit.MILLISECONDS); // reads have no timeout of their own
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                done.completeExceptionally(mapFailure(e));
            }

            @Override
            public void onResponse(Call c, Response response) {
                response.close();
                done.complete(null);
            }
        });
        return done;
    }

    private OffloadException mapFailure(IOException e) {
        return mapFailure(e, null);
    }

    /** {@code e} as an offload failure; a timeout of an inference call says what it sent and where it stalled. */
    private OffloadException mapFailure(IOException e, CallProgress progress) {
        if (e instanceof OffloadException) {
            return (OffloadException) e;
        }
        if (e instanceof InterruptedIOException) {
            if (progress != null) {
                return progress.timeout(id, e.getMessage());
            }
            return new OffloadTimeoutException(id + ": no reply within the deadline (" + e.getMessage() + ")");
        }
        if (e instanceof SSLException) {
            return new ConnectionException(id + ": TLS failed: " + e.getMessage(), false, e);
        }
        return new ConnectionException(id + ": " + e, true, e);
    }

    /** Writes the JSON header (and binary data when configured); returns the JSON part's length. */
    private int writeRequest(OffloadRequest request, long timeoutUs, ByteArrayOutputStream out) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("parameters");
            g.writeNumberField("timeout", timeoutUs);
            if (config.binary()) {
                g.writeBooleanField("binary_data_output", true);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("inputs");
            for (Tensor t : request.inputs()) {
                g.writeStartObject();
                OipTensors.writeHeader(t.spec(), g);
                if (config.binary()) {
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", t.byteSize());
                    g.writeEndObject();
                } else {
                    g.writeFieldName("data");
                    OipTensors.writeJson(t, g);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (config.binary()) {
                g.writeArrayFieldStart("outputs");
                if (request.outputSpecs() != null) {
                    for (TensorSpec s : request.outputSpecs()) {
                        g.writeStartObject();
                        g.writeStringField("name", s.name());
                        g.writeObjectFieldStart("parameters");
                        g.writeBooleanField("binary_data", true);
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        int jsonLength = out.size();
        if (config.binary()) {
            for (Tensor t : request.inputs()) {
                byte[] bytes = new byte[t.byteSize()];
                t.data().getBytes(0, bytes);
                out.write(bytes);
            }
        }
        return jsonLength;
    }

    private OffloadResult readResponse(Response response, OffloadRequest request, long start, int sent)
            throws IOException {
        ResponseBody body = response.body();
        byte[] bytes = readBounded(body);
        long rtt = config.clock().nanoTime() - start;
        int code = response.code();
        if (code != 200) {
            throw httpError(response, bytes);
        }
        String headerLength = response.header(OipTensors.HEADER_LENGTH);
        int jsonLength = bytes.length;
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.trim());
            } catch (NumberFormatException e) {
                throw new OipFormatException(OipTensors.HEADER_LENGTH + ": not a number: " + headerLength);
            }
            if (jsonLength < 0 || jsonLength > bytes.length) {
                throw new OipFormatException(OipTensors.HEADER_LENGTH + ": " + jsonLength + ", the body has "
                        + bytes.length + " bytes");
            }
        }
        JsonNode root = JSON.readTree(bytes, 0, jsonLength);
        List<Tensor> outputs = parseOutputs(root, bytes, jsonLength, request.outputSpecs());
        JsonNode params = root.path("parameters");
        return OffloadResult.builder().outputs(outputs).targetId(id)
                .queueNs(params.path("edgesplit_queue_ns").asLong(-1))
                .computeNs(params.path("edgesplit_compute_ns").asLong(-1))
                .batchSize(Math.max(1, params.path("edgesplit_batch_size").asInt(1)))
                .roundTripNs(rtt).bytesSent(sent).bytesReceived(bytes.length).build();
    }

    /**
     * Reads the outputs of an inference response (JSON part {@code [0, jsonLength)} of {@code body},
     * binary data after it), in the order of {@code specs} when given (matched by name, else by
     * position), else in the response's order.
     */
    static List<Tensor> parseOutputs(JsonNode root, byte[] body, int jsonLength, List<TensorSpec> specs)
            throws OipFormatException {
        JsonNode outs = root.get("outputs");
        if (outs == null || !outs.isArray()) {
            throw new OipFormatException("outputs: missing from the response");
        }
        List<Tensor> decoded = new ArrayList<>();
        int cursor = jsonLength;
        for (int i = 0; i < outs.size(); i++) {
            JsonNode o = outs.get(i);
            String field = "outputs[" + i + "]";
            String name = o.path("name").asText("output" + i);
            int[] shape = OipTensors.shape(o.get("shape"), field + ".shape");
            DataType type = OipTensors.dataType(o.get("datatype"), field + ".datatype");
            TensorSpec spec = TensorSpec.of(name, type, shape);
            if (spec.byteSize() > Integer.MAX_VALUE - 8) {
                throw new OipFormatException(field + ": " + spec.shapeAndType() + " is too large");
            }
            JsonNode size = o.path("parameters").get("binary_data_size");
            if (size != null) {
                if (!size.isIntegralNumber() || size.asLong() != spec.byteSize()) {
                    throw new OipFormatException(field + ".parameters.binary_data_size: " + size + ", "
                            + spec.shapeAndType() + " is " + spec.byteSize() + " bytes");
                }
                if (cursor + spec.byteSize() > body.length) {
                    throw new OipFormatException(field + ": binary data runs past the end of the body");
                }
                Tensor t = Tensor.allocate(spec);
                t.data().putBytes(0, body, cursor, (int) spec.byteSize());
                cursor += (int) spec.byteSize();
                decoded.add(t);
            } else {
                if (spec.byteSize() > body.length * 8L + 64) {
                    throw new OipFormatException(field + ": " + spec.shapeAndType() + " cannot fit in a "
                            + body.length + "-byte reply");
                }
                Tensor t = Tensor.allocate(spec);
                OipTensors.readJson(o.get("data"), t, field + ".data");
                decoded.add(t);
            }
        }
        if (specs == null) {
            return decoded;
        }
        List<Tensor> ordered = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            TensorSpec want = specs.get(k);
            Tensor match = null;
            for (Tensor t : decoded) {
                if (t.name().equals(want.name())) {
                    match = t;
                }
            }
            if (match == null && k < decoded.size()) {
                match = decoded.get(k);
            }
            if (match == null) {
                throw new OipFormatException("outputs: the response has no output '" + want.name() + "'");
            }
            if (!want.isCompatibleWith(match.spec())) {
                throw new OipFormatException("tensor '" + want.name() + "' expects " + want.shapeAndType() + ", got "
                        + match.spec().shapeAndType());
            }
            Tensor t = Tensor.allocate(want);
            t.copyFrom(match);
            ordered.add(t);
        }
        return ordered;
    }

    private byte[] readBounded(ResponseBody body) throws IOException {
        long length = body.contentLength();
        if (length > config.maxResponseBytes()) {
            throw new OipFormatException("the response is " + length + " bytes, above the limit of "
                    + config.maxResponseBytes());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 4096);
        byte[] buf = new byte[8192];
        try (InputStream in = body.byteStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > config.maxResponseBytes()) {
                    throw new OipFormatException("the response exceeds the limit of " + config.maxResponseBytes() + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    private OffloadException httpError(Response response, byte[] body) {
        String message;
        try {
            JsonNode e = JSON.readTree(body);
            message = e != null && e.has("error") ? e.get("error").asText() : response.message();
        } catch (IOException | RuntimeException ex) {
            message = response.message();
        }
        String text = id + ": HTTP " + response.code() + ": " + message;
        int code = response.code();
        if (code == 503 || code == 429) {
            long retryAfterNs = 0;
            String ns = response.header("EdgeSplit-Retry-After-Ns");
            String s = response.header("Retry-After");
            try {
                if (ns != null) {
                    retryAfterNs = Long.parseLong(ns.trim());
                } else if (s != null) {
                    retryAfterNs = Long.parseLong(s.trim()) * 1_000_000_000L;
                }
            } catch (NumberFormatException e) {
                retryAfterNs = 0;
            }
            return new ServerBusyException(code == 429 ? StatusCode.RATE_LIMITED : StatusCode.BUSY, text, retryAfterNs);
        }
        if (code == 504 || code == 408) {
            return new OffloadTimeoutException(text);
        }
        if (code == 401 || code == 403) {
            return new OffloadRejectedException(StatusCode.UNAUTHENTICATED, text);
        }
        if (code == 404) {
            return new OffloadRejectedException(StatusCode.NOT_FOUND, text);
        }
        if (code >= 500) {
            return new OffloadRejectedException(StatusCode.INTERNAL, text);
        }
        return new OffloadRejectedException(StatusCode.BAD_REQUEST, text);
    }

    // ---- health and metadata (blocking; not for hot paths) -----------------------------------------

    /** {@code GET /v2/health/live}: true on HTTP 200. */
    public boolean live() throws IOException {
        try (Response r = get("/v2/health/live")) {
            return r.code() == 200;
        }
    }

    /** {@code GET /v2/health/ready}: true on HTTP 200. */
    public boolean ready() throws IOException {
        try (Response r = get("/v2/health/ready")) {
            return r.code() == 200;
        }
    }

    /** {@code GET /v2/models/{name}/ready}: true on HTTP 200. */
    public boolean modelReady(String model) throws IOException {
        try (Response r = get("/v2/models/" + model + "/ready")) {
            return r.code() == 200;
        }
    }

    /** {@code GET /v2}: the server's name, version and extensions. */
    public ServerMetadata serverMetadata() throws IOException {
        JsonNode n = getJson("/v2");
        List<String> extensions = new ArrayList<>();
        for (JsonNode e : n.path("extensions")) {
            extensions.add(e.asText());
        }
        return new ServerMetadata(n.path("name").asText(), n.path("version").asText(), extensions);
    }

    /** {@code GET /v2/models/{name}}: the model's inputs and outputs. */
    public ModelMetadata modelMetadata(String model) throws IOException {
        JsonNode n = getJson("/v2/models/" + model);
        List<String> versions = new ArrayList<>();
        for (JsonNode v : n.path("versions")) {
            versions.add(v.asText());
        }
        return new ModelMetadata(n.path("name").asText(), versions, n.path("platform").asText(),
                tensors(n.path("inputs"), "inputs"), tensors(n.path("outputs"), "outputs"));
    }

    private static List<TensorSpec> tensors(JsonNode array, String field) throws OipFormatException {
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode t = array.get(i);
            int[] shape = new int[t.path("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = Math.max(0, t.path("shape").get(d).asInt()); // -1 (variable) shown as 0
            }
            out.add(TensorSpec.of(t.path("name").asText(), OipTensors.dataType(t.get("datatype"), field + "[" + i
                    + "].datatype"), shape));
        }
        return out;
    }

    /** A GET of {@code path} under the base URL, with the token when there is one. */
    private Request getRequest(String path) {
        return authorized(new Request.Builder().url(config.baseUrl() + path).get()).build();
    }

    private Request.Builder authorized(Request.Builder rb) {
        if (config.token() != null) {
            rb.header("Authorization", "Bearer " + config.token());
        }
        return rb;
    }

    private Response get(String path) throws IOException {
        Request request = getRequest(path);
        try {
            return http.newCall(request).execute();
        } catch (IOException e) {
            throw mapFailure(e);
        }
    }

    private JsonNode getJson(String path) throws IOException {
        try (Response r = get(path)) {
            byte[] body = readBounded(r.body());
            if (r.code() != 200) {
                throw httpError(r, body);
            }
            return JSON.readTree(body);
        }
    }

    @Override
    public boolean carriesCodec(String codecName) {
        return "raw".equals(codecName);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "OipV2Client{" + config.baseUrl() + '}';
    }

    /** What {@code GET /v2} reports. */
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    /** What {@code GET /v2/models/{name}} reports; variable dimensions (-1) appear as 0. */
    public record ModelMetadata(String name, List<String> versions, String platform, List<TensorSpec> inputs,
            List<TensorSpec> outputs) {
    }
}
