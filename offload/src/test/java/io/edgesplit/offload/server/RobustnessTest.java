package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.protocol.ErrorFrame;
import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.FrameType;
import io.edgesplit.offload.protocol.HelloOkFrame;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.InferResponseFrame;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.testing.RawConnection;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile and broken peers on real sockets: slow drip, half-open connections, huge lengths, mutated frames. */
class RobustnessTest {

    private static final long SECOND_NS = 1_000_000_000L;

    private static ModelPackage pkg;
    private static LocalSplit split;
    private static EdgeServer server;

    @BeforeAll
    static void start() throws Exception {
        pkg = TestPackages.synthetic();
        split = new LocalSplit(pkg, TestPackages.split(pkg, 0.5));
        server = EdgeServer.start(NativeServerTest.plain().frameReadTimeoutMs(300).idleTimeoutMs(400)
                .helloTimeoutMs(1000).build(), List.of(pkg));
    }

    @AfterAll
    static void stop() {
        server.close();
        split.close();
    }

    private static byte[] validRequest(long id) {
        List<Tensor> crossing = split.crossing(id);
        UnsafeBuffer b = new UnsafeBuffer(new byte[1 << 20]);
        InferRequestFrame f = new InferRequestFrame().wrapForEncode(b, 0, b.capacity());
        f.requestId(id).timeoutNs(5 * SECOND_NS).segment(SegmentId.fromHex(split.split.tailSegment())).codecName("raw")
                .tensorCount(crossing.size());
        for (int i = 0; i < crossing.size(); i++) {
            Tensor t = crossing.get(i);
            int at = f.beginTensor(i, t.dataType(), t.shape());
            f.buffer().putBytes(at, t.data(), 0, t.byteSize());
            f.endTensor(i, t.byteSize());
        }
        return Arrays.copyOf(b.byteArray(), f.finish());
    }

