package io.edgesplit.offload.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * 100,000+ random and mutated frames through the receiver's checks: each is either accepted (and
 * then every accessor stays in bounds) or rejected with a {@link FrameException}; nothing else
 * escapes and nothing is allocated from a length the frame claims. Seeded, so a failure replays.
 */
class FrameFuzzTest {

    private static final long SEED = Long.getLong("edgesplit.fuzz.seed", 0x5EED_0FF1L);
    private static final int ITERATIONS = Integer.getInteger("edgesplit.fuzz.iterations", 120_000);

    @Test
    void randomAndMutatedFramesOnlyEverCauseTypedRejections() {
        Random random = new Random(SEED);
        RandomFrames frames = new RandomFrames(random);
        FrameMutator mutator = new FrameMutator(random);
        FrameReader reader = new FrameReader(FrameLimits.of(1 << 20, 8));
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 17));
        Map<FrameException.Rejection, Integer> rejections = new EnumMap<>(FrameException.Rejection.class);
        int accepted = 0;
        byte[] previous = frames.any();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] seed = frames.any();
            byte[] input = i % 10 == 0 ? seed : mutator.mutate(seed, previous);
            previous = seed;
            int offset = random.nextInt(8);
            buffer.setMemory(0, buffer.capacity(), (byte) 0x5a);
            buffer.putBytes(offset, input);
            try {
                if (input.length >= FrameHeader.PREFIX_LENGTH) {
                    int length = FrameHeader.checkPrefix(buffer, offset, reader.limits());
                    if (length > input.length) {
                        continue; // a receiver would wait for more bytes; a slow-drip timeout closes it
                    }
                }
                Frame frame = reader.read(buffer, offset, input.length);
                touchEveryField(frame);
                accepted++;
            } catch (FrameException e) {
                rejections.merge(e.rejection(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("iteration " + i + " (seed " + SEED + "): " + t + " on frame of " + input.length + " bytes", t);
            }
        }
        assertTrue(accepted > ITERATIONS / 20, "accepted " + accepted + ": the generator must produce valid frames");
        assertTrue(rejections.getOrDefault(FrameException.Rejection.MALFORMED, 0) > 1000, rejections.toString());
        assertTrue(rejections.getOrDefault(FrameException.Rejection.FRAME_TOO_LONG, 0) > 100, rejections.toString());
        assertTrue(rejections.getOrDefault(FrameException.Rejection.BAD_MAGIC, 0) > 100, rejections.toString());
    }

    @Test
    void everyGeneratedFrameIsValidUnmutated() throws FrameException {
        Random random = new Random(SEED);
        RandomFrames frames = new RandomFrames(random);
        FrameReader reader = new FrameReader(FrameLimits.DEFAULT);
        for (int i = 0; i < 2000; i++) {
            byte[] f = frames.any();
            Frame frame = reader.read(new UnsafeBuffer(f), 0, f.length);
            assertEquals(f.length, frame.frameLength());
        }
    }

    /** Reads every accessor of an accepted frame: all must stay within the frame. */
    private static void touchEveryField(Frame frame) {
        frame.requestId();
        if (frame instanceof InferRequestFrame) {
            InferRequestFrame r = (InferRequestFrame) frame;
            r.timeoutNs();
            r.codecName();
            r.segment(new byte[32]);
            touch(r.tensors());
        } else if (frame instanceof InferResponseFrame) {
            InferResponseFrame r = (InferResponseFrame) frame;
            r.queueNs();
            r.computeNs();
            r.codecName();
            touch(r.tensors());
        } else if (frame instanceof ErrorFrame) {
            ((ErrorFrame) frame).message();
            assertTrue(((ErrorFrame) frame).status() != null);
        } else if (frame instanceof HelloFrame) {
            ((HelloFrame) frame).token();
            ((HelloFrame) frame).clientName();
        }
    }

    private static void touch(TensorSection t) {
        for (int i = 0; i < t.count(); i++) {
            t.shapeAndType(i);
            int end = t.payloadOffset(i) + t.payloadLength(i);
            assertTrue(end >= t.payloadOffset(i));
        }
    }
}
