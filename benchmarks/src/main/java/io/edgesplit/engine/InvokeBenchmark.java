package io.edgesplit.engine;

import io.edgesplit.bench.BenchmarkData;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one TensorFlow Lite Invoke through an EdgeSplit {@link Session}, per shared model, at
 * 1 and 2 threads. Sample mode, so JMH reports the median (p0.50) and tail percentiles.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar InvokeBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InvokeBenchmark {

    @Param({
        "mobilenet_v1_0.25_128_quant.tflite",
        "mobilenet_v1_0.5_160_quant.tflite",
        "mobilenet_v1_0.75_192_quant.tflite",
        "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
        "mobilenet_v1_0.25_224_float.tflite",
        "mobilenet_v1_0.25_224_quant.tflite",
        "mobilenet_v2_1.0_224_quant.tflite"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private CompiledModel compiled;
    private Session session;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        EngineOptions options = EngineOptions.builder().threads(threads).build();
        compiled = TfLiteEngine.get().load(BenchmarkData.model(model), options);
        session = compiled.newSession();
        Tensor input = session.input(0);
        byte[] noise = new byte[input.byteSize()];
        new Random(42).nextBytes(noise);
        if (input.dataType() == io.edgesplit.tensor.DataType.FP32) {
            for (int i = 0; i < input.elementCount(); i++) {
                input.putFloat(i, (noise[i] & 0xff) / 127.5f - 1f);
            }
        } else {
            input.putBytes(noise);
        }
    }

    @Benchmark
    public int invoke() {
        session.run();
        return session.output(0).data().getByte(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        compiled.close();
    }
}
