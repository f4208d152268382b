package io.edgesplit.offload.testing;

import io.edgesplit.common.Sha256;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.graph.WidthSlicer;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The synthetic slimmable model (width 0.25) as a real, hash-verified model package, built once per
 * test JVM; plus a "split" helper that runs the head locally on a random image to get real crossing
 * tensors, and the local tail for reference outputs.
 */
public final class TestPackages {

    private static ModelPackage synthetic;

    private TestPackages() {
    }

    /** The package (built on first use into a temporary directory deleted at exit). */
    public static synchronized ModelPackage synthetic() {
        if (synthetic == null) {
            try {
                Path dir = Files.createTempDirectory("edgesplit-offload-test");
                ModelGraph full = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED);
                String sha = Sha256.of(full.toBytes());
                PackageBuilder b = new PackageBuilder("synthetic").codecs(List.of("raw", "fp16", "int8"));
                b.addVariant(new VariantSource(WidthSlicer.slice(full, 0.25), "synthetic", sha, 0.25, null, false, null));
                synthetic = b.write(dir.resolve("pkg"), false);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return synthetic;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files; the OS cleans up
        }
    }

    /** A split point of the package's only variant with a head and a tail, about {@code depth} of the way in. */
    public static SplitPoint split(ModelPackage pkg, double depth) {
        Variant v = pkg.variants().get(0);
        List<SplitPoint> inner = new ArrayList<>();
        for (SplitPoint s : v.splits()) {
            if (!s.isFullLocal() && !s.isFullOffload()) {
                inner.add(s);
            }
        }
        return inner.get(Math.min(inner.size() - 1, (int) (depth * inner.size())));
    }

    /** A split point whose crossing has two tensors (a residual block), or null. */
    public static SplitPoint twoTensorSplit(ModelPackage pkg) {
        for (SplitPoint s : pkg.variants().get(0).splits()) {
            if (s.crossing().size() == 2 && !s.isFullLocal()) {
                return s;
            }
        }
        return null;
    }

    /** Head and tail of one split point, compiled locally. */
    public static final class LocalSplit implements AutoCloseable {
        public final ModelPackage pkg;
        public final SplitPoint split;
        public final CompiledModel head;
        public final CompiledModel tail;

        public LocalSplit(ModelPackage pkg, SplitPoint split) throws IOException {
            this.pkg = pkg;
            this.split = split;
            EngineOptions o = EngineOptions.defaults();
            this.head = TfLiteEngine.get().load(pkg.readSegment(split.headSegment()), "head", o);
            this.tail = TfLiteEngine.get().load(pkg.readSegment(split.tailSegment()), "tail", o);
        }

        /** Runs the head on a random image (seeded) and returns copies of the crossing tensors. */
        public List<Tensor> crossing(long seed) {
            try (Session s = head.newSession()) {
                Random r = new Random(seed);
                Tensor in = s.input(0);
                for (int i = 0; i < in.elementCount(); i++) {
                    in.putFloat(i, r.nextFloat());
                }
                s.run();
                List<Tensor> out = new ArrayList<>();
                for (TensorDescriptor d : split.crossing()) {
                    Tensor src = s.output(d.name());
                    Tensor copy = Tensor.allocate(d.spec());
                    copy.copyFrom(src);
                    out.add(copy);
                }
                return out;
            }
        }

        /** Runs the tail locally on {@code crossing}; copies of its outputs. */
        public List<Tensor> tailOutputs(List<Tensor> crossing) {
            try (Session s = tail.newSession()) {
                for (int i = 0; i < crossing.size(); i++) {
                    s.setInput(i, crossing.get(i));
                }
                s.run();
                List<Tensor> out = new ArrayList<>();
                for (int i = 0; i < s.outputCount(); i++) {
                    Tensor copy = Tensor.allocate(s.output(i).spec());
                    copy.copyFrom(s.output(i));
                    out.add(copy);
                }
                return out;
            }
        }

        public OffloadRequest request(List<Tensor> crossing, String codec) {
            List<TensorSpec> outs = new ArrayList<>();
            for (TensorDescriptor d : pkg.variants().get(0).outputs()) {
                outs.add(d.spec());
            }
            return OffloadRequest.builder().segmentSha256(split.tailSegment()).codecName(codec).inputs(crossing)
                    .outputSpecs(outs).label(split.id()).build();
        }

        @Override
        public void close() {
            head.close();
            tail.close();
        }
    }
}
