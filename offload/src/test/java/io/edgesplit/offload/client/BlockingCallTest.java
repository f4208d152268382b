package io.edgesplit.offload.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native client's blocking {@code call}: the caller reads its own reply (leader/follower), keeps
 * its deadline with the socket timeout, and a reply cut by a timeout is resumed by the next reader.
 * Real server, real TensorFlow Lite tails, real sockets (a TCP relay in between where the test needs
 * to hold or cut the reply).
 */
class BlockingCallTest {

    private static final long SECOND_NS = 1_000_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static EdgeServer server;
    private static EdgeServer tlsServer;
    private static TlsClientConfig trust;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        server = EdgeServer.start(base().plaintext().build(), List.of(pkg));
        DevCertificates ca = DevCertificates.authority("BlockingCallTest CA", Duration.ofDays(1));
        tlsServer = EdgeServer.start(base().tls(ca.issueLocalhost(Duration.ofDays(1)).serverConfig()).build(), List.of(pkg));
        trust = TlsClientConfig.builder().trust(List.of(ca.certificate())).build();
    }

    private static EdgeServerConfig.Builder base() {
        return EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).allowAnonymous().workers(2)
                .rateLimit(RateLimit.UNLIMITED);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, tlsServer, split}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static NativeOffloadClient client(int port, boolean tls) {
        NativeClientConfig.Builder b = NativeClientConfig.builder("127.0.0.1", port).connections(1);
        return NativeOffloadClient.create((tls ? b.tls(trust) : b.plaintext()).build());
    }

    private static long in(long ns) {
        return System.nanoTime() + ns;
    }

    @Test
    void aCallReadsItsOwnReplyOnTheCallersThread() throws Exception {
        List<Tensor> crossing = split.crossing(1);
        Tensor expected = split.tailOutputs(crossing).get(0);
        try (NativeOffloadClient client = client(server.nativePort(), false)) {
            client.connect().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                OffloadResult r = client.call(split.request(crossing, "raw"), in(10 * SECOND_NS));
                assertTrue(expected.contentEquals(r.outputs().get(0)), "call " + i);
            }
            long[] read = client.repliesRead();
            assertEquals(20, read[0], "every reply read by the caller that waited for it");
            assertEquals(0, read[1], "none handed over from the background reader");
            // the asynchronous form still has the background reader
            client.submit(split.request(crossing, "raw"), in(10 * SECOND_NS)).get(10, TimeUnit.SECONDS);
            assertEquals(1, client.repliesRead()[1]);
        }
    }

    @Test
    void callsFromManyThreadsAndAsynchronousSubmitsShareOneConnection() throws Exception {
        int threads = 6;
        List<List<Tensor>> inputs = new ArrayList<>();
        List<Tensor> outputs = new ArrayList<>();
        for (int k = 0; k < threads + 1; k++) {
            List<Tensor> c = split.crossing(100 + k);
            inputs.add(c);
            outputs.add(split.tailOutputs(c).get(0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (NativeOffloadClient client = client(server.nativePort(), false)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int me = k;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 10; i++) {
                        OffloadResult r = client.call(split.request(inputs.get(me), "raw"), in(30 * SECOND_NS));
                        assertTrue(outputs.get(me).contentEquals(r.outputs().get(0)), "thread " + me + " call " + i
                                + " got another request's reply");
                    }
                    return me;
                }));
            }
            go.countDown();
            List<CompletableFuture<OffloadResult>> async = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                async.add(client.submit(split.request(inputs.get(threads), "raw"), in(30 * SECOND_NS)));
            }
            for (Future<Integer> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (CompletableFuture<OffloadResult> f : async) {
                assertTrue(outputs.get(threads).contentEquals(f.get(30, TimeUnit.SECONDS).outputs().get(0)));
            }
            long[] read = client.repliesRead();
            assertEquals(threads * 10 + 20, read[0] + read[1], "every reply read exactly once");
            assertTrue(read[0] > 0, "callers led: " + read[0] + "/" + read[1]);
            assertEquals(1, client.openConnections());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aCallEndsAtItsDeadlineAndTheReplyItCutIsResumedByTheNextReader(boolean tls) throws Exception {
        List<Tensor> crossing = split.crossing(2);
        Tensor expected = split.tailOutputs(crossing).get(0);
        try (Relay relay = new Relay(tls ? tlsServer.nativePort() : server.nativePort());
                NativeOffloadClient client = client(relay.port(), tls)) {
            OffloadResult first = client.call(split.request(crossing, "raw"), in(10 * SECOND_NS));
            assertTrue(expected.contentEquals(first.outputs().get(0)));
            // the next reply stops a few bytes in (inside its frame header; with TLS, inside a record)
            relay.holdAfter(relay.toClient() + 12);
            long t0 = System.nanoTime();
            OffloadTimeoutException timeout = assertThrows(OffloadTimeoutException.class,
                    () -> client.call(split.request(crossing, "raw"), in(300_000_000L)));
            long took = System.nanoTime() - t0;
            assertTrue(took >= 300_000_000L && took < 2 * SECOND_NS, "ended at its deadline: " + took / 1_000_000 + " ms");
            assertTrue(timeout.bytesSent() > crossing.get(0).byteSize(), "the timeout says what was sent: " + timeout);
            assertTrue(relay.toClient() > 0 && relay.held(), "the reply was cut inside a frame");
            relay.release();
            // the next call's reader first finishes the cut (now late) reply, then reads its own
            for (int i = 0; i < 3; i++) {
                OffloadResult r = client.call(split.request(crossing, "raw"), in(10 * SECOND_NS));
                assertTrue(expected.contentEquals(r.outputs().get(0)), "call " + i + " after the timeout");
            }
            assertEquals(1, client.openConnections(), "the connection survived the timeout");
            assertEquals(1, relay.connections(), "no reconnect");
        }
    }

    @Test
    void aConnectionCutDuringACallFailsItAtOnceAsRetryable() throws Exception {
        List<Tensor> crossing = split.crossing(3);
        try (Relay relay = new Relay(server.nativePort()); NativeOffloadClient client = client(relay.port(), false)) {
            client.call(split.request(crossing, "raw"), in(10 * SECOND_NS));
            relay.holdAfter(relay.toClient()); // the reply never comes
            CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                sleepMs(150);
                relay.cut();
            });
            long t0 = System.nanoTime();
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> client.call(split.request(crossing, "raw"), in(20 * SECOND_NS)));
            long took = System.nanoTime() - t0;
            cut.get(5, TimeUnit.SECONDS);
            assertTrue(e.retryable(), e.toString());
            assertTrue(took < 5 * SECOND_NS, "failed when the connection died, not at the 20 s deadline: "
                    + took / 1_000_000 + " ms");
        }
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A TCP relay to the server that can hold the server-to-client direction after a byte count (a
     * reply stalled mid-frame) and cut both directions at once.
     */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listener;
        private final int target;
        private final List<Socket> sockets = new ArrayList<>();
        private final Object lock = new Object();
        private long toClient;
        private long holdAt = Long.MAX_VALUE;
        private boolean held;
        private int connections;

        Relay(int target) throws IOException {
            this.target = target;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                    synchronized (lock) {
                        sockets.add(client);
                        sockets.add(server);
                        connections++;
                    }
                    pump(client.getInputStream(), server.getOutputStream(), false);
                    pump(server.getInputStream(), client.getOutputStream(), true);
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(InputStream in, OutputStream out, boolean toClientSide) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try {
                    while (true) {
                        int n = in.read(buf);
                        if (n < 0) {
                            return;
                        }
                        int at = 0;
                        while (at < n) {
                            int chunk = n - at;
                            if (toClientSide) {
                                synchronized (lock) {
                                    while (toClient >= holdAt) {
                                        held = true;
                                        lock.wait();
                                    }
                                    chunk = (int) Math.min(chunk, holdAt - toClient);
                                    toClient += chunk;
                                }
                            }
                            out.write(buf, at, chunk);
                            out.flush();
                            at += chunk;
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // cut or closed
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        long toClient() {
            synchronized (lock) {
                return toClient;
            }
        }

        boolean held() {
            synchronized (lock) {
                return held;
            }
        }

        int connections() {
            synchronized (lock) {
                return connections;
            }
        }

        void holdAfter(long bytes) {
            synchronized (lock) {
                holdAt = bytes;
                held = false;
            }
        }

        void release() {
            synchronized (lock) {
                holdAt = Long.MAX_VALUE;
                lock.notifyAll();
            }
        }

        /** Both directions reset at once, as when a server dies. */
        void cut() {
            synchronized (lock) {
                for (Socket s : sockets) {
                    try {
                        s.setSoLinger(true, 0);
                        s.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
                lock.notifyAll();
            }
        }

        @Override
        public void close() throws IOException {
            release();
            listener.close();
            cut();
        }
    }
}
