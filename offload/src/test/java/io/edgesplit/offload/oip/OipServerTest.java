package io.edgesplit.offload.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.OffloadRejectedException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.server.Authenticator;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OIP v2 client against the edge server's REST face: TLS, bearer tokens, JSON and binary tensors. */
class OipServerTest {

    private static final String TOKEN = "oip-token-0123456789abcdef";

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static EdgeServer server;
    private static TlsClientConfig tls;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        DevCertificates ca = DevCertificates.authority("OIP Test CA", Duration.ofDays(1));
        DevCertificates cert = ca.issueLocalhost(Duration.ofDays(1));
        tls = TlsClientConfig.builder().trust(List.of(ca.certificate())).build();
        server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).httpPort(0)
                .tls(cert.serverConfig()).authenticator(Authenticator.tokens(Map.of(TOKEN, "cloud")))
                .rateLimit(RateLimit.UNLIMITED).workers(2).build(), List.of(pkg));
    }

    @AfterAll
    static void stop() {
        server.close();
        split.close();
    }

    private static OipV2Client client(boolean binary, String token) {
        OipClientConfig.Builder b = OipClientConfig.builder("https://127.0.0.1:" + server.httpPort()).tls(tls).binary(binary);
        if (token != null) {
            b.token(token);
        }
        return OipV2Client.create(b.build());
    }

    private static long in(long ms) {
        return System.nanoTime() + ms * 1_000_000L;
    }

    @Test
    void binaryAndJsonInferenceGiveTheLocalTailsOutputs() throws Exception {
        List<Tensor> crossing = split.crossing(21);
        Tensor expected = split.tailOutputs(crossing).get(0);
        for (boolean binary : new boolean[] {true, false}) {
            try (OipV2Client client = client(binary, TOKEN)) {
                OffloadResult r = client.submit(split.request(crossing, "raw"), in(10_000)).get(10, TimeUnit.SECONDS);
                assertTrue(expected.contentEquals(r.outputs().get(0)), (binary ? "binary" : "JSON") + " outputs differ");
                assertEquals(expected.spec(), r.outputs().get(0).spec());
                assertTrue(r.computeNs() > 0 && r.queueNs() >= 0, r.toString());
                assertTrue(r.bytesSent() > 0 && r.bytesReceived() > 0);
            }
        }
    }

    @Test
    void healthAndMetadataDescribeTheServedTails() throws Exception {
        try (OipV2Client client = client(true, TOKEN)) {
            assertTrue(client.live());
            assertTrue(client.ready());
            OipV2Client.ServerMetadata server = client.serverMetadata();
            assertTrue(server.extensions().contains(OipTensors.BINARY_EXTENSION));
            assertEquals("edgesplit", server.name());
            String built = System.getProperty("edgesplit.project.version");
            assertNotNull(built, "surefire passes the Maven project version (offload/pom.xml)");
            assertEquals(built, server.version(), "GET /v2 reports the version Maven built");
            String model = split.split.tailSegment();
            assertTrue(client.modelReady(model));
            OipV2Client.ModelMetadata m = client.modelMetadata(model);
            assertEquals(model, m.name());
            assertEquals("tensorflow_lite", m.platform());
            TensorSpec crossing = split.split.crossing().get(0).spec();
            assertEquals(crossing.name(), m.inputs().get(0).name());
            assertTrue(crossing.isCompatibleWith(m.inputs().get(0)));
        }
    }

    @Test
    void withoutATokenOnlyTheHealthProbesAnswerAndNothingIsLearnedAboutModels() throws Exception {
        try (OipV2Client anonymous = client(true, null); OipV2Client wrong = client(true, "wrong-token-0123456789")) {
            assertTrue(anonymous.live());
            for (OipV2Client c : List.of(anonymous, wrong)) {
                OffloadRejectedException known = assertThrows(OffloadRejectedException.class,
                        () -> c.modelMetadata(split.split.tailSegment()));
                OffloadRejectedException unknown = assertThrows(OffloadRejectedException.class,
                        () -> c.modelMetadata("cd".repeat(32)));
                assertEquals(StatusCode.UNAUTHENTICATED, known.status());
                assertEquals(known.getMessage().replace(split.split.tailSegment(), "X"),
                        unknown.getMessage().replace("cd".repeat(32), "X"));
                ExecutionException e = assertThrows(ExecutionException.class, () -> c.submit(
                        split.request(split.crossing(22), "raw"), in(5000)).get(5, TimeUnit.SECONDS));
                assertEquals(StatusCode.UNAUTHENTICATED, assertInstanceOf(OffloadRejectedException.class,
                        e.getCause()).status());
            }
        }
    }

    @Test
    void unknownModelsAndWrongShapesAreClientErrors() {
        try (OipV2Client client = client(true, TOKEN)) {
            OffloadRequest unknown = split.request(split.crossing(23), "raw").toBuilder().segmentSha256("cd".repeat(32))
                    .build();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.submit(unknown, in(5000)).get(5, TimeUnit.SECONDS));
            assertEquals(StatusCode.NOT_FOUND, assertInstanceOf(OffloadRejectedException.class, e.getCause()).status());
            TensorSpec spec = split.split.crossing().get(0).spec();
            int[] shape = spec.shape();
            shape[1] += 1;
            OffloadRequest wrong = OffloadRequest.builder().segmentSha256(split.split.tailSegment())
                    .inputs(Tensor.allocate(new TensorSpec(spec.name(), shape, DataType.FP32, null))).build();
            ExecutionException w = assertThrows(ExecutionException.class,
                    () -> client.submit(wrong, in(5000)).get(5, TimeUnit.SECONDS));
            OffloadRejectedException bad = assertInstanceOf(OffloadRejectedException.class, w.getCause());
            assertEquals(StatusCode.BAD_REQUEST, bad.status());
            assertTrue(bad.getMessage().contains("expects " + spec.shapeAndType() + ", got "), bad.getMessage());
        }
    }

    @Test
    void plainHttpIsNotServedWhenTlsIsOn() throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.httpPort() + "/v2/health/live")
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        assertThrows(IOException.class, c::getResponseCode);
        assertFalse(c.getClass().getName().isEmpty());
    }
}
