package io.edgesplit.cli;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.graph.WidthSlicer;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit split MODEL[,MODEL...] --out DIR}: builds a model package with every variant's
 * split points and segments.
 */
@Command(name = "split", description = {
    "Cut one model family (one .tflite per width) at every valid point and write a model package.",
    "Widths come from --widths or from file names such as mobilenet_v1_0.25_128 or name_w0.50."})
final class SplitCommand implements Callable<Integer> {

    private static final Pattern WIDTH_IN_NAME = Pattern.compile("(?:^|[_\\-])w?(0\\.\\d+|1\\.0+)(?:[_\\-.]|$)");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL.tflite", split = ",", arity = "0..*",
            description = "Models of one family, one per width (comma-separated or separate arguments).")
    List<Path> models = new ArrayList<>();

    @Option(names = "--synthetic", description = "Use the built-in synthetic slimmable family (widths 0.25-1.0) "
            + "instead of model files.")
    boolean synthetic;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Package directory to create.")
    Path out;

    @Option(names = "--force", description = "Replace an existing package at --out.")
    boolean force;

    @Option(names = "--family", paramLabel = "NAME", description = "Family name (default: from the first model file).")
    String family;

    @Option(names = "--widths", split = ",", paramLabel = "W", description = "Width of each model, in order.")
    List<Double> widths = new ArrayList<>();

    @Option(names = "--accuracy", split = ",", paramLabel = "A",
            description = "Known accuracy (e.g. published top-1, 0..1) of each model, in order.")
    List<Double> accuracy = new ArrayList<>();

    @Option(names = "--derive-widths", split = ",", paramLabel = "W",
            description = "Derive these widths from the widest float model by channel slicing (marked uncalibrated).")
    List<Double> deriveWidths = new ArrayList<>();

    @Option(names = "--max-crossing", paramLabel = "K", defaultValue = "2",
            description = "At most K tensors cross a split point (default ${DEFAULT-VALUE}).")
    int maxCrossing;

    @Option(names = "--codec", split = ",", paramLabel = "CODEC",
            defaultValue = "raw,fp16,int8", description = "Codecs allowed for crossing tensors (default ${DEFAULT-VALUE}).")
    List<String> codecs;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on standard error (default on; --no-progress turns it off).")
    boolean progress;

    @Override
    public Integer call() throws IOException {
        List<VariantSource> sources = synthetic ? syntheticSources() : modelSources();
        sources.addAll(derived(sources));
        String name = family != null ? family
                : synthetic ? "synthetic_slimmable" : familyOf(models.get(0).getFileName().toString());
        PackageBuilder builder = new PackageBuilder(name).maxCrossing(maxCrossing).codecs(codecs)
                .createdBy("edgesplit " + EdgeSplitCli.version());
        sources.forEach(builder::addVariant);
        long start = System.nanoTime();
        ModelPackage pkg;
        try (CliProgress bar = new CliProgress(progress)) {
            builder.progress(bar);
            pkg = builder.write(out, force);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        Report report = Report.of(pkg, elapsedMs);
        Json.print(spec.commandLine().getOut(), json, report, SplitCommand::printText);
        return 0;
    }

    private List<VariantSource> modelSources() throws IOException {
        if (models.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give at least one MODEL.tflite, or --synthetic");
        }
        if (!widths.isEmpty() && widths.size() != models.size()) {
            throw new ParameterException(spec.commandLine(), "--widths has " + widths.size() + " values for "
                    + models.size() + " models");
        }
        if (!accuracy.isEmpty() && accuracy.size() != models.size()) {
            throw new ParameterException(spec.commandLine(), "--accuracy has " + accuracy.size() + " values for "
                    + models.size() + " models");
        }
        List<VariantSource> sources = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path model = models.get(i);
            double width = widths.isEmpty() ? widthFromName(model) : widths.get(i);
            ModelGraph graph = ModelGraph.read(model);
            sources.add(VariantSource.of(graph, model.getFileName().toString(), Sha256.of(model), width,
                    accuracy.isEmpty() ? null : accuracy.get(i)));
        }
        return sources;
    }

    private List<VariantSource> syntheticSources() {
        if (!models.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--synthetic takes no MODEL arguments");
        }
        return syntheticFamily();
    }

    /** The built-in synthetic family as package variants; {@code profile} without --package uses it too. */
    static List<VariantSource> syntheticFamily() {
        List<ModelGraph> graphs = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
        List<VariantSource> sources = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i++) {
            double w = SyntheticModels.WIDTHS[i];
            byte[] bytes = graphs.get(i).toBytes();
            // the narrower widths are sliced from width 1.0 without training: uncalibrated, no accuracy
            sources.add(new VariantSource(graphs.get(i), SyntheticModels.fileName(w), Sha256.of(bytes), w, null,
                    w == 1.0, w == 1.0 ? null : VariantSource.variantId(1.0)));
        }
        return sources;
    }

    private List<VariantSource> derived(List<VariantSource> sources) throws IOException {
        List<VariantSource> out = new ArrayList<>();
        if (deriveWidths.isEmpty()) {
            return out;
        }
        VariantSource widest = sources.get(0);
        for (VariantSource s : sources) {
            if (s.width() > widest.width()) {
                widest = s;
            }
        }
        for (double w : deriveWidths) {
            if (!(w > 0 && w < widest.width())) {
                throw new ParameterException(spec.commandLine(), "--derive-widths: " + w + " must be between 0 and "
                        + widest.width() + " (the width of " + widest.sourceFile() + ")");
            }
            ModelGraph sliced = WidthSlicer.slice(widest.graph(), w / widest.width());
            out.add(new VariantSource(sliced, widest.sourceFile(), widest.sourceSha256(), w, null, false,
                    widest.variantId()));
        }
        return out;
    }

    private double widthFromName(Path model) {
        Matcher m = WIDTH_IN_NAME.matcher(model.getFileName().toString());
        if (m.find()) {
            return Double.parseDouble(m.group(1));
        }
        if (models.size() == 1) {
            return 1.0;
        }
        throw new ParameterException(spec.commandLine(), model + ": cannot tell its width from the file name; "
                + "give --widths");
    }

    private static String familyOf(String fileName) {
        String base = fileName.replaceFirst("\\.tflite$", "");
        Matcher m = WIDTH_IN_NAME.matcher(base);
        return m.find() ? base.substring(0, m.start()) : base;
    }

    /** The split report; record components are the JSON field names. */
    record Report(String packageDir, String family, long elapsedMs, int segments, long segmentBytes,
            List<String> codecs, List<VariantReport> variants) {
        static Report of(ModelPackage pkg, long elapsedMs) throws IOException {
            long bytes = 0;
            for (var s : pkg.manifest().segments().values()) {
                bytes += s.bytes();
            }
            List<VariantReport> vs = new ArrayList<>();
            for (Variant v : pkg.variants()) {
                long min = Long.MAX_VALUE;
                long max = 0;
                int twoTensor = 0;
                for (SplitPoint s : v.splits()) {
                    min = Math.min(min, s.transferBytes());
                    max = Math.max(max, s.transferBytes());
                    twoTensor += s.crossing().size() > 1 ? 1 : 0;
                }
                vs.add(new VariantReport(v.id(), v.width(), v.accuracy(), v.calibrated(), v.derivedFrom(),
                        v.sourceFile(), v.operatorCount(), v.macs(), v.parameters(), v.splits().size(), twoTensor,
                        min, max));
            }
            return new Report(pkg.directory().toString(), pkg.manifest().family(), elapsedMs,
                    pkg.manifest().segments().size(), bytes, pkg.manifest().codecs(), vs);
        }
    }

    /** One variant of the split report. */
    record VariantReport(String id, double width, Double accuracy, boolean calibrated, String derivedFrom,
            String source, int operators, long macs, long parameters, int splitPoints, int multiTensorSplitPoints,
            long minTransferBytes, long maxTransferBytes) {
    }

    private static void printText(Report r, PrintWriter w) {
        w.printf(Locale.ROOT, "Package     %s (family %s)%n", r.packageDir(), r.family());
        w.printf(Locale.ROOT, "Segments    %d files, %s%n", r.segments(), InspectCommand.bytes(r.segmentBytes()));
        w.printf(Locale.ROOT, "Codecs      %s%n", String.join(", ", r.codecs()));
        w.printf(Locale.ROOT, "Time        %.2f s%n", r.elapsedMs() / 1000.0);
        w.println();
        w.printf(Locale.ROOT, "%-7s %-6s %-9s %-40s %5s %10s %7s %12s%n", "variant", "width", "accuracy", "source",
                "ops", "MACs", "splits", "bytes across");
        for (VariantReport v : r.variants()) {
            String acc = v.accuracy() == null ? (v.calibrated() ? "unknown" : "uncalib.") : String.format(Locale.ROOT, "%.3f", v.accuracy());
            w.printf(Locale.ROOT, "%-7s %-6.2f %-9s %-40s %5d %10s %7d %12s%n", v.id(), v.width(), acc,
                    abbreviate(v.source() + (v.derivedFrom() != null ? " (sliced)" : ""), 40), v.operators(),
                    InspectCommand.count(v.macs()), v.splitPoints(),
                    v.minTransferBytes() + ".." + v.maxTransferBytes());
        }
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
