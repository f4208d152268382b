package io.edgesplit.codec;

import static io.edgesplit.codec.SyntheticTensors.direct;
import static io.edgesplit.codec.SyntheticTensors.fp32;
import static io.edgesplit.codec.SyntheticTensors.randomBytes;
import static io.edgesplit.codec.SyntheticTensors.reluLike;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesplit.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hot path allocates nothing after the first call for a spec, measured with HotSpot's per-thread
 * allocation counter (a JDK API, used in tests only).
 */
class CodecAllocationTest {

    private static final int CALLS = 25;
    /** lz4-java's pure-Java compressor allocates one 16 KiB hash table per call (int[4096] or short[8192]). */
    private static final long LZ4_HASH_TABLE_BYTES = 16 * 1024 + 16;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off in this JVM");
    }

    static Stream<String> allCodecs() {
        return Codecs.names().stream();
    }

    /** Bytes this thread allocated so far. */
    private static long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    private static long counterOverhead() {
        long a = allocated();
        long b = allocated();
        return b - a;
    }

    /**
     * Fewest bytes allocated by {@code CALLS} calls of {@code calls}, over three rounds: a real
     * per-call allocation shows in every round, while the JVM's own occasional work on this thread
     * (a JIT transition right after warm-up costs a few hundred bytes) does not repeat.
     */
    private static long fewestBytes(ThrowingRunnable calls) throws CodecException {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long overhead = counterOverhead();
            long before = allocated();
            calls.run();
            fewest = Math.min(fewest, allocated() - before - overhead);
        }
        return fewest;
    }

    private interface ThrowingRunnable {
        void run() throws CodecException;
    }

    @ParameterizedTest
    @MethodSource("allCodecs")
    void encodeAndDecodeAllocateNothingAfterTheFirstCall(String name) throws CodecException {
        Tensor[] tensors = {reluLike(fp32("fp32", 1, 28, 28, 144), 1),
            randomBytes(SyntheticTensors.uint8Quantized("uint8", 1, 56, 56, 24), 2)};
        for (Tensor src : tensors) {
            TensorCodec encoder = Codecs.create(name);
            TensorCodec decoder = Codecs.create(name);
            UnsafeBuffer wire = direct(encoder.maxEncodedLength(src.spec()));
            Tensor dst = Tensor.allocate(src.spec());
            CodecStats stats = new CodecStats();
            int length = 0;
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                length = encoder.encode(src, wire, 0, stats);
                decoder.decode(wire, 0, length, dst);
            }
            int payloadLength = length;

            long encodeBytes = fewestBytes(() -> {
                for (int i = 0; i < CALLS; i++) {
                    encoder.encode(src, wire, 0, stats);
                    encoder.encode(src, wire, 0, null);
                }
            });
            long decodeBytes = fewestBytes(() -> {
                for (int i = 0; i < CALLS; i++) {
                    decoder.decode(wire, 0, payloadLength, dst);
                }
            });

            String what = name + " on " + src.spec();
            assertEquals(0, decodeBytes, what + ": decode allocated " + decodeBytes + " bytes in " + CALLS + " calls");
            if (name.endsWith("+lz4")) {
                long perCall = encodeBytes / (2 * CALLS);
                assertTrue(perCall <= LZ4_HASH_TABLE_BYTES, what + ": encode allocated " + perCall
                        + " bytes per call, more than lz4-java's hash table");
            } else {
                assertEquals(0, encodeBytes, what + ": encode allocated " + encodeBytes + " bytes in " + 2 * CALLS
                        + " calls");
            }
        }
    }
}
