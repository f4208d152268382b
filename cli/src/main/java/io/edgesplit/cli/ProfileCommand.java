package io.edgesplit.cli;

import io.edgesplit.engine.tflite.TfLiteNative;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.OperatorCost;
import io.edgesplit.profile.ProfileWriter;
import io.edgesplit.profile.Units;
import io.edgesplit.profile.costmodel.HeldOutEvaluation;
import io.edgesplit.profile.probe.HardwareProbe;
import io.edgesplit.profile.profiler.CostModelFit;
import io.edgesplit.profile.profiler.ProfilingReport;
import io.edgesplit.profile.profiler.SegmentMeasurement;
import io.edgesplit.profile.profiler.SegmentProfiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit profile [--package DIR] --out FILE.yaml}: measures every segment of a model package
 * on this machine at each thread count, fits the per-operator cost model, and writes (or updates) a
 * device profile; reports in the spirit of TensorFlow Lite's {@code benchmark_model}.
 */
@Command(name = "profile", description = {
    "Measure every segment of a model package on this machine (init, first inference, warm-up, steady "
            + "median/p95, memory) at each thread count, fit the per-operator cost model, and write the device "
            + "profile.",
    "Without --package the built-in synthetic family is profiled (the package `edgesplit split --synthetic` "
            + "builds). Without --base the profile starts from this machine's hardware probe."})
