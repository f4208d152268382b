package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.testing.TestPackages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP face against raw sockets: oversized bodies, slow drips, and the load report. */
class HttpRobustnessTest {

    private static final String TOKEN = "http-token-0123456789abcdef";
    private static EdgeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).httpPort(0).plaintext()
                .authenticator(Authenticator.tokens(Map.of(TOKEN, "c"))).limits(FrameLimits.of(1 << 20, 16))
                .frameReadTimeoutMs(300).workers(1).build(), List.of(TestPackages.synthetic()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedFromItsContentLength() throws IOException {
        String response = exchange("POST /v2/models/" + server.segments().get(0) + "/infer HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
    }

    @Test
    void aSlowDripRequestIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            byte[] line = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            try {
                for (byte b : line) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(50);
                }
                InputStream in = s.getInputStream();
                if (in.read() >= 0) {
                    fail("the server answered a request that never ended");
                }
            } catch (IOException closed) {
                // reset by the server: also closed
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < 2_000_000_000L, "closed within the frame read timeout (+ ticks): " + took / 1_000_000 + " ms");
        } catch (SocketTimeoutException e) {
            fail("the server kept the dripping connection open");
        }
    }

    @Test
    void reportsItsLoadToAuthenticatedClientsOnly() throws IOException {
        String anonymous = exchange("GET /v2/edgesplit/load HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(anonymous.startsWith("HTTP/1.1 401"), anonymous);
        String response = exchange("GET /v2/edgesplit/load HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        JsonNode load = new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals(1, load.get("workers").asInt());
        assertTrue(load.has("estimatedQueueNs"), load.toString());
        assertEquals(0, load.get("inline").asLong(), "the inline runs' count, as protocol.md lists it: " + load);
    }
}
