package io.edgesplit.offload.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OIP v2 client against a stand-in server that answers with the examples of the published
 * specification (fixtures in {@code src/test/resources/oip}) and records what the client sent.
 */
class OipSpecExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEGMENT = "ab".repeat(32);

    private HttpServer server;
    private final Map<String, byte[]> requestBodies = new ConcurrentHashMap<>();
    private final Map<String, String> requestHeaderLength = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile byte[] responseBody;
    private volatile String responseHeaderLength;
    private volatile Map<String, String> extraHeaders = Map.of();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            requestBodies.put(path, body);
            String hl = exchange.getRequestHeaders().getFirst(OipTensors.HEADER_LENGTH);
            if (hl != null) {
                requestHeaderLength.put(path, hl);
            }
            if (responseHeaderLength != null) {
                exchange.getResponseHeaders().add(OipTensors.HEADER_LENGTH, responseHeaderLength);
            }
            extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, responseBody.length);
            exchange.getResponseBody().write(responseBody);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OipV2Client client(boolean binary) {
        return OipV2Client.create(OipClientConfig.builder("http://127.0.0.1:" + server.getAddress().getPort())
                .plaintext().binary(binary).token("secret-token").build());
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = OipSpecExamplesTest.class.getResourceAsStream("/oip/" + name)) {
            return in.readAllBytes();
        }
    }

    private static OffloadRequest specRequest() {
        // the spec's example input: "input0", [2, 2] UINT32, data [1, 2, 3, 4]
        Tensor input0 = Tensor.allocate(TensorSpec.of("input0", DataType.UINT32, 2, 2));
        for (int i = 0; i < 4; i++) {
            input0.data().putInt(i * 4, i + 1, ByteOrder.LITTLE_ENDIAN);
        }
        return OffloadRequest.builder().segmentSha256(SEGMENT).modelName("mymodel").inputs(input0).build();
    }

    private static long in(long ms) {
        return System.nanoTime() + ms * 1_000_000L;
    }

    @Test
    void sendsTheSpecsJsonRequestShapeAndReadsTheSpecsJsonResponse() throws Exception {
        responseBody = fixture("infer-response-json.json");
        try (OipV2Client client = client(false)) {
            OffloadResult r = client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS);
            JsonNode sent = JSON.readTree(requestBodies.get("/v2/models/mymodel/infer"));
            JsonNode input = sent.get("inputs").get(0);
            assertEquals("input0", input.get("name").asText());
            assertEquals("UINT32", input.get("datatype").asText());
            assertEquals("[2,2]", input.get("shape").toString());
            assertEquals("[1,2,3,4]", input.get("data").toString());
            assertTrue(sent.get("parameters").get("timeout").asLong() > 4_000_000L, "deadline as timeout in us");
            Tensor out = r.outputs().get(0);
            assertEquals(TensorSpec.of("output0", DataType.FP32, 3, 2), out.spec());
            assertArrayEquals(new float[] {1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f}, out.toFloatArray());
            assertEquals(-1, r.queueNs(), "a generic v2 server does not report queue time");
        }
    }

    @Test
    void readsNestedDataAndBooleans() throws Exception {
        responseBody = fixture("infer-response-nested.json");
        try (OipV2Client client = client(false)) {
            OffloadResult r = client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS);
            assertEquals(1, r.outputs().get(0).getInt32(0));
            assertEquals(4, r.outputs().get(0).getInt32(3));
            assertEquals(1, r.outputs().get(1).getUint8(0));
            assertEquals(0, r.outputs().get(1).getUint8(1));
        }
    }

    @Test
    void sendsAndReadsTheBinaryTensorDataExtension() throws Exception {
        byte[] header = fixture("infer-response-binary-header.json");
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0.5f).putFloat(-1.5f).putFloat(2.25f).putFloat(3f);
        byte[] body = new byte[header.length + 16];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(data.array(), 0, body, header.length, 16);
        responseBody = body;
        responseHeaderLength = Integer.toString(header.length);
        try (OipV2Client client = client(true)) {
            OffloadResult r = client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS);
            assertArrayEquals(new float[] {0.5f, -1.5f, 2.25f, 3f}, r.outputs().get(0).toFloatArray());
            byte[] sent = requestBodies.get("/v2/models/mymodel/infer");
            int jsonLength = Integer.parseInt(requestHeaderLength.get("/v2/models/mymodel/infer"));
            JsonNode json = JSON.readTree(new String(sent, 0, jsonLength, StandardCharsets.UTF_8));
            assertEquals(16, json.get("inputs").get(0).get("parameters").get("binary_data_size").asInt());
            assertTrue(json.get("parameters").get("binary_data_output").asBoolean());
            assertEquals(jsonLength + 16, sent.length, "the tensor's 16 bytes follow the JSON header");
            ByteBuffer raw = ByteBuffer.wrap(sent, jsonLength, 16).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(1, raw.getInt());
            assertEquals(2, raw.getInt());
        }
    }

    @Test
    void readsServerAndModelMetadata() throws Exception {
        try (OipV2Client client = client(true)) {
            responseBody = fixture("server-metadata.json");
            OipV2Client.ServerMetadata server = client.serverMetadata();
            assertEquals("triton", server.name());
            assertTrue(server.extensions().contains(OipTensors.BINARY_EXTENSION));
            responseBody = fixture("model-metadata.json");
            OipV2Client.ModelMetadata model = client.modelMetadata("mymodel");
            assertEquals(List.of("1", "2"), model.versions());
            assertEquals(TensorSpec.of("input0", DataType.UINT32, 2, 2), model.inputs().get(0));
            assertEquals(TensorSpec.of("output0", DataType.FP32, 3, 2), model.outputs().get(0));
            responseBody = "{\"live\":true}".getBytes(StandardCharsets.UTF_8);
            assertTrue(client.live());
            assertTrue(client.ready());
        }
    }

    @Test
    void errorObjectsBecomeTypedExceptions() throws Exception {
        try (OipV2Client client = client(true)) {
            status = 400;
            responseBody = "{\"error\":\"unexpected shape for input 'input0'\"}".getBytes(StandardCharsets.UTF_8);
            ExecutionException bad = assertThrows(ExecutionException.class,
                    () -> client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS));
            OffloadRejectedException rejected = assertInstanceOf(OffloadRejectedException.class, bad.getCause());
            assertEquals(StatusCode.BAD_REQUEST, rejected.status());
            assertTrue(rejected.getMessage().contains("unexpected shape for input 'input0'"));
            status = 503;
            extraHeaders = Map.of("Retry-After", "2");
            responseBody = "{\"error\":\"busy\"}".getBytes(StandardCharsets.UTF_8);
            ExecutionException busy = assertThrows(ExecutionException.class,
                    () -> client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS));
            assertEquals(2_000_000_000L, assertInstanceOf(ServerBusyException.class, busy.getCause()).retryAfterNs());
        }
    }

    @Test
    void malformedResponsesAreRejectedByName() throws Exception {
        try (OipV2Client client = client(false)) {
            responseBody = "{\"outputs\":[{\"name\":\"o\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1]}]}"
                    .getBytes(StandardCharsets.UTF_8);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.submit(specRequest(), in(5000)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(OipFormatException.class, e.getCause());
            assertTrue(e.getCause().getMessage().startsWith("outputs[0].data: 1 elements"), e.getCause().getMessage());
        }
    }

    @Test
    void plainHttpMustBeAskedForExplicitly() {
        assertThrows(IllegalArgumentException.class, () -> OipClientConfig.builder("http://example.org").build());
    }
}
