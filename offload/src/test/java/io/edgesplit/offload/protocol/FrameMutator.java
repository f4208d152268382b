package io.edgesplit.offload.protocol;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded mutator in the spirit of libFuzzer's: bit flips, byte overwrites with interesting
 * values, length-field lies, truncation, extension, splices of two frames and runs of random bytes.
 */
final class FrameMutator {

    private static final int[] INTERESTING_INTS = {0, 1, -1, 7, 8, 15, 16, 17, 40, 79, 80, 255, 256, 4095, 4096,
        65535, 65536, 1 << 20, 16 << 20, (16 << 20) + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 7};

    private final Random random;

    FrameMutator(Random random) {
        this.random = random;
    }

    byte[] mutate(byte[] frame, byte[] other) {
        byte[] out = frame.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            out = mutateOnce(out, other);
        }
        return out;
    }

    private byte[] mutateOnce(byte[] in, byte[] other) {
        if (in.length == 0) {
            return randomBytes(1 + random.nextInt(64));
        }
        switch (random.nextInt(9)) {
            case 0: { // flip one bit
                int i = random.nextInt(in.length);
                in[i] ^= (byte) (1 << random.nextInt(8));
                return in;
            }
            case 1: { // random byte
                in[random.nextInt(in.length)] = (byte) random.nextInt();
                return in;
            }
            case 2: { // interesting int at an aligned-ish offset (length fields, counts, dims)
                int at = random.nextInt(Math.max(1, in.length - 3));
                putInt(in, at, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
                return in;
            }
            case 3: { // lie in the frame length field
                if (in.length >= 4) {
                    putInt(in, 0, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
                }
                return in;
            }
            case 4: // truncate
                return Arrays.copyOf(in, random.nextInt(in.length));
            case 5: { // extend with garbage
                byte[] out = Arrays.copyOf(in, in.length + 1 + random.nextInt(32));
                for (int i = in.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt();
                }
                return out;
            }
            case 6: { // splice: head of this frame, tail of another
                int cut = random.nextInt(in.length);
                int from = random.nextInt(other.length);
                byte[] out = Arrays.copyOf(in, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            case 7: { // interesting u16 (counts, lengths, type codes in the descriptors)
                int at = random.nextInt(Math.max(1, in.length - 1));
                int v = random.nextBoolean() ? random.nextInt(20) : 0xffff;
                in[at] = (byte) v;
                if (at + 1 < in.length) {
                    in[at + 1] = (byte) (v >>> 8);
                }
                return in;
            }
            default: // pure noise
                return randomBytes(random.nextInt(256));
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int k = 0; k < 4 && at + k < b.length; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }
}
