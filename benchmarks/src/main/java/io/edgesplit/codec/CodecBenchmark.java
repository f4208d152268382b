package io.edgesplit.codec;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode time of every {@link TensorCodec} on two typical crossing tensors: an FP32
 * [1,28,28,144] activation (MobileNetV2-like expansion layer) and a quantized UINT8 [1,56,56,24] one
 * (which fp16/int8/int8c pass through). The data is deterministic and ReLU6-like: about 60% exact
 * zeros, the rest spread over (0, 6]. Encoding runs without statistics, as on the device's hot path.
 * Each fork prints the payload size and compression ratio of its codec and tensor.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc</pre>
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per operation. Half-second
 * iterations keep the 32 forks within two minutes on two cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class CodecBenchmark {

    @Param({"raw", "fp16", "int8", "int8c", "raw+lz4", "fp16+lz4", "int8+lz4", "int8c+lz4"})
    public String codec;

    @Param({"FP32_1x28x28x144", "UINT8_1x56x56x24"})
    public String tensor;

    private static final float RELU6_SCALE = 6f / 255;

    private TensorCodec encoder;
    private TensorCodec decoder;
    private Tensor source;
    private Tensor decoded;
    private UnsafeBuffer wire;
    private int encodedLength;

    @Setup(Level.Trial)
    public void setUp() throws CodecException {
        source = tensor.startsWith("FP32")
                ? reluLike(TensorSpec.of("activation", DataType.FP32, 1, 28, 28, 144))
                : reluLike(new TensorSpec("activation", new int[] {1, 56, 56, 24}, DataType.UINT8,
                        Quantization.perTensor(RELU6_SCALE, 0)));
        encoder = Codecs.create(codec);
        decoder = Codecs.create(codec);
        int max = encoder.maxEncodedLength(source.spec());
        wire = new UnsafeBuffer(ByteBuffer.allocateDirect(max).order(ByteOrder.LITTLE_ENDIAN));
        decoded = Tensor.allocate(source.spec());
        CodecStats stats = new CodecStats();
        encodedLength = encoder.encode(source, wire, 0, stats);
        decoder.decode(wire, 0, encodedLength, decoded);
        System.out.printf(Locale.ROOT, "%n%s on %s: %d -> %d bytes, ratio %.2f, max error %.3g%s%n", codec,
                source.spec().shapeAndType(), stats.rawBytes(), stats.encodedBytes(), stats.ratio(),
                stats.maxAbsError(), stats.passthrough() ? ", passthrough" : "");
    }

    /** ReLU6-like values, deterministic: a Gaussian shifted so that about 60% of elements are 0. */
    private static Tensor reluLike(TensorSpec spec) {
        Tensor t = Tensor.allocate(spec);
        Random random = new Random(20240601L);
        for (int i = 0; i < t.elementCount(); i++) {
            float v = (float) Math.max(0.0, Math.min(6.0, 1.5 * (random.nextGaussian() - 0.25)));
            if (spec.dataType() == DataType.FP32) {
                t.putFloat(i, v);
            } else {
                t.putUint8(i, Math.round(v / RELU6_SCALE));
            }
        }
        return t;
    }

    @Benchmark
    public int encode() {
        return encoder.encode(source, wire, 0, null);
    }

    @Benchmark
    public Tensor decode() throws CodecException {
        decoder.decode(wire, 0, encodedLength, decoded);
        return decoded;
    }
}
