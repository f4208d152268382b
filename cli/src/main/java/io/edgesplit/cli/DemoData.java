package io.edgesplit.cli;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.router.sim.BandwidthTrace;
import io.edgesplit.router.sim.LinkTrace;
import io.edgesplit.router.sim.TraceReaders;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What the demo runs on: a model family, pictures, labels and a bandwidth trace. Real ones from
 * {@code ../shared/data} when that directory is next to the repository (or named by
 * {@code EDGESPLIT_SHARED_DATA}), else the built-in synthetic family, generated pictures and a
 * generated trace, so a fresh clone needs nothing downloaded.
 */
final class DemoData {

    /** MobileNet V1 (uint8) with the published ImageNet top-1 of the quantized models. */
    static final String[][] MOBILENET_V1 = {
        {"mobilenet_v1_0.25_128_quant.tflite", "0.25", "0.399"},
        {"mobilenet_v1_0.5_160_quant.tflite", "0.5", "0.577"},
        {"mobilenet_v1_0.75_192_quant.tflite", "0.75", "0.662"},
    };
    /** Accuracies given to the synthetic family so budgets can trade width for accuracy (illustrative). */
    static final double[] SYNTHETIC_ACCURACY = {0.50, 0.60, 0.66, 0.70};

    final String familyName;
    final String modelsDescription;
    final List<VariantSource> variants;
    final List<Picture> pictures;
    final List<String> labels;
    final LinkTrace trace;
    final String traceDescription;

    /** Packed ARGB pixels with a name. */
    record Picture(String name, int[] argb, int width, int height) {
    }

    private DemoData(String familyName, String modelsDescription, List<VariantSource> variants,
            List<Picture> pictures, List<String> labels, LinkTrace trace, String traceDescription) {
        this.familyName = familyName;
        this.modelsDescription = modelsDescription;
        this.variants = variants;
        this.pictures = pictures;
        this.labels = labels;
        this.trace = trace;
        this.traceDescription = traceDescription;
    }

    static DemoData resolve(Path modelsDir, boolean forceSynthetic, Path traceFile) throws IOException {
        Path shared = sharedData();
        String familyName;
        String modelsDescription;
        List<VariantSource> variants;
        Path modelSource = modelsDir != null ? modelsDir : (!forceSynthetic && shared != null
                ? shared.resolve("models") : null);
        if (modelSource != null) {
            variants = new ArrayList<>();
            for (String[] m : MOBILENET_V1) {
                Path file = modelSource.resolve(m[0]);
                if (!Files.isRegularFile(file)) {
                    throw new CliException("--models " + modelSource + ": " + m[0] + " is missing (the demo uses "
                            + "MobileNet V1 0.25_128, 0.5_160 and 0.75_192, uint8)");
                }
                variants.add(VariantSource.of(ModelGraph.read(file), m[0], Sha256.of(file), Double.parseDouble(m[1]),
                        Double.parseDouble(m[2])));
            }
            familyName = "mobilenet_v1_quant";
            modelsDescription = "MobileNet V1 uint8 at widths 0.25/0.5/0.75 from " + modelSource
                    + " (published ImageNet top-1 0.399/0.577/0.662)";
        } else {
            List<ModelGraph> family = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
            double[] widths = {0.25, 0.5, 0.75, 1.0};
            variants = new ArrayList<>();
            for (int i = 0; i < family.size(); i++) {
                byte[] bytes = family.get(i).toBytes();
                variants.add(VariantSource.of(family.get(i), SyntheticModels.fileName(widths[i]), Sha256.of(bytes),
                        widths[i], SYNTHETIC_ACCURACY[i]));
            }
            familyName = "synthetic_slimmable";
            modelsDescription = "the built-in synthetic slimmable CNN at widths 0.25-1.0 (random weights; "
                    + "accuracies 0.50/0.60/0.66/0.70 are illustrative, so budgets have something to trade)";
        }

        List<Picture> pictures = new ArrayList<>();
        List<String> labels = Collections.emptyList();
        if (shared != null && Files.isDirectory(shared.resolve("images"))) {
            for (String name : new String[] {"burger.jpg", "grace_hopper.jpg"}) {
                Path f = shared.resolve("images").resolve(name);
                if (Files.isRegularFile(f)) {
                    ImageFiles.Pixels p = ImageFiles.read(f);
                    pictures.add(new Picture(name, p.argb(), p.width(), p.height()));
                }
            }
            Path labelFile = shared.resolve("labels").resolve("imagenet_1001_labels.txt");
            if (Files.isRegularFile(labelFile)) {
                labels = Files.readAllLines(labelFile, StandardCharsets.UTF_8);
            }
        }
        if (pictures.isEmpty()) {
            pictures.add(generatedPicture("generated-1", 1));
            pictures.add(generatedPicture("generated-2", 2));
        }

        LinkTrace trace;
        String traceDescription;
        Path traceSource = traceFile != null ? traceFile : (shared != null
                ? shared.resolve("traces/mahimahi_cellular/Verizon-LTE-short.up") : null);
        if (traceSource != null && Files.isRegularFile(traceSource)) {
            trace = TraceReaders.read(traceSource);
            traceDescription = traceSource.getFileName() + " (" + trace.format() + ", real measurements)";
        } else if (traceFile != null) {
            throw new CliException("--trace " + traceFile + ": no such file");
        } else {
            trace = LinkTrace.symmetric("generated", generatedTrace());
            traceDescription = "a generated LTE-like trace (8 Mbit/s, a dip to 0.5-1 Mbit/s, recovery)";
        }
        return new DemoData(familyName, modelsDescription, variants, pictures, labels, trace, traceDescription);
    }