final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--package", paramLabel = "DIR", description = "Model package to profile "
            + "(default: the built-in synthetic family).")
    Path packageDir;

    @Option(names = "--base", paramLabel = "FILE.yaml|ID", description = "Profile to update: a file or a built-in "
            + "id (${COMPLETION-CANDIDATES}); everything in it is kept, measurements of the same segment, threads and "
            + "delegate are replaced. Default: a draft from this machine's hardware probe.",
            completionCandidates = CatalogIds.class)
    String base;

    @Option(names = "--out", required = true, paramLabel = "FILE.yaml", description = "Profile to write (atomically).")
    Path out;

    @Option(names = "--id", paramLabel = "ID", description = "Id of the drafted profile when there is no --base "
            + "(default: from the --out file name).")
    String id;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Thread counts to measure, comma-separated (default: the profile's compute.threads, "
                    + "the count plans assume).")
    List<Integer> threads;

    @Option(names = "--delegate", paramLabel = "xnnpack|none", converter = DelegateConverter.class,
            description = "xnnpack: TensorFlow Lite's default XNNPACK delegate takes the operators it supports; "
                    + "none: built-in kernels only (default: the profile's compute.delegate when it is one of these, "
                    + "else xnnpack).")
    Delegate delegate;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + SegmentProfiler.DEFAULT_MIN_RUNS,
            description = "Minimum timed runs per segment (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "" + SegmentProfiler.DEFAULT_MAX_RUNS,
            description = "Maximum timed runs per segment (default ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--budget", paramLabel = "TIME", defaultValue = "200ms", converter = MillisConverter.class,
            description = "Timed runs continue beyond --runs until they took this long per segment "
                    + "(default ${DEFAULT-VALUE}).")
    double budgetMillis;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + SegmentProfiler.DEFAULT_WARMUP_RUNS,
            description = "Minimum warm-up runs after the first inference (default ${DEFAULT-VALUE}; warm-up "
                    + "continues up to 20ms for small segments).")
    int warmup;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on standard error.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        DeviceProfile start = baseProfile();
        if (threads == null) {
            threads = List.of(start.compute().threads());
        }
        if (delegate == null) {
            Delegate planned = start.compute().delegate();
            delegate = planned == Delegate.NONE || planned == Delegate.XNNPACK ? planned : Delegate.XNNPACK;
        }
        Path synthetic = null;
        ModelPackage pkg;
        ProfilingReport report;
        try (CliProgress bar = new CliProgress(!noProgress)) {
            if (packageDir != null) {
                pkg = ModelPackage.load(packageDir);
            } else {
                synthetic = Files.createTempDirectory("edgesplit-synthetic-");
                PackageBuilder builder = new PackageBuilder("synthetic_slimmable")
                        .createdBy("edgesplit " + EdgeSplitCli.version()).progress(bar);
                SplitCommand.syntheticFamily().forEach(builder::addVariant);
                pkg = builder.write(synthetic.resolve("package"), false);
            }
            report = SegmentProfiler.builder().threads(threads).delegate(delegate).minRuns(runs).maxRuns(maxRuns)
                    .segmentBudgetMillis(budgetMillis).warmupRuns(warmup).progress(bar).build().profile(pkg);
        } finally {
            if (synthetic != null) {
                deleteRecursively(synthetic);
            }
        }
        DeviceProfile updated = report.applyTo(start);
        Path absolute = out.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        ProfileWriter.write(updated, out);
        double[] loadMillis = loadMillis(out, updated);

        Report r = Report.of(this, pkg, report, updated, loadMillis);
        Json.print(spec.commandLine().getOut(), json, r, ProfileCommand::printText);
        return 0;
    }

    private void checkOptions() {
        for (int i = 0; threads != null && i < threads.size(); i++) {
            int t = threads.get(i);
            if (t < 1 || t > 64) {
                throw new ParameterException(spec.commandLine(), "--threads: each must be between 1 and 64, was " + t);
            }
            if (threads.subList(0, i).contains(t)) {
                throw new ParameterException(spec.commandLine(), "--threads: " + t + " is listed twice");
            }
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: must be >= 1, was " + runs);
        }
        if (maxRuns < runs) {
            throw new ParameterException(spec.commandLine(), "--max-runs: must be >= --runs " + runs + ", was "
                    + maxRuns);
        }
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup: must be >= 0, was " + warmup);
        }
        if (budgetMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--budget: must be >= 0ms, was " + budgetMillis + "ms");
        }
        if (base != null && id != null) {
            throw new ParameterException(spec.commandLine(), "--id names a drafted profile; with --base the base "
                    + "profile's id is kept");
        }
    }

    private DeviceProfile baseProfile() throws IOException {
        if (base != null) {
            return DeviceProfiles.resolve(base);
        }
        String profileId = id != null ? id : idFromFileName(out);
        try {
            return HardwareProbe.forThisPlatform().probe().toDraftProfile(profileId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--id: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot draft a profile of this machine (" + e.getMessage()
                    + "); give --base FILE.yaml or a built-in id", e);
        }
    }

    /** "profiles/My Pixel.yaml" becomes "my-pixel"; "this-device" when nothing usable is left. */
    static String idFromFileName(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.(ya?ml)$", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 64) {
            name = name.substring(0, 64).replaceAll("-+$", "");
        }
        return name.isEmpty() ? "this-device" : name;
    }

    /**
     * Loads the written profile back (proving it valid and equal) and times it: the first load in this
     * process (what an app pays at start-up, class loading included) and the median of 9 more.
     */
    private static double[] loadMillis(Path file, DeviceProfile expected) throws IOException {
        long t0 = System.nanoTime();
        DeviceProfile loaded = DeviceProfiles.load(file);
        double first = (System.nanoTime() - t0) / 1e6;
        if (!loaded.equals(expected)) {
            throw new CliException(file + ": the written profile does not read back equal; this is a bug");
        }
        double[] millis = new double[9];
        for (int i = 0; i < millis.length; i++) {
            long t1 = System.nanoTime();
            DeviceProfiles.load(file);
            millis[i] = (System.nanoTime() - t1) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {first, millis[millis.length / 2]};
    }

    private static void deleteRecursively(Path dir) {
        try {
            CliFiles.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary synthetic package " + dir, e);
        }
    }

    // ------------------------------------------------------------------ report (record components are JSON names)

    /** The whole report. */
    record Report(String engine, String packageDir, String family, int variants, int splitPoints, int segments,
            int measurements, double elapsedSeconds, String profile, String profileId, String base,
            double profileFirstLoadMillis, double profileReloadMillis, Settings settings, List<VariantReport> results,
            List<CostModelReport> costModels, List<CpuWait> cpuWait, List<Remeasured> remeasured) {

        static Report of(ProfileCommand c, ModelPackage pkg, ProfilingReport report, DeviceProfile updated,
                double[] loadMillis) {
            List<VariantReport> variants = new ArrayList<>();
            int splitPoints = 0;
            for (Variant v : pkg.variants()) {
                splitPoints += v.splits().size();
                variants.add(VariantReport.of(v, report));
            }
            List<CostModelReport> models = new ArrayList<>();
            for (CostModelFit fit : report.costModels()) {
                models.add(CostModelReport.of(fit));
            }
            List<Remeasured> again = new ArrayList<>();
            for (ProfilingReport.Remeasurement r : report.remeasured()) {
                again.add(new Remeasured(r.segmentSha256(), r.threads(), r.firstMedianMillis(), r.secondMedianMillis()));
            }
            String baseText = c.base != null ? "profile " + c.base : "hardware probe of this machine";
            List<CpuWait> waits = new ArrayList<>();
            for (int t : report.threads()) {
                double[] w = report.measurements().stream().filter(m -> m.threads() == t && m.cpuWaitPercent().isPresent())
                        .mapToDouble(m -> m.cpuWaitPercent().getAsDouble()).sorted().toArray();
                if (w.length > 0) {
                    waits.add(new CpuWait(t, w[w.length / 2], w[Math.max(0, (int) Math.ceil(0.9 * w.length) - 1)]));
                }
            }
            return new Report("TensorFlow Lite " + TfLiteNative.version(),
                    c.packageDir != null ? c.packageDir.toString() : null, pkg.manifest().family(), pkg.variants().size(),
                    splitPoints, pkg.manifest().segments().size(), report.measurements().size(),
                    report.elapsedNanos() / 1e9, c.out.toString(), updated.id(), baseText, loadMillis[0], loadMillis[1],
                    new Settings(c.threads, c.delegate.yamlName(), c.warmup, SegmentProfiler.DEFAULT_WARMUP_BUDGET_MILLIS,
                            c.runs, c.maxRuns, c.budgetMillis),
                    variants, models, waits, again);
        }
    }

    /** How segments were measured. */
    record Settings(List<Integer> threads, String delegate, int warmupRuns, double warmupBudgetMillis, int minRuns,
            int maxRuns, double segmentBudgetMillis) {
    }

    /** One variant: its whole model per thread count, and its split points. */
    record VariantReport(String id, double width, String source, long macs, List<Benchmark> wholeModel,
            List<SplitReport> splits) {

        static VariantReport of(Variant v, ProfilingReport report) {
            List<Benchmark> whole = new ArrayList<>();
            for (int t : report.threads()) {
                report.measurement(v.fullLocal().headSegment(), t).map(Benchmark::of).ifPresent(whole::add);
            }
            List<SplitReport> splits = new ArrayList<>();
            for (SplitPoint s : v.splits()) {
                List<SplitTiming> timings = new ArrayList<>();
                for (int t : report.threads()) {
                    timings.add(new SplitTiming(t, median(report, s.headSegment(), t), median(report, s.tailSegment(), t)));
                }
                splits.add(new SplitReport(s.id(), s.headOperatorCount(), s.transferBytes(), timings));
            }
            return new VariantReport(v.id(), v.width(), v.sourceFile(), v.macs(), whole, splits);
        }

        private static Double median(ProfilingReport report, String sha, int t) {
            return sha == null ? null : report.measurement(sha, t).map(SegmentMeasurement::medianMillis).orElse(null);
        }
    }

    /** benchmark_model's figures for one segment at one thread count; memory is null when unavailable. */
    record Benchmark(int threads, double initMillis, double firstInferenceMillis, int warmupRuns,
            double warmupMeanMillis, int runs, double medianMillis, double p95Millis, double meanMillis,
            double minMillis, Long rssInitDeltaBytes, Long rssOverallDeltaBytes, Double cpuWaitPercent) {

        static Benchmark of(SegmentMeasurement m) {
            return new Benchmark(m.threads(), m.initMillis(), m.firstInferenceMillis(), m.warmupRuns(),
                    m.warmupMeanMillis(), m.runs(), m.medianMillis(), m.p95Millis(), m.meanMillis(), m.minMillis(),
                    boxed(m.rssInitDeltaBytes()), boxed(m.rssOverallDeltaBytes()),
                    m.cpuWaitPercent().isPresent() ? m.cpuWaitPercent().getAsDouble() : null);
        }

        private static Long boxed(OptionalLong v) {
            return v.isPresent() ? v.getAsLong() : null;
        }
    }

    /** One split point: head and tail medians per thread count (null where there is no head or tail). */
    record SplitReport(String id, int headOperators, long transferBytes, List<SplitTiming> timings) {
    }

    /** Head and tail medians of a split point at one thread count. */
    record SplitTiming(int threads, Double headMedianMillis, Double tailMedianMillis) {
    }

    /** The fitted cost model of one thread count and its held-out error. */
    record CostModelReport(int threads, String delegate, double macsPerSecond, double perInvokeMicros,
            int fittedSegments, HeldOut heldOut, Map<String, OperatorCostReport> operators) {

        static CostModelReport of(CostModelFit fit) {
            CostModel c = fit.coefficients();
            Map<String, OperatorCostReport> ops = new LinkedHashMap<>();
            for (Map.Entry<String, OperatorCost> e : c.operators().entrySet()) {
                OperatorCost o = e.getValue();
                ops.put(e.getKey(), new OperatorCostReport(o.nanosPerMac(), o.nanosPerByte(), o.nanosPerOperator()));
            }
            Optional<HeldOutEvaluation> h = fit.heldOut();
            return new CostModelReport(c.threads(), c.delegate().yamlName(), c.macsPerSecond(),
                    c.perInvokeNanos() / 1e3, c.fittedSegments().orElse(0),
                    h.map(e -> new HeldOut("fit on the segments of the even-numbered cuts, predict the others",
                            e.trainingSegments(), e.predictions().size(), e.medianAbsolutePercentError(),
                            e.p90AbsolutePercentError())).orElse(null),
                    ops);
        }
    }

    /** Coefficients of one operator type. */
    record OperatorCostReport(double nanosPerMac, double nanosPerByte, double nanosPerOperator) {
    }

    /** The cost model's own error on segments it was not fitted to. */
    record HeldOut(String method, int trainingSegments, int heldOutSegments, double medianAbsolutePercentError,
            double p90AbsolutePercentError) {
    }

    /**
     * How long the process waited for a CPU during timed runs, in percent of their time, over the
     * segments of one thread count: near 0 on a quiet machine; high values mean other work disturbed
     * the measurements.
     */
    record CpuWait(int threads, double medianPercent, double p90Percent) {
    }

    /** A segment measured twice because the first fit missed it; the faster median is kept. */
    record Remeasured(String segment, int threads, double firstMedianMillis, double secondMedianMillis) {
    }

    // ------------------------------------------------------------------ text

    private static void printText(Report r, PrintWriter w) {
        Settings s = r.settings();
        w.printf(Locale.ROOT, "EdgeSplit profile (%s, delegate %s)%n", r.engine(), s.delegate());
        w.printf(Locale.ROOT, "Package        %s (family %s): %d variant%s, %d split points, %d distinct segments%n",
                r.packageDir() != null ? r.packageDir() : "built-in synthetic family", r.family(), r.variants(),
                r.variants() == 1 ? "" : "s", r.splitPoints(), r.segments());
        w.printf(Locale.ROOT, "Runs           warm-up >= %d run%s (more up to %s), steady %d..%d runs within %s per "
                + "segment%n", s.warmupRuns(), s.warmupRuns() == 1 ? "" : "s", Units.formatMillis(s.warmupBudgetMillis()),
                s.minRuns(), s.maxRuns(), Units.formatMillis(s.segmentBudgetMillis()));
        w.printf(Locale.ROOT, "Time           %s for %d measurements at %s thread%s%s%n", duration(r.elapsedSeconds()),
                r.measurements(), s.threads().stream().map(String::valueOf).collect(Collectors.joining(",")),
                s.threads().size() == 1 && s.threads().get(0) == 1 ? "" : "s",
                r.remeasured().isEmpty() ? "" : " (" + r.remeasured().size() + " re-measured)");
        for (VariantReport v : r.results()) {
            w.println();
            printWholeModel(v, w);
            w.println();
            printSplits(v, s.threads(), w);
        }
        w.println();
        w.println("Cost model (per operator type: a x MACs + b x activation bytes + c, non-negative least squares)");
        w.printf(Locale.ROOT, "%-8s %-13s %7s   %s%n", "threads", "throughput", "fitted",
                "held-out error: median (p90), fit on even cuts, predict the odd cuts' segments");
        for (CostModelReport c : r.costModels()) {
            String held = c.heldOut() == null ? "n/a (too few cuts)"
                    : String.format(Locale.ROOT, "%.2f%% (%.2f%%) over %d segments, fitted on %d",
                            c.heldOut().medianAbsolutePercentError(), c.heldOut().p90AbsolutePercentError(),
                            c.heldOut().heldOutSegments(), c.heldOut().trainingSegments());
            w.printf(Locale.ROOT, "%-8d %-13s %7d   %s%n", c.threads(), gmacs(c.macsPerSecond()), c.fittedSegments(), held);
        }
        for (CpuWait c : r.cpuWait()) {
            w.printf(Locale.ROOT, "CPU wait       %d thread%s: timed runs waited for a CPU %.1f%% of their time (median "
                    + "over segments, p90 %.1f%%)%s%n", c.threads(), c.threads() == 1 ? "" : "s", c.medianPercent(),
                    c.p90Percent(), c.medianPercent() > 5 ? ": other work disturbed these measurements" : "");
        }
        w.println();
        w.printf(Locale.ROOT, "Profile        %s (id %s, updated from the %s)%n", r.profile(), r.profileId(),
                r.base());
        w.printf(Locale.ROOT, "Profile load   %.2f ms the first time in this process, then %.2f ms (median of 9), "
                + "read and validated%n", r.profileFirstLoadMillis(), r.profileReloadMillis());
    }

    private static void printWholeModel(VariantReport v, PrintWriter w) {
        w.printf(Locale.ROOT, "Variant %s: %s, %s MACs, whole model on this machine%n", v.id(), v.source(),
                InspectCommand.count(v.macs()));
        List<Benchmark> b = v.wholeModel();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-22s", ""));
        for (Benchmark x : b) {
            header.append(String.format(Locale.ROOT, "%14s", x.threads() + (x.threads() == 1 ? " thread" : " threads")));
        }
        w.println(header);
        row(w, "Init", b, x -> ms(x.initMillis()));
        row(w, "First inference", b, x -> ms(x.firstInferenceMillis()));
        row(w, "Warm-up average", b, x -> x.warmupRuns() == 0 ? "-" : ms(x.warmupMeanMillis()) + " x" + x.warmupRuns());
        row(w, "Steady median", b, x -> ms(x.medianMillis()));
        row(w, "Steady p95", b, x -> ms(x.p95Millis()));
        row(w, "Steady average", b, x -> ms(x.meanMillis()) + " x" + x.runs());
        row(w, "Memory init (RSS)", b, x -> mib(x.rssInitDeltaBytes()));
        row(w, "Memory overall (RSS)", b, x -> mib(x.rssOverallDeltaBytes()));
        row(w, "Waiting for a CPU", b, x -> x.cpuWaitPercent() == null ? "n/a"
                : String.format(Locale.ROOT, "%.1f%%", x.cpuWaitPercent()));
    }

    private static void row(PrintWriter w, String label, List<Benchmark> b,
            java.util.function.Function<Benchmark, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s", label));
        for (Benchmark x : b) {
            line.append(String.format(Locale.ROOT, "%14s", cell.apply(x)));
        }
        w.println(line);
    }

    private static void printSplits(VariantReport v, List<Integer> threads, PrintWriter w) {
        w.printf(Locale.ROOT, "Split points of %s: median ms of the head and the tail, both measured here%n", v.id());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-12s %8s %13s", "split", "head ops",
                "bytes across"));
        for (int t : threads) {
            header.append(String.format(Locale.ROOT, " %9s %9s", t + "t head", t + "t tail"));
        }
        w.println(header);
        for (SplitReport s : v.splits()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-12s %8d %13d", s.id(),
                    s.headOperators(), s.transferBytes()));
            for (SplitTiming t : s.timings()) {
                line.append(String.format(Locale.ROOT, " %9s %9s", cell(t.headMedianMillis()),
                        cell(t.tailMedianMillis())));
            }
            w.println(line);
        }
    }

    /** Three decimals, or two significant digits below 0.01 ms (a lone softmax takes microseconds). */
    private static String cell(Double millis) {
        if (millis == null) {
            return "-";
        }
        return millis < 0.01 ? String.format(Locale.ROOT, "%.2g", millis) : String.format(Locale.ROOT, "%.3f", millis);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "n/a" : String.format(Locale.ROOT, "%+.1f MiB", bytes / 1048576.0);
    }

    private static String gmacs(double macsPerSecond) {
        return String.format(Locale.ROOT, "%.2f GMAC/s", macsPerSecond / 1e9);
    }

    private static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return String.format(Locale.ROOT, "%dm%04.1fs", (int) (seconds / 60), seconds % 60);
    }

    // ------------------------------------------------------------------ converters

    /** {@code --delegate}: the YAML names of the delegates the engine runs. */
    static final class DelegateConverter implements ITypeConverter<Delegate> {
        @Override
        public Delegate convert(String value) {
            Optional<Delegate> d = Delegate.fromYamlName(value);
            if (d.isEmpty() || (d.get() != Delegate.XNNPACK && d.get() != Delegate.NONE)) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "': the TensorFlow Lite engine "
                        + "runs xnnpack or none");
            }
            return d.get();
        }
    }

    /** {@code --budget}: a duration with a unit, as in profiles. */
    static final class MillisConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Units.millis(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The built-in profile ids, for help and completion. */
    static final class CatalogIds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DeviceProfiles.CATALOG_IDS.iterator();
        }
    }
}
