package io.edgesplit.modelpackage;

import java.util.Collections;
import io.edgesplit.common.ProgressListener;
import io.edgesplit.common.Sha256;
import io.edgesplit.graph.Cut;
import io.edgesplit.graph.CutEnumerator;
import io.edgesplit.graph.GraphTensor;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SegmentExtractor;
import io.edgesplit.graph.UnsplittableModelException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Turns models into a package: enumerates each variant's cuts, extracts head and tail segments,
 * stores each distinct segment once under its SHA-256, and writes the manifest. The package is
 * assembled in a temporary directory next to the target and renamed into place, so a failure never
 * leaves half a package behind.
 */
public final class PackageBuilder {

    private final String family;
    private final List<VariantSource> variants = new ArrayList<>();
    private int maxCrossing = CutEnumerator.DEFAULT_MAX_CROSSING;
    private List<String> codecs = Collections.singletonList("raw");
    private String createdBy = "edgesplit";
    private ProgressListener progress = ProgressListener.NONE;

    public PackageBuilder(String family) {
        if (family == null || family.trim().isEmpty()) {
            throw new IllegalArgumentException("family: must be a non-empty name");
        }
        this.family = family;
    }

    public PackageBuilder addVariant(VariantSource variant) {
        for (VariantSource v : variants) {
            if (v.variantId().equals(variant.variantId())) {
                throw new IllegalArgumentException("width " + variant.width() + " (" + variant.sourceFile()
                        + ") is already taken by " + v.sourceFile() + "; each variant needs its own width");
            }
        }
        variants.add(variant);
        return this;
    }

    /** K: at most this many tensors cross at a split point (default 2). */
    public PackageBuilder maxCrossing(int k) {
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("maxCrossing: must be between 1 and 64, was " + k);
        }
        this.maxCrossing = k;
        return this;
    }

    /** Codecs the crossing tensors may be sent with; "raw" is always allowed. */
    public PackageBuilder codecs(List<String> names) {
        List<String> list = new ArrayList<>();
        list.add("raw");
        for (String n : names) {
            if (!list.contains(n)) {
                list.add(n);
            }
        }
        this.codecs = list;
        return this;
    }

    public PackageBuilder createdBy(String tool) {
        this.createdBy = Objects.requireNonNull(tool, "createdBy");
        return this;
    }

    public PackageBuilder progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "progress");
        return this;
    }

    /**
     * Builds the package into {@code target}.
     *
     * @param replace replace an existing package at {@code target}; otherwise an existing target is an error
     * @throws UnsplittableModelException when a variant cannot be split (naming the model and operator)
     */
    public ModelPackage write(Path target, boolean replace) throws IOException {
        if (variants.isEmpty()) {
            throw new IllegalStateException("no variants added");
        }
        checkDerivations();
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !replace) {
            throw new FileAlreadyExistsException(target + ": already exists (replace it explicitly)");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".tmp-");
        try {
            Files.createDirectories(tmp.resolve("segments"));
            List<VariantSource> ordered = new ArrayList<>(variants);
            ordered.sort(Comparator.comparingDouble(VariantSource::width));
            List<List<Cut>> cutsPerVariant = new ArrayList<>();
            long total = 0;
            for (VariantSource v : ordered) {
                List<Cut> cuts = CutEnumerator.enumerate(v.graph(), maxCrossing);
                cutsPerVariant.add(cuts);
                total += cuts.size();
            }
            Map<String, SegmentRef> segments = new LinkedHashMap<>();
            List<Variant> built = new ArrayList<>();
            long done = 0;
            for (int i = 0; i < ordered.size(); i++) {
                VariantSource v = ordered.get(i);
                List<SplitPoint> splits = new ArrayList<>();
                List<Cut> cuts = cutsPerVariant.get(i);
                for (int c = 0; c < cuts.size(); c++) {
                    Cut cut = cuts.get(c);
                    String head = store(tmp, segments, SegmentExtractor.head(v.graph(), cut));
                    String tail = store(tmp, segments, SegmentExtractor.tail(v.graph(), cut));
                    List<TensorDescriptor> crossing = new ArrayList<>();
                    for (GraphTensor t : cut.crossing()) {
                        crossing.add(new TensorDescriptor(t.spec(), false));
                    }
                    for (GraphTensor t : cut.passthrough()) {
                        crossing.add(new TensorDescriptor(t.spec(), true));
                    }
                    splits.add(new SplitPoint(String.format(Locale.ROOT, "%s/s%03d", v.variantId(), c),
                            cut.headRanges(), cut.headOperatorCount(), cut.tailOperatorCount(), crossing,
                            cut.headMacs(), cut.tailMacs(), cut.headParameters(), cut.tailParameters(), head, tail));
                    progress.onProgress("splitting " + v.variantId(), ++done, total);
                }
                built.add(new Variant(v.variantId(), v.width(), v.accuracy(), v.calibrated(),
                        v.derivedFrom(),
                        v.sourceFile(), v.sourceSha256(), descriptors(v.graph().inputs()),
                        descriptors(v.graph().outputs()), v.graph().operators().size(), v.graph().totalMacs(),
                        v.graph().totalParameters(), splits));
            }
            PackageManifest manifest = new PackageManifest(family, createdBy, maxCrossing, codecs,
                    new ArrayList<>(segments.values()), built);
            Files.write(tmp.resolve(ModelPackage.MANIFEST), manifest.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // Prove the package loads (schema + every hash) before it replaces anything.
            ModelPackage.load(tmp);
            moveIntoPlace(tmp, absolute, replace);
            return ModelPackage.load(absolute);
        } finally {
            deleteRecursively(tmp);
        }
    }

    private void checkDerivations() {
        for (VariantSource v : variants) {
            if (v.derivedFrom() != null
                    && variants.stream().noneMatch(other -> other.variantId().equals(v.derivedFrom()))) {
                throw new IllegalStateException("variant " + v.variantId() + " is derived from " + v.derivedFrom()
                        + ", which is not in the package; add that variant too");
            }
        }
    }

    private static List<TensorDescriptor> descriptors(List<GraphTensor> tensors) {
        List<TensorDescriptor> out = new ArrayList<>();
        for (GraphTensor t : tensors) {
            out.add(new TensorDescriptor(t.spec(), false));
        }
        return out;
    }

    private static String store(Path dir, Map<String, SegmentRef> segments, ModelGraph segment) throws IOException {
        if (segment == null) {
            return null;
        }
        byte[] bytes = segment.toBytes();
        String sha = Sha256.of(bytes);
        if (!segments.containsKey(sha)) {
            Files.write(dir.resolve(SegmentRef.fileFor(sha)), bytes);
            segments.put(sha, new SegmentRef(sha, bytes.length));
        }
        return sha;
    }

    private static void moveIntoPlace(Path tmp, Path target, boolean replace) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            if (!replace) {
                throw new FileAlreadyExistsException(target + ": already exists");
            }
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (old != null) {
            deleteRecursively(old);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>();
            walk.forEach(paths::add);
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
