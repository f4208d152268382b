package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.oip.OipClientConfig;
import io.edgesplit.offload.oip.OipV2Client;
import io.edgesplit.offload.resilience.CircuitBreaker;
import io.edgesplit.offload.resilience.CircuitBreakerConfig;
import io.edgesplit.offload.resilience.ResilientTarget;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code connect()}: a transport opens its connection (TCP, TLS handshake, authentication) before the
 * first request, against a real TLS edge server with token authentication on loopback.
 */
class ConnectTest {

    private static final String TOKEN = "connect-token-0123456789abcdef";
    private static final long SECOND_NS = 1_000_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static TlsClientConfig tls;
    private static EdgeServer server;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        DevCertificates certs = DevCertificates.localhost(Duration.ofDays(1));
        tls = certs.clientConfig();
        server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).httpPort(0)
                .tls(certs.serverConfig()).authenticator(Authenticator.tokens(Map.of(TOKEN, "dev")))
                .rateLimit(RateLimit.UNLIMITED).workers(1).build(), List.of(pkg));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (split != null) {
            split.close();
        }
    }

    private static NativeOffloadClient client(int port, String token) {
        return NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port).tls(tls).token(token)
                .connections(1).build());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitServerConnections(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.load().connections() != n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, server.load().connections(), "connections the server holds");
    }

    @Test
    void connectAuthenticatesBeforeTheFirstRequestWhichThenUsesThatConnection() throws Exception {
        awaitServerConnections(0);
        try (NativeOffloadClient client = client(server.nativePort(), TOKEN)) {
            assertEquals(0, client.openConnections(), "a client connects lazily");
            client.connect().get(10, TimeUnit.SECONDS);
            assertEquals(1, client.openConnections());
            awaitServerConnections(1);
            List<Tensor> crossing = split.crossing(3);
            OffloadResult r = client.submit(split.request(crossing, "raw"), System.nanoTime() + 10 * SECOND_NS)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(split.tailOutputs(crossing).get(0).contentEquals(r.outputs().get(0)));
            assertEquals(1, client.openConnections(), "the request went over the connection connect() opened");
            assertEquals(1, server.load().connections());
        }
        awaitServerConnections(0);
    }

    @Test
    void connectFailsWithAConnectionExceptionWhenNothingListensOrTheTokenIsRefused() throws Exception {
        try (NativeOffloadClient nobody = client(freePort(), TOKEN);
                NativeOffloadClient refused = client(server.nativePort(), "wrong-token-0123456789abcdef")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> nobody.connect().get(10, TimeUnit.SECONDS));
            ConnectionException down = assertInstanceOf(ConnectionException.class, e.getCause());
            assertTrue(down.retryable(), "nothing listening yet: trying again later may work");
            e = assertThrows(ExecutionException.class, () -> refused.connect().get(10, TimeUnit.SECONDS));
            ConnectionException auth = assertInstanceOf(ConnectionException.class, e.getCause());
            assertFalse(auth.retryable(), "a refused token is refused again: " + auth.getMessage());
            assertEquals(0, refused.openConnections());
        }
        awaitServerConnections(0);
    }

    @Test
    void aFailedConnectIsNotARequestFailureForTheCircuitBreaker() throws Exception {
        // one failure among one call would open this breaker
        CircuitBreakerConfig eager = CircuitBreakerConfig.builder().minimumCalls(1).windowSize(2).build();
        try (ResilientTarget target = ResilientTarget.builder(client(freePort(), TOKEN)).circuitBreaker(eager).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> target.connect().get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectionException.class, e.getCause());
            assertEquals(CircuitBreaker.State.CLOSED, target.circuitBreaker().state());
        }
        try (ResilientTarget target = ResilientTarget.builder(client(server.nativePort(), TOKEN)).circuitBreaker(eager)
                .build()) {
            target.connect().get(10, TimeUnit.SECONDS);
            awaitServerConnections(1);
        }
        awaitServerConnections(0);
    }

    @Test
    void theOipClientConnectsOverTlsOrSaysItCannot() throws Exception {
        try (OipV2Client up = OipV2Client.create(OipClientConfig.builder("https://127.0.0.1:" + server.httpPort())
                .tls(tls).token(TOKEN).build());
                OipV2Client down = OipV2Client.create(OipClientConfig.builder("https://127.0.0.1:" + freePort())
                        .tls(tls).token(TOKEN).build())) {
            up.connect().get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> down.connect().get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectionException.class, e.getCause());
        }
    }
}