    /** ../shared/data next to the repository that holds this jar, or EDGESPLIT_SHARED_DATA, or under the working directory's parents. */
    static Path sharedData() {
        String override = System.getProperty("EDGESPLIT_SHARED_DATA", System.getenv("EDGESPLIT_SHARED_DATA"));
        if (override != null && !override.trim().isEmpty()) {
            Path p = Paths.get(override);
            return Files.isDirectory(p) ? p : null;
        }
        List<Path> starts = new ArrayList<>();
        try {
            Path jar = Paths.get(DemoData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            starts.add(jar.toAbsolutePath().getParent());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: only the working directory is searched
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            Path dir = start;
            for (int i = 0; i < 5 && dir != null; i++) {
                Path candidate = dir.resolve("shared").resolve("data");
                if (Files.isDirectory(candidate.resolve("models"))) {
                    return candidate;
                }
                dir = dir.getParent();
            }
        }
        return null;
    }

    /** A deterministic picture: soft colour gradients with blobs (not a real object, just image-like input). */
    static Picture generatedPicture(String name, long seed) {
        int w = 256;
        int h = 256;
        Random r = new Random(seed);
        int[] argb = new int[w * h];
        double cx = r.nextDouble() * w;
        double cy = r.nextDouble() * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - cx, y - cy) / w;
                int red = (int) (255 * Math.abs(Math.sin(d * 6 + seed)));
                int green = (x * 255) / w;
                int blue = (y * 255) / h;
                argb[y * w + x] = 0xff000000 | (red << 16) | (green << 8) | blue;
            }
        }
        return new Picture(name, argb, w, h);
    }

    /**
     * 140 s: 8 Mbit/s with jitter for 36 s, a dip to 0.4-1 Mbit/s until 70 s (a cell edge), then back
     * to 6-11 Mbit/s. Deterministic. Replayed twice as fast by default, like the real trace.
     */
    static BandwidthTrace generatedTrace() {
        Random r = new Random(7);
        int seconds = 140;
        double[] starts = new double[seconds];
        double[] rates = new double[seconds];
        for (int s = 0; s < seconds; s++) {
            starts[s] = s * 1000.0;
            double mbps;
            if (s < 36) {
                mbps = 7 + 2 * r.nextDouble();
            } else if (s < 70) {
                mbps = 0.4 + 0.6 * r.nextDouble();
            } else {
                mbps = 6 + 5 * r.nextDouble();
            }
            rates[s] = mbps * 1e6;
        }
        return BandwidthTrace.of("generated-lte", starts, rates, seconds * 1000.0);
    }
}
