package io.edgesplit.modelpackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelBuilder;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.graph.UnsplittableModelException;
import io.edgesplit.graph.WidthSlicer;
import io.edgesplit.tensor.DataType;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Package writing, loading and tamper detection on the synthetic family (no shared data needed). */
class ModelPackageTest {

    private static List<VariantSource> family;

    @BeforeAll
    static void buildFamily() throws IOException {
        ModelGraph full = SyntheticModels.slimmableCnn(SyntheticModels.DEFAULT_SEED);
        String sha = Sha256.of(full.toBytes());
        family = new ArrayList<>();
        family.add(new VariantSource(WidthSlicer.slice(full, 0.25), "synthetic", sha, 0.25, null, false, "w1.00"));
        family.add(new VariantSource(WidthSlicer.slice(full, 0.5), "synthetic", sha, 0.5, null, false, "w1.00"));
        family.add(VariantSource.of(full, "synthetic", sha, 1.0, 0.7));
    }

    private static ModelPackage write(Path dir) throws IOException {
        PackageBuilder b = new PackageBuilder("synthetic").codecs(List.of("fp16", "int8"));
        family.forEach(b::addVariant);
        return b.write(dir, false);
    }

    @Test
    void writesAVerifiedPackageWithEverySplitPoint(@TempDir Path tmp) throws IOException {
        List<long[]> progress = new ArrayList<>();
        PackageBuilder b = new PackageBuilder("synthetic").progress((task, done, total) -> progress.add(new long[] {done, total}));
        family.forEach(b::addVariant);
        ModelPackage pkg = b.write(tmp.resolve("pkg"), false);
        assertEquals(List.of("w0.25", "w0.50", "w1.00"), pkg.variants().stream().map(Variant::id).toList());
        Variant v = pkg.variant("w0.25");
        assertEquals(v.operatorCount() + 1, v.splits().size());
        assertTrue(v.fullOffload().isFullOffload());
        assertNull(v.fullOffload().headSegment());
        assertTrue(v.fullLocal().isFullLocal());
        assertFalse(v.calibrated());
        assertEquals("w1.00", v.derivedFrom());
        assertEquals(0.7, pkg.variant("w1.00").accuracy());
        // the full model is the tail of full offload and the head of full local: stored once
        assertEquals(v.fullOffload().tailSegment(), v.fullLocal().headSegment());
        long totalSplits = pkg.variants().stream().mapToLong(x -> x.splits().size()).sum();
        assertEquals(totalSplits, progress.get(progress.size() - 1)[0]);
        assertEquals(totalSplits, progress.get(progress.size() - 1)[1]);
        assertTrue(pkg.variants().stream().flatMap(x -> x.splits().stream()).anyMatch(s -> s.crossing().size() == 2));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("pkg")), files.toList(), "no temporary directory left behind");
        }
    }

    @Test
    void manifestRoundTripsThroughJson(@TempDir Path tmp) throws IOException {
        ModelPackage pkg = write(tmp.resolve("pkg"));
        String json = pkg.manifest().toJson();
        PackageManifest again = PackageManifest.parse(json.getBytes(), "again.json");
        assertEquals(json, again.toJson());
    }

    @Test
    void tamperedSegmentIsRefusedNamingTheFileAndBothHashes(@TempDir Path tmp) throws IOException {
        ModelPackage pkg = write(tmp.resolve("pkg"));
        String sha = pkg.variant("w0.50").splits().get(5).tailSegment();
        Path file = pkg.segmentPath(sha);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> ModelPackage.load(tmp.resolve("pkg")));
        String actual = Sha256.of(bytes);
        assertEquals(file + ": sha256 mismatch: the manifest says " + sha + ", the file hashes to " + actual,
                e.getMessage());
        // a package loaded before the change refuses the segment when it is read
        assertThrows(PackageFormatException.class, () -> pkg.readSegment(sha));
    }

    @Test
    void missingSegmentIsNamed(@TempDir Path tmp) throws IOException {
        ModelPackage pkg = write(tmp.resolve("pkg"));
        String sha = pkg.variant("w1.00").splits().get(3).headSegment();
        Files.delete(pkg.segmentPath(sha));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> ModelPackage.load(tmp.resolve("pkg")));
        assertEquals(pkg.segmentPath(sha) + ": segment " + sha + " is missing", e.getMessage());
    }

    @Test
    void corruptManifestFieldsAreNamedByPath(@TempDir Path tmp) throws IOException {
        ModelPackage pkg = write(tmp.resolve("pkg"));
        Path manifest = tmp.resolve("pkg").resolve("manifest.json");
        String json = Files.readString(manifest);
        assertManifestError(manifest, json.replaceFirst("\"width\" : 0.5", "\"width\" : 1.5"),
                "variants[1].width: must be in (0, 1], was 1.5");
        assertManifestError(manifest, json.replaceFirst("\"formatVersion\" : 1", "\"formatVersion\" : 7"),
                "formatVersion: 7 is not supported; this EdgeSplit reads version 1");
        String someTail = pkg.variant("w0.25").splits().get(2).tailSegment();
        assertManifestError(manifest, json.replaceFirst("\"tailSegment\" : \"" + someTail + "\"",
                "\"tailSegment\" : \"" + "0".repeat(64) + "\""),
                "variants[0].splits[2].tailSegment: '" + "0".repeat(64) + "' is not a segment listed in 'segments'");
        assertManifestError(manifest, json.replaceFirst("\"datatype\" : \"FP32\"", "\"datatype\" : \"FLOAT\""),
                "variants[0].inputs[0].datatype: unknown Open Inference Protocol type 'FLOAT', expected one of BOOL, "
                        + "UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES");
        assertManifestError(manifest, json.replaceFirst("\"file\" : \"segments/", "\"file\" : \"../../etc/"),
                "segments[0].file: must be 'segments/");
        assertManifestError(manifest, "{ \"format\": ", "1:13: invalid JSON");
    }

    private static void assertManifestError(Path manifest, String content, String expected) throws IOException {
        String original = Files.readString(manifest);
        Files.writeString(manifest, content);
        try {
            PackageFormatException e = assertThrows(PackageFormatException.class,
                    () -> ModelPackage.load(manifest.getParent()));
            assertTrue(e.getMessage().startsWith(manifest + ": " + expected)
                    || e.getMessage().startsWith(manifest + ":" + expected), e.getMessage());
        } finally {
            Files.writeString(manifest, original);
        }
    }

    @Test
    void existingTargetIsKeptUnlessReplaced(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("pkg");
        write(dir);
        assertThrows(FileAlreadyExistsException.class, () -> write(dir));
        PackageBuilder b = new PackageBuilder("again");
        b.addVariant(family.get(2));
        ModelPackage replaced = b.write(dir, true);
        assertEquals("again", replaced.manifest().family());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "the old package and the temporary directory are gone");
        }
    }

    @Test
    void failedSplitLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        ModelBuilder mb = new ModelBuilder("no-ops");
        int in = mb.input("x", DataType.FP32, 1, 4);
        mb.output(in);
        PackageBuilder b = new PackageBuilder("broken");
        b.addVariant(family.get(2));
        b.addVariant(VariantSource.of(mb.build(), "no-ops.tflite", "0".repeat(64), 0.3, null));
        assertThrows(UnsplittableModelException.class, () -> b.write(tmp.resolve("pkg"), false));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no package and no temporary directory");
        }
    }

    @Test
    void derivedVariantNeedsItsParent(@TempDir Path tmp) {
        PackageBuilder b = new PackageBuilder("orphan");
        b.addVariant(family.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.write(tmp.resolve("p"), false));
        assertEquals("variant w0.25 is derived from w1.00, which is not in the package; add that variant too",
                e.getMessage());
    }

    @Test
    void twoVariantsCannotShareAWidth() {
        PackageBuilder b = new PackageBuilder("dup");
        b.addVariant(family.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.addVariant(family.get(0)));
        assertTrue(e.getMessage().contains("is already taken"), e.getMessage());
    }
}
