package io.edgesplit.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Time to load and validate one profile from a file with {@link DeviceProfiles#load(Path)}: read,
 * UTF-8 decode, YAML compose, every check, build. The target is under 50 ms. {@code segments} adds
 * that many measured segment latencies, as a profiler would after profiling many packages. Sample
 * mode, so JMH reports the median (p0.50) and tail percentiles. Runs in under a minute:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProfileLoadBenchmark</pre>
 *
 * {@code file} loads an existing profile instead, e.g. one {@code edgesplit profile} wrote with
 * hundreds of measurements and cost models:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProfileLoadBenchmark -p file=/tmp/pixel.yaml -p segments=0</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProfileLoadBenchmark {

    @Param({"pixel-4"})
    public String catalogId;

    @Param({"0", "200"})
    public int segments;

    /** An existing profile to load instead of a generated one; empty for none. */
    @Param({""})
    public String file;

    private Path path;
    private boolean generated;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!file.isEmpty()) {
            path = Path.of(file);
            DeviceProfiles.load(path); // fail the trial early on an invalid file
            return;
        }
        DeviceProfile.Builder b = DeviceProfiles.catalog(catalogId).toBuilder();
        for (int i = 0; i < segments; i++) {
            String sha = String.format("%064x", i * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
            b.putSegmentLatency(new SegmentLatency(sha, 1 + i % 4, Delegate.XNNPACK, 10 + i % 7, 12 + i % 7, 50));
        }
        path = Files.createTempFile("profile-" + catalogId, ".yaml");
        generated = true;
        // The catalog's own text (with its source comments) when there are no segments; else the writer's output.
        Files.writeString(path, segments == 0 ? DeviceProfiles.catalogYaml(catalogId) : ProfileWriter.toYaml(b.build()));
    }

    @Benchmark
    public DeviceProfile loadAndValidate() throws ProfileException {
        return DeviceProfiles.load(path);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (generated) {
            Files.deleteIfExists(path);
        }
    }
}
