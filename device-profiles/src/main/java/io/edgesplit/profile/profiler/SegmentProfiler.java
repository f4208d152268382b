package io.edgesplit.profile.profiler;

import io.edgesplit.common.Percentiles;
import io.edgesplit.common.ProgressListener;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.costmodel.HeldOutEvaluation;
import io.edgesplit.profile.costmodel.OperatorCostModel;
import io.edgesplit.profile.costmodel.SegmentFeatures;
import io.edgesplit.profile.internal.Backports;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures every distinct segment of a model package on this device, the way TensorFlow Lite's
 * {@code benchmark_model} measures a model, and fits a cost model per thread count from the results.
 *
 * <p>For each thread count and each distinct segment (a package stores a segment shared by several
 * split points once, so it is measured once): load it with the engine and create a session (init),
 * fill the inputs deterministically, time the first invoke, then the warm-up invokes, then the steady
 * invokes, reading the resident memory before init, after init and after the last run, and how long
 * the process waited for a CPU during the steady invokes ({@link CpuWaitProbe}: the sign of a
 * disturbed measurement on a shared machine).
 *
 * <h2>How many runs</h2>
 * A fixed count would spend most of the time on the largest segments and measure the tiny ones too
 * few times to see their noise. So the counts adapt, per segment:
 * <ul>
 *   <li>warm-up: at least {@code warmupRuns} invokes after the first one, continuing while their total
 *       time is under {@code warmupBudgetMillis} (tiny segments get several, large ones one);</li>
 *   <li>steady: at least {@code minRuns}, continuing until their total time reaches
 *       {@code segmentBudgetMillis}, and never more than {@code maxRuns}.</li>
 * </ul>
 * A segment of latency L therefore costs about {@code init + L + max(warmupRuns * L, warmup budget) +
 * max(minRuns * L, segment budget)}. With the defaults (1 warm-up run / 20 ms, 5 to 50 runs within
 * 200 ms) every cut of MobileNetV2 (131 distinct segments, the whole model ~115 ms on one x86-64 core)
 * takes about a minute per thread count: the budget the profiler's target of 3 minutes for two thread
 * counts was set against.
 *
 * <h2>Second opinions</h2>
 * On a shared machine another process can take the cores for a few seconds and inflate every run of
 * the segments measured meanwhile. Contention only ever adds time, so after the first pass over a
 * thread count the profiler fits the cost model, re-measures the segments whose median the fit misses
 * by more than {@link #OUTLIER_PERCENT} percent and by more than {@link #OUTLIER_FACTOR} times the
 * median miss (at most {@link #MAX_REMEASURED_FRACTION} of the segments, the worst first), and keeps
 * the faster of the two measurements. {@link ProfilingReport#remeasured()} lists them. Turn it off with
 * {@link Builder#remeasureOutliers(boolean)}.
 *
 * <p>The timer is the injected {@code nanoClock} ({@link System#nanoTime()} by default), read
 * immediately around each call, so tests can drive the run counts deterministically. A run the clock
 * shows as 0 ns counts as 1 ns. Thread-safe if the engine, clock, listener and memory probe are;
 * profiling two packages at once on one device would of course disturb both measurements.
 */
public final class SegmentProfiler {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentProfiler.class);

    /** Default warm-up invokes after the first one. */
    public static final int DEFAULT_WARMUP_RUNS = 1;
    /** Default time warm-up continues for, beyond the minimum runs. */
    public static final double DEFAULT_WARMUP_BUDGET_MILLIS = 20;
    /** Default minimum steady invokes. */
    public static final int DEFAULT_MIN_RUNS = 5;
    /** Default maximum steady invokes. */
    public static final int DEFAULT_MAX_RUNS = 50;
    /** Default time the steady invokes continue for, beyond the minimum runs. */
    public static final double DEFAULT_SEGMENT_BUDGET_MILLIS = 200;
    /** A segment the first fit misses by more than this many percent may be re-measured. */
    public static final double OUTLIER_PERCENT = 10;
    /** ... and by more than this many times the median miss. */
    public static final double OUTLIER_FACTOR = 3;
    /** At most this fraction of the measured segments (and at least 1) is re-measured. */
    public static final double MAX_REMEASURED_FRACTION = 0.1;

    private final List<Integer> threads;
    private final Delegate delegate;
    private final int warmupRuns;
    private final long warmupBudgetNanos;
    private final int minRuns;
    private final int maxRuns;
    private final long segmentBudgetNanos;
    private final LongSupplier nanoClock;
    private final ProgressListener progress;
    private final MemoryProbe memory;
    private final CpuWaitProbe cpuWait;
    private final InferenceEngine engine;
    private final Predicate<String> measureSegment;
    private final boolean fitCostModels;
    private final boolean remeasureOutliers;

    private SegmentProfiler(Builder b) {
        this.threads = Backports.listCopy(b.threads);
        this.delegate = b.delegate;
        this.warmupRuns = b.warmupRuns;
        this.warmupBudgetNanos = Math.round(b.warmupBudgetMillis * 1e6);
        this.minRuns = b.minRuns;
        this.maxRuns = b.maxRuns;
        this.segmentBudgetNanos = Math.round(b.segmentBudgetMillis * 1e6);
        this.nanoClock = b.nanoClock;
        this.progress = b.progress;
        this.memory = b.memory;
        this.cpuWait = b.cpuWait;
        this.engine = b.engine;
        this.measureSegment = b.measureSegment;
        this.fitCostModels = b.fitCostModels;
        this.remeasureOutliers = b.remeasureOutliers;
    }

    /** A builder with the defaults: 1 thread, XNNPACK, the run counts above, the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** Thread counts measured, in order. */
    public List<Integer> threads() {
        return threads;
    }

    /** Delegate measured. */
    public Delegate delegate() {
        return delegate;
    }

    /** Minimum warm-up invokes after the first. */
    public int warmupRuns() {
        return warmupRuns;
    }

    /** Warm-up time budget. */
    public double warmupBudgetMillis() {
        return warmupBudgetNanos / 1e6;
    }

    /** Minimum steady invokes. */
    public int minRuns() {
        return minRuns;
    }

    /** Maximum steady invokes. */
    public int maxRuns() {
        return maxRuns;
    }

    /** Steady time budget per segment. */
    public double segmentBudgetMillis() {
        return segmentBudgetNanos / 1e6;
    }

    /**
     * Profiles every distinct segment the segment filter accepts, at every thread count, and fits a
     * cost model per thread count to the measured segments.
     *
     * @throws IOException when a segment cannot be read or loaded, naming it and a split point using it
     */
    public ProfilingReport profile(ModelPackage pkg) throws IOException {
        long start = nanoClock.getAsLong();
        Map<String, String> usage = usage(pkg);
        List<String> all = new ArrayList<>(pkg.manifest().segments().keySet());
        Map<String, SegmentFeatures> features = new LinkedHashMap<>();
        int read = 0;
        for (String sha : all) {
            Path file = pkg.segmentPath(sha);
            ModelGraph graph = ModelGraph.read(file);
            features.put(sha, SegmentFeatures.of(graph));
            progress.onProgress("reading segments", ++read, all.size());
        }
        List<String> measured = new ArrayList<>();
        for (String sha : all) {
            if (measureSegment.test(sha)) {
                measured.add(sha);
            }
        }
        List<SegmentMeasurement> measurements = new ArrayList<>();
        List<ProfilingReport.Remeasurement> remeasured = new ArrayList<>();
        long total = (long) measured.size() * threads.size();
        long done = 0;
        for (int t : threads) {
            EngineOptions options = EngineOptions.builder().threads(t).xnnpack(delegate == Delegate.XNNPACK).build();
            Map<String, SegmentMeasurement> atT = new LinkedHashMap<>();
            for (String sha : measured) {
                SegmentMeasurement m = measure(pkg.segmentPath(sha), sha, usage.get(sha), features.get(sha), options);
                LOG.debug("segment {} ({}), {} threads: median {} ms over {} runs", sha, usage.get(sha), t,
                        m.medianMillis(), m.runs());
                atT.put(sha, m);
                progress.onProgress("profiling", ++done, total);
            }
            if (fitCostModels && remeasureOutliers) {
                List<String> outliers = outliers(atT, features, t);
                int redone = 0;
                for (String sha : outliers) {
                    SegmentMeasurement second = measure(pkg.segmentPath(sha), sha, usage.get(sha), features.get(sha),
                            options);
                    SegmentMeasurement first = atT.get(sha);
                    remeasured.add(new ProfilingReport.Remeasurement(sha, t, first.medianMillis(), second.medianMillis()));
                    if (second.medianMillis() < first.medianMillis()) {
                        atT.put(sha, second);
                    }
                    progress.onProgress("re-measuring outliers", ++redone, outliers.size());
                }
            }
            measurements.addAll(atT.values());
        }
        List<CostModelFit> fits = new ArrayList<>();
        if (fitCostModels) {
            for (int t : threads) {
                fit(pkg, features, measurements, t).ifPresent(fits::add);
            }
        }
        return new ProfilingReport(pkg.manifest().family(), threads, delegate, measurements, remeasured, features, fits,
                nanoClock.getAsLong() - start);
    }

    /** The segments a fit to all of {@code atT} misses worst, as described in the class comment. */
    private List<String> outliers(Map<String, SegmentMeasurement> atT, Map<String, SegmentFeatures> features, int t) {
        List<OperatorCostModel.Sample> samples = new ArrayList<>();
        for (SegmentMeasurement m : atT.values()) {
            samples.add(new OperatorCostModel.Sample(m.segmentSha256(), features.get(m.segmentSha256()), m.medianMillis()));
        }
        if (samples.size() < 4 || samples.stream().allMatch(s -> s.features().totalMacs() == 0)) {
            return Collections.emptyList();
        }
        OperatorCostModel model = OperatorCostModel.fit(samples, t, delegate);
        double[] misses = new double[samples.size()];
        for (int i = 0; i < misses.length; i++) {
            OperatorCostModel.Sample s = samples.get(i);
            misses[i] = Math.abs(model.predictMillis(s.features()) - s.medianMillis()) / s.medianMillis() * 100;
        }
        double[] sorted = misses.clone();
        Arrays.sort(sorted);
        double threshold = Math.max(OUTLIER_PERCENT, OUTLIER_FACTOR * sorted[sorted.length / 2]);
        List<Integer> worst = new ArrayList<>();
        for (int i = 0; i < misses.length; i++) {
            if (misses[i] > threshold) {
                worst.add(i);
            }
        }
        worst.sort((x, y) -> Double.compare(misses[y], misses[x]));
        int limit = Math.max(1, (int) (MAX_REMEASURED_FRACTION * samples.size()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < worst.size() && i < limit; i++) {
            out.add(samples.get(worst.get(i)).segmentSha256());
        }
        return out;
    }

    private SegmentMeasurement measure(Path file, String sha, String usedBy, SegmentFeatures features,
            EngineOptions options) throws IOException {
        OptionalLong rssBefore = memory.residentBytes();
        long initStart = nanoClock.getAsLong();
        CompiledModel model;
        try {
            model = engine.load(file, options);
        } catch (IOException e) {
            throw new IOException("segment " + sha + " (" + usedBy + "): " + e.getMessage(), e);
        }
        try (model; Session session = model.newSession()) {
            long initNanos = nanoClock.getAsLong() - initStart;
            OptionalLong rssInit = memory.residentBytes();
            InputFiller.fill(session);

            long first = timedRun(session);

            int warmups = 0;
            long warmupNanos = 0;
            while (warmups < warmupRuns || (warmupNanos < warmupBudgetNanos && warmups < maxRuns)) {
                warmupNanos += timedRun(session);
                warmups++;
            }

            long[] runs = new long[maxRuns];
            int n = 0;
            long steadyNanos = 0;
            OptionalLong waitBefore = cpuWait.runQueueWaitNanos();
            while (n < maxRuns && (n < minRuns || steadyNanos < segmentBudgetNanos)) {
                long d = timedRun(session);
                runs[n++] = d;
                steadyNanos += d;
            }
            OptionalLong waitAfter = cpuWait.runQueueWaitNanos();
            OptionalDouble waitPercent = waitBefore.isPresent() && waitAfter.isPresent()
                    ? OptionalDouble.of(Math.max(0, waitAfter.getAsLong() - waitBefore.getAsLong()) * 100.0 / steadyNanos)
                    : OptionalDouble.empty();
            OptionalLong rssAfter = memory.residentBytes();
            long[] sorted = Arrays.copyOf(runs, n);
            Arrays.sort(sorted);
            double median = (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
            double p95 = sorted[Percentiles.index(n, 95)] / 1e6;
            return new SegmentMeasurement(sha, options.threads(), delegate, features.totalMacs(),
                    (int) features.operatorCount(), initNanos / 1e6, first / 1e6, warmups,
                    warmups == 0 ? 0 : warmupNanos / 1e6 / warmups, n, median, p95, steadyNanos / 1e6 / n,
                    sorted[0] / 1e6, delta(rssBefore, rssInit), delta(rssBefore, rssAfter), waitPercent);
        } catch (RuntimeException e) {
            throw new IOException("segment " + sha + " (" + usedBy + "): " + e.getMessage(), e);
        }
    }

    private long timedRun(Session session) {
        long a = nanoClock.getAsLong();
        session.run();
        long b = nanoClock.getAsLong();
        return Math.max(1, b - a);
    }

    private static OptionalLong delta(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? OptionalLong.of(after.getAsLong() - before.getAsLong())
                : OptionalLong.empty();
    }

    private Optional<CostModelFit> fit(ModelPackage pkg, Map<String, SegmentFeatures> features,
            List<SegmentMeasurement> measurements, int t) {
        Map<String, OperatorCostModel.Sample> samples = new LinkedHashMap<>();
        boolean anyMacs = false;
        for (SegmentMeasurement m : measurements) {
            if (m.threads() == t) {
                samples.put(m.segmentSha256(), new OperatorCostModel.Sample(m.segmentSha256(),
                        features.get(m.segmentSha256()), m.medianMillis()));
                anyMacs |= m.macs() > 0;
            }
        }
        if (!anyMacs) {
            return Optional.empty();
        }
        OperatorCostModel all = OperatorCostModel.fit(new ArrayList<>(samples.values()), t, delegate);
        HeldOutEvaluation.Partition partition = HeldOutEvaluation.alternateCuts(pkg);
        boolean training = samples.keySet().stream().anyMatch(s -> partition.training().contains(s)
                && features.get(s).totalMacs() > 0);
        boolean heldOut = samples.keySet().stream().anyMatch(partition.heldOut()::contains);
        if (!training || !heldOut) {
            return Optional.of(new CostModelFit(all, Optional.empty()));
        }
        HeldOutEvaluation evaluation = HeldOutEvaluation.alternateCuts(pkg, samples, t, delegate);
        double percent = BigDecimal.valueOf(evaluation.medianAbsolutePercentError()).setScale(2, RoundingMode.HALF_UP)
                .doubleValue();
        OperatorCostModel withError = OperatorCostModel.of(all.coefficients().toBuilder().heldOutErrorPercent(percent)
                .build());
        return Optional.of(new CostModelFit(withError, Optional.of(evaluation)));
    }

    /** For messages: one split point that uses each segment, e.g. "head of w1.00/s012". */
    private static Map<String, String> usage(ModelPackage pkg) {
        Map<String, String> usage = new LinkedHashMap<>();
        for (Variant v : pkg.variants()) {
            for (SplitPoint s : v.splits()) {
                if (s.headSegment() != null) {
                    usage.putIfAbsent(s.headSegment(), "head of " + s.id());
                }
                if (s.tailSegment() != null) {
                    usage.putIfAbsent(s.tailSegment(), "tail of " + s.id());
                }
            }
        }
        return usage;
    }

    /** Builder for {@link SegmentProfiler}; each setter checks its value, {@link #build()} the combination. */
    public static final class Builder {
        private List<Integer> threads = Collections.singletonList(1);
        private Delegate delegate = Delegate.XNNPACK;
        private int warmupRuns = DEFAULT_WARMUP_RUNS;
        private double warmupBudgetMillis = DEFAULT_WARMUP_BUDGET_MILLIS;
        private int minRuns = DEFAULT_MIN_RUNS;
        private int maxRuns = DEFAULT_MAX_RUNS;
        private double segmentBudgetMillis = DEFAULT_SEGMENT_BUDGET_MILLIS;
        private LongSupplier nanoClock = System::nanoTime;
        private ProgressListener progress = ProgressListener.NONE;
        private MemoryProbe memory = MemoryProbe.procSelfStatus();
        private CpuWaitProbe cpuWait = CpuWaitProbe.procSelfTasks();
        private InferenceEngine engine;
        private Predicate<String> measureSegment = sha -> true;
        private boolean fitCostModels = true;
        private boolean remeasureOutliers = true;

        private Builder() {
        }

        /** Thread counts to measure, each 1 to 64, no repeats, at least one. Default [1]. */
        public Builder threads(List<Integer> threads) {
            Objects.requireNonNull(threads, "threads");
            if (threads.isEmpty()) {
                throw new IllegalArgumentException("threads: give at least one thread count");
            }
            for (int i = 0; i < threads.size(); i++) {
                int t = Objects.requireNonNull(threads.get(i), "threads");
                if (t < 1 || t > 64) {
                    throw new IllegalArgumentException("threads: must be between 1 and 64, was " + t);
                }
                if (threads.subList(0, i).contains(t)) {
                    throw new IllegalArgumentException("threads: " + t + " is listed twice in " + threads);
                }
            }
            this.threads = Backports.listCopy(threads);
            return this;
        }

        /**
         * {@link Delegate#XNNPACK} (default: TensorFlow Lite's XNNPACK delegate takes the operators it
         * supports) or {@link Delegate#NONE} (built-in kernels only); the engine runs no other.
         */
        public Builder delegate(Delegate delegate) {
            Objects.requireNonNull(delegate, "delegate");
            if (delegate != Delegate.XNNPACK && delegate != Delegate.NONE) {
                throw new IllegalArgumentException("delegate: the TensorFlow Lite engine runs none or xnnpack, was "
                        + delegate.yamlName());
            }
            this.delegate = delegate;
            return this;
        }

        /** Minimum warm-up invokes after the first, >= 0. Default 1. */
        public Builder warmupRuns(int runs) {
            if (runs < 0) {
                throw new IllegalArgumentException("warmupRuns: must be >= 0, was " + runs);
            }
            this.warmupRuns = runs;
            return this;
        }

        /** Warm-up continues while its runs took less than this, >= 0 ms. Default 20 ms. */
        public Builder warmupBudgetMillis(double millis) {
            if (!(millis >= 0) || Double.isInfinite(millis)) {
                throw new IllegalArgumentException("warmupBudgetMillis: must be >= 0, was " + millis);
            }
            this.warmupBudgetMillis = millis;
            return this;
        }

        /** Minimum timed invokes per segment, >= 1. Default 5. */
        public Builder minRuns(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("minRuns: must be >= 1, was " + runs);
            }
            this.minRuns = runs;
            return this;
        }

        /** Maximum timed invokes per segment, >= 1 and >= minRuns. Default 50. */
        public Builder maxRuns(int runs) {
            if (runs < 1 || runs > 1_000_000) {
                throw new IllegalArgumentException("maxRuns: must be between 1 and 1000000, was " + runs);
            }
            this.maxRuns = runs;
            return this;
        }

        /** Timed invokes continue, beyond minRuns, until they took this long, >= 0 ms. Default 200 ms. */
        public Builder segmentBudgetMillis(double millis) {
            if (!(millis >= 0) || Double.isInfinite(millis)) {
                throw new IllegalArgumentException("segmentBudgetMillis: must be >= 0, was " + millis);
            }
            this.segmentBudgetMillis = millis;
            return this;
        }

        /** The timer, in nanoseconds. Default {@link System#nanoTime()}. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** Receives "reading segments" and "profiling" progress. Default none. */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Reads resident memory. Default {@link MemoryProbe#procSelfStatus()}. */
        public Builder memoryProbe(MemoryProbe memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        /** Reads how long the process waited for CPUs. Default {@link CpuWaitProbe#procSelfTasks()}. */
        public Builder cpuWaitProbe(CpuWaitProbe cpuWait) {
            this.cpuWait = Objects.requireNonNull(cpuWait, "cpuWait");
            return this;
        }

        /** The engine that runs segments. Default {@link TfLiteEngine#get()}. */
        public Builder engine(InferenceEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Which segments (by sha256) to measure; the others are only read for their features.
         * Default all.
         */
        public Builder measureSegments(Predicate<String> filter) {
            this.measureSegment = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Whether to fit a cost model per thread count. Default true. */
        public Builder fitCostModels(boolean fit) {
            this.fitCostModels = fit;
            return this;
        }

        /**
         * Whether to re-measure the segments the first fit misses worst and keep the faster
         * measurement (see the class comment). Default true; has no effect without cost models.
         */
        public Builder remeasureOutliers(boolean remeasure) {
            this.remeasureOutliers = remeasure;
            return this;
        }

        /** @throws IllegalArgumentException when maxRuns is below minRuns */
        public SegmentProfiler build() {
            if (maxRuns < minRuns) {
                throw new IllegalArgumentException("maxRuns: must be >= minRuns " + minRuns + ", was " + maxRuns);
            }
            if (engine == null) {
                engine = TfLiteEngine.get();
            }
            return new SegmentProfiler(this);
        }
    }
}
