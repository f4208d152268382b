package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.protocol.ErrorFrame;
import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.HelloOkFrame;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.InferResponseFrame;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.offload.testing.RawConnection;
import io.edgesplit.offload.testing.TestPackages;
import io.edgesplit.offload.testing.TestPackages.LocalSplit;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * 100,000 mutated requests into a real server over real sockets, each answered before the next is
 * sent: the server answers only with well-formed frames (an error or outputs), closes the connection
 * on framing errors, never fails internally, and still serves a normal client afterwards. Lengths
 * stay honest here; lying lengths, slow drips and oversized frames have their own tests.
 * Seeded, so a failure replays.
 */
class ServerFuzzTest {

    private static final long SEED = Long.getLong("edgesplit.fuzz.seed", 0x5EED_5E4L);
    private static final int FRAMES = Integer.getInteger("edgesplit.fuzz.serverFrames", 100_000);

    @Test
    void oneHundredThousandMutatedFramesCauseOnlyTypedRejections() throws Exception {
        ModelPackage pkg = TestPackages.synthetic();
        SplitPoint smallest = null;
        for (SplitPoint s : pkg.variants().get(0).splits()) {
            if (!s.isFullLocal() && !s.isFullOffload() && (smallest == null || s.transferBytes() < smallest.transferBytes())) {
                smallest = s;
            }
        }
        try (LocalSplit split = new LocalSplit(pkg, smallest);
                EdgeServer server = EdgeServer.start(NativeServerTest.plain().frameReadTimeoutMs(200).build(), List.of(pkg))) {
            List<byte[]> seeds = seeds(split);
            Random random = new Random(SEED);
            List<String> problems = new ArrayList<>();
            long replies = 0;
            int connections = 0;
            RawConnection raw = null;
            for (int i = 0; i < FRAMES; i++) {
                if (raw == null) {
                    raw = new RawConnection(server.nativePort(), null);
                    raw.socket.setSoTimeout(5000);
                    raw.hello("");
                    if (!(raw.read() instanceof HelloOkFrame)) {
                        problems.add("no HELLO_OK");
                    }
                    connections++;
                }
                byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random, i);
                Frame reply;
                try {
                    raw.write(frame);
                    reply = raw.read(); // lockstep: every frame is answered or the connection is closed
                } catch (IOException e) {
                    reply = null;
                }
                if (reply == null) {
                    raw.close();
                    raw = null;
                    continue;
                }
                replies++;
                if (reply instanceof ErrorFrame) {
                    if (((ErrorFrame) reply).status() == io.edgesplit.offload.protocol.StatusCode.PROTOCOL_ERROR) {
                        raw.close();
                        raw = null;
                    }
                } else if (!(reply instanceof InferResponseFrame)) {
                    problems.add("frame " + i + ": unexpected reply " + reply.type());
                }
            }
            if (raw != null) {
                raw.close();
            }
            assertEquals(List.of(), problems);
            assertEquals(0, server.internalErrors(), "every bad frame was a typed rejection");
            assertTrue(replies > FRAMES * 9L / 10, replies + " replies over " + connections + " connections");
            try (NativeOffloadClient client = NativeServerTest.client(server.nativePort(), 1)) {
                List<Tensor> crossing = split.crossing(99);
                OffloadResult r = client.submit(split.request(crossing, "raw"), System.nanoTime() + 10_000_000_000L)
                        .get(10, TimeUnit.SECONDS);
                assertTrue(split.tailOutputs(crossing).get(0).contentEquals(r.outputs().get(0)));
            }
        }
    }

    private static List<byte[]> seeds(LocalSplit split) {
        List<byte[]> seeds = new ArrayList<>();
        for (String codec : List.of("raw", "int8", "fp16+lz4")) {
            List<Tensor> crossing = split.crossing(seeds.size());
            io.edgesplit.codec.TensorCodec c = io.edgesplit.codec.Codecs.create(codec);
            UnsafeBuffer b = new UnsafeBuffer(new byte[1 << 20]);
            InferRequestFrame f = new InferRequestFrame().wrapForEncode(b, 0, b.capacity());
            f.requestId(1).timeoutNs(2_000_000_000L).segment(SegmentId.fromHex(split.split.tailSegment())).codecName(codec)
                    .tensorCount(crossing.size());
            for (int i = 0; i < crossing.size(); i++) {
                Tensor t = crossing.get(i);
                int at = f.beginTensor(i, t.dataType(), t.shape());
                f.endTensor(i, c.encode(t, f.buffer(), at, null));
            }
            seeds.add(Arrays.copyOf(b.byteArray(), f.finish()));
        }
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random random, int i) {
        byte[] m = seed.clone();
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) {
            int region = random.nextInt(4);
            int at = region == 0 ? random.nextInt(16) : region == 1 ? 16 + random.nextInt(64)
                    : region == 2 ? 80 + random.nextInt(Math.min(80, m.length - 80)) : random.nextInt(m.length);
            m[at] = random.nextInt(4) == 0 ? (byte) 0xff : (byte) random.nextInt();
        }
        if (random.nextInt(20) == 0) {
            m = Arrays.copyOf(m, FrameHeader.PREFIX_LENGTH + random.nextInt(m.length - FrameHeader.PREFIX_LENGTH));
        }
        // the length stays honest: lying lengths (the server waits, then closes) have their own tests
        new UnsafeBuffer(m).putInt(0, m.length, FrameHeader.BYTE_ORDER);
        if (m.length >= FrameHeader.HEADER_LENGTH) {
            new UnsafeBuffer(m).putLong(FrameHeader.REQUEST_ID_OFFSET, 1000L + i, FrameHeader.BYTE_ORDER);
        }
        return m;
    }
}
