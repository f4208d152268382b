package io.edgesplit.cli;

import io.edgesplit.codec.Codecs;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPipeline;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.tensor.ImageInputs;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit verify DIR}: for every variant and split point, the full model against head ->
 * codec -> tail, on real images (and crops of them) or seeded random inputs. Exits 1 when the raw
 * codec is not bit-exact somewhere.
 */
@Command(name = "verify", description = {
    "Check that every split point of a package computes what the whole model does:",
    "max absolute difference, top-1 agreement and bytes on the wire, per codec."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Model package directory.")
    Path packageDir;

    @Option(names = "--image", paramLabel = "FILE", description = "Image to classify (repeatable). "
            + "Without one, seeded random inputs are used.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--crops", paramLabel = "N", defaultValue = "2",
            description = "Also check N random crops of every image (default ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--codec", split = ",", paramLabel = "CODEC",
            description = "Codecs to check (default: the package's; raw is always checked).")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--variant", split = ",", paramLabel = "ID", description = "Only these variants.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "1", description = "Threads per interpreter (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on standard error (default on; --no-progress turns it off).")
    boolean progress;

    @Override
    public Integer call() throws IOException {
        ModelPackage pkg = ModelPackage.load(packageDir);
        List<String> codecNames = new ArrayList<>(List.of("raw"));
        for (String c : codecs.isEmpty() ? pkg.manifest().codecs() : codecs) {
            Codecs.create(c); // unknown names fail here, listing the valid ones
            if (!codecNames.contains(c)) {
                codecNames.add(c);
            }
        }
        List<ImageFiles.Pixels> pixels = new ArrayList<>();
        for (Path image : images) {
            pixels.add(ImageFiles.read(image));
        }
        List<Variant> selected = new ArrayList<>();
        for (Variant v : pkg.variants()) {
            if (variants.isEmpty() || variants.contains(v.id())) {
                selected.add(v);
            }
        }
        for (String id : variants) {
            pkg.variant(id); // unknown ids fail listing the package's
        }
        EngineOptions options = EngineOptions.builder().threads(threads).build();
        long total = selected.stream().mapToLong(v -> v.splits().size()).sum();
        List<VariantResult> results = new ArrayList<>();
        long started = System.nanoTime();
        try (CliProgress bar = new CliProgress(progress)) {
            long done = 0;
            for (Variant v : selected) {
                results.add(verifyVariant(pkg, v, codecNames, pixels, options, bar, done, total));
                done += v.splits().size();
            }
        }
        Report report = new Report(pkg.directory().toString(), (System.nanoTime() - started) / 1_000_000,
                inputDescription(pixels), results);
        Json.print(spec.commandLine().getOut(), json, report, VerifyCommand::printText);
        List<String> broken = new ArrayList<>();
        for (VariantResult v : results) {
            for (SplitResult s : v.splits()) {
                CodecResult raw = s.codecs().get("raw");
                if (raw != null && !raw.bitExact()) {
                    broken.add(s.split());
                }
            }
        }
        if (!broken.isEmpty()) {
            spec.commandLine().getErr().println("edgesplit verify: raw codec is not bit-exact at " + broken.size()
                    + " split point(s): " + String.join(", ", broken));
            return 1;
        }
        return 0;
    }

    private String inputDescription(List<ImageFiles.Pixels> pixels) {
        if (pixels.isEmpty()) {
            return "2 seeded random inputs (no --image given)";
        }
        return pixels.size() + " image(s) and " + crops + " crop(s) of each";
    }

    /** The inputs for a variant: every image and its crops, or seeded random data. */
    private List<byte[][]> inputsFor(Variant v, List<ImageFiles.Pixels> pixels) {
        List<byte[][]> inputs = new ArrayList<>();
        boolean images = !pixels.isEmpty() && v.inputs().size() == 1 && ImageInputs.isImageInput(v.inputs().get(0).spec());
        if (images) {
            TensorSpec in = v.inputs().get(0).spec();
            for (ImageFiles.Pixels p : pixels) {
                inputs.add(new byte[][] {p.resized(in.dim(2), in.dim(1))});
                for (int c = 0; c < crops; c++) {
                    inputs.add(new byte[][] {p.crop(c, in.dim(2), in.dim(1))});
                }
            }
            return inputs;
        }
        for (int seed = 0; seed < 2; seed++) {
            byte[][] one = new byte[v.inputs().size()][];
            for (int i = 0; i < one.length; i++) {
                one[i] = randomBytes(v.inputs().get(i).spec(), seed * 31 + i);
            }
            inputs.add(one);
        }
        return inputs;
    }

    private static byte[] randomBytes(TensorSpec spec, long seed) {
        Tensor t = Tensor.allocate(spec);
        Random r = new Random(seed);
        if (ImageInputs.isImageInput(spec)) {
            byte[] rgb = new byte[spec.dim(1) * spec.dim(2) * 3];
            r.nextBytes(rgb);
            ImageInputs.fill(t, rgb);
        } else if (spec.dataType() == io.edgesplit.tensor.DataType.FP32) {
            for (int i = 0; i < t.elementCount(); i++) {
                t.putFloat(i, r.nextFloat() * 2 - 1);
            }
        } else {
            byte[] b = new byte[t.byteSize()];
            r.nextBytes(b);
            t.putBytes(b);
        }
        return t.toByteArray();
    }

    private VariantResult verifyVariant(ModelPackage pkg, Variant v, List<String> codecNames,
            List<ImageFiles.Pixels> pixels, EngineOptions options, CliProgress bar, long doneBefore, long total)
            throws IOException {
        List<byte[][]> inputs = inputsFor(v, pixels);
        // The inputs as the model sees them (images already converted to the input's type).
        List<byte[][]> prepared = new ArrayList<>();
        List<byte[][]> reference = new ArrayList<>();
        List<float[]> referenceReal = new ArrayList<>();
        List<TensorCodec> codecInstances = new ArrayList<>();
        for (String c : codecNames) {
            codecInstances.add(Codecs.create(c));
        }
        SplitPoint local = v.fullLocal();
        try (SplitPipeline full = SplitPipeline.open(pkg, v, local, TfLiteEngine.get(), options, 8)) {
            for (byte[][] in : inputs) {
                byte[][] modelInput = new byte[in.length][];
                for (int i = 0; i < in.length; i++) {
                    Tensor t = full.input(i);
                    if (ImageInputs.isImageInput(t.spec()) && in[i].length == t.spec().dim(1) * t.spec().dim(2) * 3
                            && !pixels.isEmpty()) {
                        ImageInputs.fill(t, in[i]);
                    } else {
                        t.putBytes(in[i]);
                    }
                    modelInput[i] = t.toByteArray();
                }
                prepared.add(modelInput);
                full.run(codecInstances.get(0), false);
                byte[][] outs = new byte[full.outputCount()][];
                for (int o = 0; o < outs.length; o++) {
                    outs[o] = full.output(o).toByteArray();
                }
                reference.add(outs);
                referenceReal.add(full.output(0).toFloatArray());
            }
        }
        List<SplitResult> splits = new ArrayList<>();
        long done = doneBefore;
        for (SplitPoint s : v.splits()) {
            int capacity = SplitPipeline.wireCapacityFor(s, codecInstances);
            Map<String, CodecAccumulator> acc = new LinkedHashMap<>();
            for (String c : codecNames) {
                acc.put(c, new CodecAccumulator());
            }
            try (SplitPipeline p = SplitPipeline.open(pkg, v, s, TfLiteEngine.get(), options, capacity)) {
                for (int k = 0; k < prepared.size(); k++) {
                    byte[][] in = prepared.get(k);
                    for (int i = 0; i < in.length; i++) {
                        p.input(i).putBytes(in[i]);
                    }
                    for (int c = 0; c < codecNames.size(); c++) {
                        p.run(codecInstances.get(c), true);
                        acc.get(codecNames.get(c)).add(p, reference.get(k), referenceReal.get(k));
                    }
                }
            }
            Map<String, CodecResult> byCodec = new LinkedHashMap<>();
            acc.forEach((name, a) -> byCodec.put(name, a.result()));
            splits.add(new SplitResult(s.id(), s.headOperatorCount(), s.crossing().size(), s.transferBytes(), byCodec));
            bar.onProgress("verifying", ++done, total);
        }
        return new VariantResult(v.id(), v.width(), prepared.size(), splits, summarize(codecNames, splits));
    }

    /** Accumulates one codec's comparison over the inputs of a split point. */
    private static final class CodecAccumulator {
        boolean bitExact = true;
        double maxAbsDiff;
        int agree;
        int runs;
        long maxWireBytes;
        double maxCodecError;

        void add(SplitPipeline p, byte[][] referenceBytes, float[] referenceReal) {
            runs++;
            boolean same = true;
            for (int o = 0; o < referenceBytes.length; o++) {
                same &= Arrays.equals(referenceBytes[o], p.output(o).toByteArray());
            }
            bitExact &= same;
            float[] actual = p.output(0).toFloatArray();
            int refTop = 0;
            int top = 0;
            for (int i = 0; i < actual.length; i++) {
                maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual[i] - referenceReal[i]));
                if (referenceReal[i] > referenceReal[refTop]) {
                    refTop = i;
                }
                if (actual[i] > actual[top]) {
                    top = i;
                }
            }
            agree += refTop == top ? 1 : 0;
            maxWireBytes = Math.max(maxWireBytes, p.wireBytes());
            maxCodecError = Math.max(maxCodecError, p.maxCodecError());
        }

        CodecResult result() {
            return new CodecResult(bitExact, maxAbsDiff, runs == 0 ? 1 : agree / (double) runs, maxWireBytes,
                    maxCodecError);
        }
    }

    private static Map<String, CodecSummary> summarize(List<String> codecNames, List<SplitResult> splits) {
        Map<String, CodecSummary> out = new LinkedHashMap<>();
        for (String c : codecNames) {
            int exact = 0;
            double worst = 0;
            double minAgree = 1;
            for (SplitResult s : splits) {
                CodecResult r = s.codecs().get(c);
                exact += r.bitExact() ? 1 : 0;
                worst = Math.max(worst, r.maxAbsDiff());
                minAgree = Math.min(minAgree, r.top1Agreement());
            }
            out.put(c, new CodecSummary(splits.size(), exact, worst, minAgree));
        }
        return out;
    }

    record Report(String packageDir, long elapsedMs, String inputs, List<VariantResult> variants) {
    }

    record VariantResult(String variant, double width, int inputs, List<SplitResult> splits,
            Map<String, CodecSummary> summary) {
    }

    record SplitResult(String split, int headOperators, int crossingTensors, long rawBytes,
            Map<String, CodecResult> codecs) {
    }

    /** One codec at one split point over every input. */
    record CodecResult(boolean bitExact, double maxAbsDiff, double top1Agreement, long wireBytes,
            double codecMaxAbsError) {
    }

    /** One codec over every split point of a variant. */
    record CodecSummary(int splitPoints, int bitExact, double worstMaxAbsDiff, double minTop1Agreement) {
    }

    private static void printText(Report r, PrintWriter w) {
        w.printf(Locale.ROOT, "Package  %s%nInputs   %s%nTime     %.1f s%n", r.packageDir(), r.inputs(),
                r.elapsedMs() / 1000.0);
        for (VariantResult v : r.variants()) {
            w.printf(Locale.ROOT, "%nVariant %s (width %.2f): %d split points x %d inputs%n", v.variant(), v.width(),
                    v.splits().size(), v.inputs());
            w.printf(Locale.ROOT, "  %-10s %12s %16s %14s%n", "codec", "bit-exact", "worst max|diff|", "min top-1 agree");
            v.summary().forEach((c, s) -> w.printf(Locale.ROOT, "  %-10s %5d / %-5d %16.6f %13.1f%%%n", c,
                    s.bitExact(), s.splitPoints(), s.worstMaxAbsDiff(), 100 * s.minTop1Agreement()));
            w.printf(Locale.ROOT, "  %-12s %5s %8s %10s", "split", "ops", "tensors", "raw bytes");
            for (String c : v.summary().keySet()) {
                w.printf(Locale.ROOT, " %12s", c + " B");
            }
            w.println();
            for (SplitResult s : v.splits()) {
                w.printf(Locale.ROOT, "  %-12s %5d %8d %10d", s.split(), s.headOperators(), s.crossingTensors(),
                        s.rawBytes());
                for (CodecResult c : s.codecs().values()) {
                    w.printf(Locale.ROOT, " %11d%s", c.wireBytes(), c.top1Agreement() < 1 ? "!" : c.bitExact() ? "=" : " ");
                }
                w.println();
            }
        }
        w.println();
        w.println("'=' bit-exact with the full model, '!' top-1 differs on some input.");
    }

}
