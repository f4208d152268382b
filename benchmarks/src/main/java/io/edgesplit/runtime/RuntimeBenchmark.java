package io.edgesplit.runtime;

import io.edgesplit.common.Sha256;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the runtime costs on top of TensorFlow Lite, side by side in one run on the synthetic
 * slimmable package (widths 0.5 and 1.0):
 * <ul>
 *   <li>{@code switchWarm} vs {@code switchByLoading}: getting a session ready for the other width,
 *       from the runtime's warm sessions vs by loading that width's model on demand;</li>
 *   <li>{@code runtimeInfer} vs {@code bareInvoke}: one local inference through
 *       {@link EdgeRuntime#infer} (plan, copy in, run, copy out, statistics) vs a bare session that
 *       copies the input in and the output out.</li>
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RuntimeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuntimeBenchmark {

    private Path dir;
    private WarmSessions warm;
    private EdgeRuntime runtime;
    private Session bare;
    private Tensor input;
    private Tensor output;
    private int flip;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("runtime-bench");
        List<ModelGraph> family = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
        PackageBuilder b = new PackageBuilder("synthetic").maxCrossing(1);
        b.addVariant(VariantSource.of(family.get(1), "w0.50", Sha256.of(family.get(1).toBytes()), 0.5, 0.60));
        b.addVariant(VariantSource.of(family.get(3), "w1.00", Sha256.of(family.get(3).toBytes()), 1.0, 0.75));
        ModelPackage pkg = b.write(dir.resolve("pkg"), false);
        warm = new WarmSessions(pkg, TfLiteEngine.get(), EngineOptions.defaults());
        runtime = EdgeRuntime.builder(pkg, DeviceProfiles.catalog("pixel-4")).build();
        input = Tensor.allocate(pkg.variants().get(0).inputs().get(0).spec());
        Random r = new Random(1);
        for (int i = 0; i < input.elementCount(); i++) {
            input.putFloat(i, r.nextFloat() * 2 - 1);
        }
        String chosen = runtime.infer(input).plan().variantId();
        // The same interpreter the runtime uses: two interpreters of one model run alternately would
        // each evict the other's packed weights from the cache and measure that instead.
        bare = runtime.warmSessions().session(chosen);
        output = Tensor.allocate(bare.output(0).spec());
    }

    @Benchmark
    public int switchWarm() {
        flip ^= 1;
        return warm.session(flip == 0 ? "w0.50" : "w1.00").input(0).byteSize();
    }

    @Benchmark
    public int switchByLoading() throws IOException {
        flip ^= 1;
        try (Session s = warm.loadOnDemand(flip == 0 ? "w0.50" : "w1.00")) {
            return s.input(0).byteSize();
        }
    }

    @Benchmark
    public float bareInvoke() {
        bare.setInput(0, input);
        bare.run();
        output.copyFrom(bare.output(0));
        return output.getFloat(0);
    }

    @Benchmark
    public float runtimeInfer() {
        return runtime.infer(input).output(0).getFloat(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        runtime.close();
        warm.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
