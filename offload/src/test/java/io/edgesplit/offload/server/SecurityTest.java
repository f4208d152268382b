package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.engine.EngineOptions;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.ServerBusyException;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.protocol.ErrorFrame;
import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.testing.RawConnection;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, token and client-certificate authentication, rate limits, and secure defaults, on real sockets. */
class SecurityTest {

    private static final String TOKEN = "device-token-0123456789abcdef";
    private static final long SECOND_NS = 1_000_000_000L;
    private static final Duration DAY = Duration.ofDays(1);

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static DevCertificates ca;
    private static DevCertificates serverCert;
    private static TlsClientConfig trustServer;
    private static EdgeServer tokenServer;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        ca = DevCertificates.authority("EdgeSplit Test CA", DAY);
        serverCert = ca.issueLocalhost(DAY);
        trustServer = TlsClientConfig.builder().trust(List.of(ca.certificate())).build();
        tokenServer = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                .tls(serverCert.serverConfig())
                .authenticator(Authenticator.tokens(Map.of(TOKEN, "device-1")))
                .rateLimit(RateLimit.perClient(5, 3)).helloTimeoutMs(2000).workers(1).build(), List.of(pkg));
    }

    @AfterAll
    static void stop() {
        if (tokenServer != null) {
            tokenServer.close();
        }
        if (split != null) {
            split.close();
        }
    }

    private static long in(long ns) {
        return System.nanoTime() + ns;
    }

    private static NativeOffloadClient client(int port, TlsClientConfig tls, String token) {
        NativeClientConfig.Builder b = NativeClientConfig.builder("127.0.0.1", port).tls(tls).connections(1);
        if (token != null) {
            b.token(token);
        }
        return NativeOffloadClient.create(b.build());
    }

    @Test
    void answersOverTlsWithAValidToken() throws Exception {
        List<Tensor> crossing = split.crossing(1);
        try (NativeOffloadClient client = client(tokenServer.nativePort(), trustServer, TOKEN)) {
            OffloadResult r = client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            assertTrue(split.tailOutputs(crossing).get(0).contentEquals(r.outputs().get(0)));
        }
    }

    @Test
    void aWrongTokenGetsNoInferenceAndNoDetail() {
        long before = tokenServer.authenticationFailures();
        try (NativeOffloadClient client = client(tokenServer.nativePort(), trustServer, "not-the-token-at-all-0000")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.submit(split.request(split.crossing(1), "raw"), in(5 * SECOND_NS)).get(5, TimeUnit.SECONDS));
            ConnectionException c = assertInstanceOf(ConnectionException.class, e.getCause());
            assertFalse(c.retryable(), "another attempt with the same token cannot succeed");
            assertTrue(c.getMessage().contains("UNAUTHENTICATED: authentication failed"), c.getMessage());
            assertFalse(c.getMessage().contains(split.split.tailSegment()), "nothing about the models");
        }
        assertEquals(before + 1, tokenServer.authenticationFailures());
    }

    @Test
    void aRequestBeforeHelloIsRefusedTheSameWayForKnownAndUnknownSegments() throws Exception {
        List<String> answers = new ArrayList<>();
        for (String segment : List.of(split.split.tailSegment(), "cd".repeat(32))) {
            try (RawConnection raw = new RawConnection(tokenServer.nativePort(), trustServer.socketFactory())) {
                raw.write(requestFrame(segment));
                Frame f = raw.read();
                assertInstanceOf(ErrorFrame.class, f);
                ErrorFrame e = (ErrorFrame) f;
                assertEquals(StatusCode.UNAUTHENTICATED, e.status());
                answers.add(e.status() + ": " + e.message());
                assertNull(raw.read(), "the server closes the connection");
            }
        }
        assertEquals(answers.get(0), answers.get(1), "an unauthenticated peer cannot tell which segments exist");
    }

    @Test
    void aConnectionThatNeverSaysHelloIsClosed() throws Exception {
        try (RawConnection raw = new RawConnection(tokenServer.nativePort(), trustServer.socketFactory())) {
            raw.socket.setSoTimeout(6000);
            raw.write(new byte[] {0x10}); // a byte of something, then silence
            long t0 = System.nanoTime();
            assertTrue(raw.closedByServer(), "closed after the HELLO timeout");
            assertTrue(System.nanoTime() - t0 < 5 * SECOND_NS);
        }
    }

    @Test
    void aPlaintextClientCannotTalkToTheTlsServer() {
        NativeOffloadClient plain = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1",
                tokenServer.nativePort()).plaintext().token(TOKEN).connectTimeoutMs(3000).build());
        try (plain) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> plain.submit(split.request(split.crossing(1), "raw"), in(5 * SECOND_NS)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectionException.class, e.getCause());
        }
    }

    @Test
    void aServerCertificateFromAnUntrustedAuthorityIsRefused() {
        TlsClientConfig other = TlsClientConfig.builder()
                .trust(List.of(DevCertificates.authority("Someone Else", DAY).certificate())).build();
        try (NativeOffloadClient client = client(tokenServer.nativePort(), other, TOKEN)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.submit(split.request(split.crossing(1), "raw"), in(5 * SECOND_NS)).get(10, TimeUnit.SECONDS));
            ConnectionException c = assertInstanceOf(ConnectionException.class, e.getCause());
            assertFalse(c.retryable());
            assertTrue(c.getMessage().contains("TLS handshake failed"), c.getMessage());
        }
    }

    @Test
    void mutualTlsLetsInOnlyClientsWithACertificateFromTheTrustedAuthority(@TempDir Path tmp) throws Exception {
        // the server identity comes from PEM files this time, as `edgesplit serve` reads it
        Path[] pem = serverCert.writePem(tmp, "server");
        Path caPem = ca.writePem(tmp, "ca")[0];
        TlsServerConfig tls = TlsServerConfig.fromPem(pem[0], pem[1]).requireClientCertificates(caPem);
        try (EdgeServer mtls = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).tls(tls)
                .authenticator(Authenticator.clientCertificates()).workers(1).build(), List.of(pkg))) {
            DevCertificates device = ca.issueClient("device-7", DAY);
            Path[] devicePem = device.writePem(tmp, "device");
            TlsClientConfig withCert = TlsClientConfig.builder().trustPem(caPem)
                    .clientCertificatePem(devicePem[0], devicePem[1]).build();
            List<Tensor> crossing = split.crossing(2);
            try (NativeOffloadClient client = client(mtls.nativePort(), withCert, null)) {
                OffloadResult r = client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
                assertEquals(split.tailOutputs(crossing).get(0).argMax(), r.outputs().get(0).argMax());
            }
            DevCertificates stranger = DevCertificates.authority("Rogue CA", DAY).issueClient("device-7", DAY);
            TlsClientConfig rogue = TlsClientConfig.builder().trust(List.of(ca.certificate()))
                    .clientCertificate(stranger.privateKey(), stranger.chain()).build();
            for (TlsClientConfig bad : List.of(rogue, trustServer)) {
                try (NativeOffloadClient client = client(mtls.nativePort(), bad, null)) {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> client.submit(split.request(crossing, "raw"), in(5 * SECOND_NS)).get(10, TimeUnit.SECONDS));
                    assertInstanceOf(ConnectionException.class, e.getCause());
                }
            }
        }
    }

    @Test
    void eachClientHasItsOwnRateLimit() throws Exception {
        try (EdgeServer limited = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                .plaintext().authenticator(Authenticator.tokens(Map.of(TOKEN, "a", TOKEN + "-b", "b")))
                .rateLimit(RateLimit.perClient(2, 3)).workers(1).build(), List.of(pkg))) {
            List<Tensor> crossing = split.crossing(3);
            NativeOffloadClient a = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", limited.nativePort())
                    .plaintext().token(TOKEN).connections(1).build());
            NativeOffloadClient b = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", limited.nativePort())
                    .plaintext().token(TOKEN + "-b").connections(1).build());
            try (a; b) {
                List<CompletableFuture<OffloadResult>> fa = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    fa.add(a.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)));
                }
                int ok = 0;
                int limitedCount = 0;
                for (CompletableFuture<OffloadResult> f : fa) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        ok++;
                    } catch (ExecutionException e) {
                        ServerBusyException busy = assertInstanceOf(ServerBusyException.class, e.getCause());
                        assertEquals(StatusCode.RATE_LIMITED, busy.status());
                        assertTrue(busy.retryAfterNs() > 0);
                        limitedCount++;
                    }
                }
                assertTrue(ok >= 3 && ok <= 4, "the burst of 3 (plus what refilled) passes: " + ok);
                assertEquals(10 - ok, limitedCount);
                // client b has its own bucket
                b.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void insecureSettingsMustBeAskedForExplicitly() {
        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class,
                () -> EdgeServerConfig.builder().allowAnonymous().build());
        assertTrue(noTls.getMessage().startsWith("tls: not set"), noTls.getMessage());
        IllegalArgumentException noAuth = assertThrows(IllegalArgumentException.class,
                () -> EdgeServerConfig.builder().tls(serverCert.serverConfig()).build());
        assertTrue(noAuth.getMessage().startsWith("authenticator: not set"), noAuth.getMessage());
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
                () -> NativeClientConfig.builder("127.0.0.1", 1).build());
        assertTrue(client.getMessage().startsWith("tls: not set"), client.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Authenticator.tokens(Map.of("short", "x")));
    }

    private static byte[] requestFrame(String segment) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        InferRequestFrame f = new InferRequestFrame().wrapForEncode(b, 0, b.capacity());
        f.requestId(1).timeoutNs(SECOND_NS).segment(SegmentId.fromHex(segment)).codecName("raw").tensorCount(1);
        f.beginTensor(0, io.edgesplit.tensor.DataType.FP32, new int[] {1, 4});
        f.endTensor(0, 16);
        byte[] out = new byte[f.finish()];
        b.getBytes(0, out);
        return out;
    }
}
