package io.edgesplit.router;

import io.edgesplit.bench.BenchmarkData;
import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.PackageManifest;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.router.estimate.EstimatorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Time and allocation of one {@link Planner#plan} call over the MobileNetV2 package: every cut (67,
 * 66 remote) x 4 variants x 3 targets (the device, an edge server over wifi, a cloud GPU over lte)
 * x 3 codecs (raw, fp16, int8): 4 x (1 + 2 x 66 x 3) = 1,588 plans per call.
 *
 * <p>The package has one width (1.0). The other three (0.75, 0.5, 0.35) are copies of its split
 * points with head and tail MACs scaled by width^2 (a width-w MobileNet has about w^2 of the MACs)
 * and the published top-1 of MobileNetV2 at that width (Sandler et al., 2018: 71.8, 69.8, 65.4,
 * 60.3%); their crossing tensors are kept as they are, which changes no work the planner does.
 * The cost table uses the profiles' MAC-throughput estimate (no measured latencies).
 *
 * <p>{@code conditions}: {@code snapshot} plans from an immutable {@link Estimates};
 * {@code live} from an {@link EstimatorSet} (synchronized reads, the runtime's path). {@code budgets}:
 * {@code none}, or a 100 ms deadline with a 150 mJ energy budget. Run with allocation counts:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PlannerBenchmark -prof gc
 * </pre>
 *
 * The package is split from {@code ../shared/data/models/mobilenet_v2_1.0_224_quant.tflite} into a
 * temporary directory (about 226 MiB, 3 s) and deleted afterwards; pass
 * {@code -Dedgesplit.plannerPackage=DIR} (e.g. the output of {@code edgesplit split}) to reuse one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerBenchmark {

    /** Derived widths and their published top-1 (Sandler et al., MobileNetV2, Table 6 / TF-Slim models). */
    static final double[][] DERIVED = {{0.75, 0.698}, {0.5, 0.654}, {0.35, 0.603}};

    @Param({"snapshot", "live"})
    public String conditions;

    @Param({"none", "deadline+energy"})
    public String budgets;

    private CostTable table;
    private LinkConditions link;
    private Budgets plannerBudgets;
    private final Planner planner = new Planner();
    private final PlanOutcome out = new PlanOutcome();
    private int previous = -1;
    private Path tempDir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ModelPackage pkg = packageOf();
        PackageManifest m = widen(pkg.manifest());
        DeviceProfile phone = DeviceProfiles.catalog("pixel-4");
        table = new CostTableBuilder(m, phone)
                .addTarget(Target.edge("x86-edge-server", DeviceProfiles.catalog("x86-edge-server"), "wifi"))
                .addTarget(Target.cloud("cloud-gpu-server", DeviceProfiles.catalog("cloud-gpu-server"), "lte"))
                .codecs(List.of("raw", "fp16", "int8")).deviceThreads(4).serverThreads(8).build();
        if (table.size() != 4 * (1 + 2 * 66 * 3)) {
            throw new IllegalStateException("expected 1588 plans, the table has " + table.size());
        }
        Estimates snapshot = Estimates.builder(3).link(1, 20e6, 50e6, 10).link(2, 5.9e6, 5e6, 60)
                .radioIdleMillis(200).requestIntervalMillis(500).build();
        if (conditions.equals("snapshot")) {
            link = snapshot;
        } else {
            long[] now = {1_000_000_000L};
            EstimatorSet live = new EstimatorSet(table, () -> now[0]);
            live.onRequest();
            live.onUplink(1, 100_000, 40_000_000);
            live.onDownlink(1, 10_000, 2_000_000);
            live.onRtt(1, 12);
            live.onRequest();
            link = live;
        }
        plannerBudgets = budgets.equals("none") ? Budgets.UNLIMITED
                : Budgets.builder().deadlineMillis(100, true).energyMillijoules(150, true).build();
    }

    private ModelPackage packageOf() throws IOException {
        String given = System.getProperty("edgesplit.plannerPackage");
        if (given != null) {
            return ModelPackage.load(Paths.get(given));
        }
        Path model = BenchmarkData.model("mobilenet_v2_1.0_224_quant.tflite");
        tempDir = Files.createTempDirectory("planner-bench");
        PackageBuilder b = new PackageBuilder("mobilenet_v2").codecs(List.of("raw", "fp16", "int8"));
        b.addVariant(VariantSource.of(ModelGraph.read(model), model.getFileName().toString(), Sha256.of(model), 1.0,
                0.718));
        return b.write(tempDir.resolve("pkg"), false);
    }

    /** The package's variant plus three copies with MACs scaled by width^2 (see the class comment). */
    static PackageManifest widen(PackageManifest m) {
        Variant v = m.variants().get(0);
        List<Variant> variants = new ArrayList<>(m.variants());
        for (double[] d : DERIVED) {
            double w = d[0];
            double f = w * w;
            String id = String.format(Locale.ROOT, "w%.2f", w);
            List<SplitPoint> splits = new ArrayList<>();
            for (SplitPoint s : v.splits()) {
                splits.add(new SplitPoint(id + s.id().substring(s.id().indexOf('/')), s.headOperators(),
                        s.headOperatorCount(), s.tailOperatorCount(), s.crossing(), Math.round(s.headMacs() * f),
                        Math.round(s.tailMacs() * f), Math.round(s.headParameters() * f),
                        Math.round(s.tailParameters() * f), s.headSegment(), s.tailSegment()));
            }
            variants.add(new Variant(id, w, d[1], true, null, v.sourceFile(), v.sourceSha256(), v.inputs(), v.outputs(),
                    v.operatorCount(), Math.round(v.macs() * f), Math.round(v.parameters() * f), splits));
        }
        return new PackageManifest(m.family(), m.createdBy(), m.maxCrossing(), m.codecs(),
                new ArrayList<>(m.segments().values()), variants);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    /** One planning decision with hysteresis against the previous choice, as a runtime makes per inference. */
    @Benchmark
    public int plan() {
        previous = planner.plan(table, link, plannerBudgets, previous, out).entry();
        return previous;
    }
}
