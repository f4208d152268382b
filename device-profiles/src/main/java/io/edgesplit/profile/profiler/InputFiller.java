package io.edgesplit.profile.profiler;

import io.edgesplit.engine.Session;
import io.edgesplit.tensor.Float16;
import io.edgesplit.tensor.Tensor;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;

/**
 * Fills a session's inputs with the same pseudo-random values every time, so that timings do not
 * depend on leftover memory and two runs of the profiler see the same data. Floating-point inputs get
 * values in [-1, 1) (random bits could be NaN or denormal, which some kernels run far slower); 8- and
 * 16-bit integers get random bits (the range of a quantized activation); wider integers get 0,
 * because they are usually indices or shapes that must stay in range.
 */
final class InputFiller {

    private static final long SEED = 0x5EED_EDCE_5917L;

    private InputFiller() {
    }

    static void fill(Session session) {
        for (int i = 0; i < session.inputCount(); i++) {
            fill(session.input(i), new SplittableRandom(SEED + i));
        }
    }

    static void fill(Tensor t, SplittableRandom rnd) {
        MutableDirectBuffer data = t.data();
        int n = t.elementCount();
        switch (t.dataType()) {
            case FP32:
                for (int e = 0; e < n; e++) {
                    data.putFloat(e * 4, (float) (rnd.nextDouble() * 2 - 1), ByteOrder.LITTLE_ENDIAN);
                }
                break;
            case FP64:
                for (int e = 0; e < n; e++) {
                    data.putDouble(e * 8, rnd.nextDouble() * 2 - 1, ByteOrder.LITTLE_ENDIAN);
                }
                break;
            case FP16:
                for (int e = 0; e < n; e++) {
                    data.putShort(e * 2, Float16.fromFloat((float) (rnd.nextDouble() * 2 - 1)), ByteOrder.LITTLE_ENDIAN);
                }
                break;
            case UINT8:
            case INT8:
            case UINT16:
            case INT16:
                for (int b = 0; b < t.byteSize(); b++) {
                    data.putByte(b, (byte) rnd.nextInt(256));
                }
                break;
            default:
                data.setMemory(0, t.byteSize(), (byte) 0);
        }
    }
}