    @Test
    void aSlowDripFrameIsClosedAfterTheFrameReadTimeout() throws Exception {
        byte[] request = validRequest(1);
        try (RawConnection raw = new RawConnection(server.nativePort(), null)) {
            raw.hello("");
            assertInstanceOf(HelloOkFrame.class, raw.read());
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < 40; i++) { // one byte every 50 ms: 2 s for 40 bytes
                    raw.write(new byte[] {request[i]});
                    Thread.sleep(50);
                }
                fail("the server kept a dripping connection open");
            } catch (IOException expected) {
                // the server closed it
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < 1500_000_000L, "closed within the frame read timeout (+ ticks): " + took / 1_000_000 + " ms");
        }
    }

    @Test
    void aSilentAuthenticatedPeerIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawConnection raw = new RawConnection(server.nativePort(), null)) {
            raw.socket.setSoTimeout(3000);
            raw.hello("");
            assertInstanceOf(HelloOkFrame.class, raw.read());
            long t0 = System.nanoTime();
            assertTrue(raw.closedByServer(), "a half-open peer does not keep server resources forever");
            assertTrue(System.nanoTime() - t0 >= 300_000_000L, "not before the idle timeout");
        }
    }

    @Test
    void theClientClosesAConnectionWhoseServerStopsAnswering() throws Exception {
        // a "server" that authenticates and then never answers anything again (a dead path, no FIN)
        try (ServerSocket fake = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] hello = new byte[8];
                    in.readNBytes(hello, 0, 8);
                    int len = new UnsafeBuffer(hello).getInt(0, FrameHeader.BYTE_ORDER);
                    in.readNBytes(len - 8);
                    UnsafeBuffer ok = new UnsafeBuffer(new byte[HelloOkFrame.LENGTH]);
                    new HelloOkFrame().wrapForEncode(ok, 0, HelloOkFrame.LENGTH).maxFrameBytes(1 << 20).maxInFlight(8)
                            .workers(1).finish();
                    OutputStream out = s.getOutputStream();
                    out.write(ok.byteArray());
                    out.flush();
                    Thread.sleep(5000);
                } catch (IOException | InterruptedException e) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            try (NativeOffloadClient client = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1",
                    fake.getLocalPort()).plaintext().connections(1).pingIntervalMs(200).build())) {
                client.submit(split.request(split.crossing(2), "raw"), System.nanoTime() + 100_000_000L)
                        .handle((r, e) -> e).get(5, TimeUnit.SECONDS);
                assertEquals(1, client.openConnections());
                long t0 = System.nanoTime();
                while (client.openConnections() > 0 && System.nanoTime() - t0 < 3 * SECOND_NS) {
                    Thread.sleep(20);
                }
                assertEquals(0, client.openConnections(), "unanswered PING closed the dead connection");
            }
        }
    }

    @Test
    void aLengthBeyondTheLimitIsRejectedFromTheHeaderWithoutWaitingForTheBody() throws Exception {
        try (RawConnection raw = new RawConnection(server.nativePort(), null)) {
            raw.hello("");
            assertInstanceOf(HelloOkFrame.class, raw.read());
            UnsafeBuffer prefix = new UnsafeBuffer(new byte[8]);
            prefix.putInt(0, Integer.MAX_VALUE - 7, FrameHeader.BYTE_ORDER);
            prefix.putShort(4, FrameHeader.MAGIC, FrameHeader.BYTE_ORDER);
            prefix.putByte(6, (byte) 1);
            prefix.putByte(7, (byte) FrameType.INFER_REQUEST.code());
            raw.write(prefix.byteArray()); // 2 GiB announced, 8 bytes sent
            Frame f = raw.read();
            ErrorFrame e = assertInstanceOf(ErrorFrame.class, f);
            assertEquals(StatusCode.PROTOCOL_ERROR, e.status());
            assertTrue(e.message().startsWith("FRAME_TOO_LONG"), e.message());
            assertTrue(raw.closedByServer());
        }
        try (RawConnection raw = new RawConnection(server.nativePort(), null)) {
            UnsafeBuffer prefix = new UnsafeBuffer(new byte[8]);
            prefix.putInt(0, 1 << 20, FrameHeader.BYTE_ORDER); // a 1 MiB HELLO before authentication
            prefix.putShort(4, FrameHeader.MAGIC, FrameHeader.BYTE_ORDER);
            prefix.putByte(6, (byte) 1);
            prefix.putByte(7, (byte) FrameType.HELLO.code());
            raw.write(prefix.byteArray());
            ErrorFrame e = assertInstanceOf(ErrorFrame.class, raw.read());
            assertTrue(e.message().startsWith("FRAME_TOO_LONG"), e.message());
        }
    }

    @Test
    void mutatedFramesOverRealSocketsOnlyEverGetTypedRejections() throws Exception {
        Random random = new Random(0xF0221L);
        byte[] seed = validRequest(3);
        int frames = Integer.getInteger("edgesplit.fuzz.socketFrames", 1000);
        int replies = 0;
        int connections = 0;
        RawConnection raw = null;
        try {
            for (int i = 0; i < frames; i++) {
                if (raw == null) {
                    raw = new RawConnection(server.nativePort(), null);
                    raw.socket.setSoTimeout(5000);
                    raw.hello("");
                    assertInstanceOf(HelloOkFrame.class, raw.read());
                    connections++;
                }
                byte[] mutated = mutate(seed, random, i);
                try {
                    raw.write(mutated);
                    Frame reply = raw.read();
                    if (reply == null) {
                        raw.close();
                        raw = null; // closed after a fatal rejection; reconnect
                        continue;
                    }
                    replies++;
                    if (reply instanceof ErrorFrame) {
                        StatusCode s = ((ErrorFrame) reply).status();
                        assertNotNull(s);
                        if (s == StatusCode.PROTOCOL_ERROR) {
                            raw.close();
                            raw = null;
                        }
                    } else {
                        assertInstanceOf(InferResponseFrame.class, reply, "frame " + i);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // a length that now promises more bytes than were sent: the server waits; drop it
                    raw.close();
                    raw = null;
                } catch (IOException e) {
                    raw.close();
                    raw = null;
                }
            }
        } finally {
            if (raw != null) {
                raw.close();
            }
        }
        assertTrue(replies > frames / 2, "most frames got an answer: " + replies + " over " + connections + " connections");
        // the server is unharmed
        try (NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
            List<Tensor> crossing = split.crossing(4);
            OffloadResult r = client.submit(split.request(crossing, "raw"), System.nanoTime() + 5 * SECOND_NS)
                    .get(5, TimeUnit.SECONDS);
            assertTrue(split.tailOutputs(crossing).get(0).contentEquals(r.outputs().get(0)));
        }
        assertEquals(0, server.internalErrors(), "every bad frame was a typed rejection, none an internal error");
    }

    /** Mutations that keep the frame length honest (so the server can answer) most of the time. */
    private static byte[] mutate(byte[] seed, Random random, int i) {
        byte[] m = seed.clone();
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n; k++) {
            int region = random.nextInt(4);
            int at;
            if (region == 0) {
                at = random.nextInt(16); // header
            } else if (region == 1) {
                at = 16 + random.nextInt(64); // request body: timeout, segment, codec, count
            } else if (region == 2) {
                at = 80 + random.nextInt(40); // descriptor
            } else {
                at = random.nextInt(m.length); // anywhere, payload included
            }
            m[at] = random.nextInt(4) == 0 ? (byte) 0xff : (byte) random.nextInt();
        }
        if (random.nextInt(50) != 0) {
            // keep the length field honest in most frames, or the server (rightly) waits for the rest
            new UnsafeBuffer(m).putInt(0, m.length, FrameHeader.BYTE_ORDER);
        }
        if (random.nextInt(10) == 0) {
            m = Arrays.copyOf(m, random.nextInt(m.length));
            if (m.length >= 4) {
                new UnsafeBuffer(m).putInt(0, m.length, FrameHeader.BYTE_ORDER);
            }
        }
        if (m.length >= FrameHeader.HEADER_LENGTH) {
            new UnsafeBuffer(m).putLong(FrameHeader.REQUEST_ID_OFFSET, 1000L + i, FrameHeader.BYTE_ORDER);
        }
        return m;
    }
}
