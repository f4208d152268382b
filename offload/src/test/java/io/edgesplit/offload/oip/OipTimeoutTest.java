package io.edgesplit.offload.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timeouts of the OIP client against a raw local HTTP server that stalls in each phase: they say how
 * many request body bytes (the JSON header and the binary tensor data, not the HTTP headers) were
 * handed to the socket, how long the call waited since sending started, and where it stalled.
 */
@Timeout(10)
class OipTimeoutTest {

    private static final long DEADLINE_MS = 800;
    private static final String SHA = "ab".repeat(32);

    /** What the raw server does with a request. */
    private enum Mode { READ_ALL_THEN_SILENT, READ_NOTHING, ANSWER_HEADERS_THEN_SILENT }

    /** Accepts one connection, treats it as {@code mode} says, then holds it open until closed. */
    private static final class StallingServer implements AutoCloseable {
        final ServerSocket socket;
        final CompletableFuture<Long> bodyRead = new CompletableFuture<>();
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        StallingServer(Mode mode) throws IOException {
            socket = new ServerSocket();
            socket.setReceiveBufferSize(4096); // inherited by the accepted socket: a slow reader's window
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(() -> serve(mode), "stalling-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Mode mode) {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                long length = contentLength(in);
                if (mode != Mode.READ_NOTHING) {
                    long read = 0;
                    byte[] buf = new byte[8192];
                    int n;
                    while (read < length && (n = in.read(buf, 0, (int) Math.min(buf.length, length - read))) > 0) {
                        read += n;
                    }
                    bodyRead.complete(read);
                }
                if (mode == Mode.ANSWER_HEADERS_THEN_SILENT) {
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000\r\n\r\n{\"outputs\":").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
                release.await();
            } catch (IOException | InterruptedException e) {
                bodyRead.completeExceptionally(e);
            }
        }

        /** Reads the request line and headers; returns the Content-Length. */
        private static long contentLength(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    return Long.parseLong(line.substring(15).trim());
                }
            }
            throw new IOException("no Content-Length in " + head);
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            socket.close();
        }
    }

    private static OffloadRequest request(int floats) {
        Tensor t = Tensor.allocate(TensorSpec.of("x", DataType.FP32, 1, floats));
        return OffloadRequest.builder().segmentSha256(SHA).modelName("tail").inputs(t).build();
    }

    private static OffloadTimeoutException timeoutOf(StallingServer server, OffloadRequest request) {
        try (OipV2Client client = OipV2Client.create(OipClientConfig.builder("http://127.0.0.1:" + server.port())
                .plaintext().build())) {
            long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000L;
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.submit(request, deadline).get(5, TimeUnit.SECONDS));
            return assertInstanceOf(OffloadTimeoutException.class, e.getCause());
        }
    }

    private static void assertWaitedAboutTheDeadline(OffloadTimeoutException t) {
        assertTrue(t.waitedNs() > (DEADLINE_MS - 300) * 1_000_000L && t.waitedNs() < (DEADLINE_MS + 700) * 1_000_000L,
                t.waitedNs() / 1_000_000 + " ms waited: " + t.getMessage());
    }

    @Test
    void aServerSilentAfterTheWholeUploadTimesOutWithTheWholeBodySent() throws Exception {
        try (StallingServer server = new StallingServer(Mode.READ_ALL_THEN_SILENT)) {
            OffloadTimeoutException t = timeoutOf(server, request(16 * 1024));
            long body = server.bodyRead.get(1, TimeUnit.SECONDS);
            assertTrue(body > 64 * 1024, "body " + body);
            assertEquals(body, t.bytesSent(), t.getMessage());
            assertWaitedAboutTheDeadline(t);
            assertTrue(t.uploadComplete() && t.uploadNs() < t.waitedNs(), t.getMessage());
            assertFalse(t.replyStarted());
            assertTrue(t.getMessage().contains("waiting for the server after the whole upload"), t.getMessage());
        }
    }

    @Test
    void anUploadTheServerStopsReadingTimesOutWithPartOfTheBodySent() throws Exception {
        int floats = 4 * 1024 * 1024; // 16 MB, well above what socket buffers on both ends can hold
        try (StallingServer server = new StallingServer(Mode.READ_NOTHING)) {
            OffloadTimeoutException t = timeoutOf(server, request(floats));
            assertTrue(t.bytesSent() > 0 && t.bytesSent() < 4L * floats, t.bytesSent() + ": " + t.getMessage());
            assertWaitedAboutTheDeadline(t);
            assertFalse(t.uploadComplete());
            assertFalse(t.replyStarted());
            assertTrue(t.getMessage().contains("uploading: " + t.bytesSent() + " of "), t.getMessage());
        }
    }

    @Test
    void aReplyThatStallsIsReportedAsStartedSoItClearsTheUplink() throws Exception {
        try (StallingServer server = new StallingServer(Mode.ANSWER_HEADERS_THEN_SILENT)) {
            OffloadTimeoutException t = timeoutOf(server, request(1024));
            assertEquals((long) server.bodyRead.get(1, TimeUnit.SECONDS), t.bytesSent());
            assertTrue(t.uploadComplete() && t.replyStarted(), t.getMessage());
            assertTrue(t.getMessage().contains("reading the response"), t.getMessage());
        }
    }
}
