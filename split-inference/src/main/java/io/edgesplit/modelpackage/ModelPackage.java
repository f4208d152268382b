package io.edgesplit.modelpackage;

import io.edgesplit.common.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model package on disk: a directory with {@code manifest.json} and content-addressed segment
 * files. {@link #load} validates the manifest and checks every segment's size and SHA-256 before
 * returning, and {@link #readSegment} checks the hash again when a segment is read, so a package
 * tampered with after loading is still refused. Immutable and thread-safe.
 */
public final class ModelPackage {

    public static final String MANIFEST = "manifest.json";

    private final Path directory;
    private final PackageManifest manifest;

    private ModelPackage(Path directory, PackageManifest manifest) {
        this.directory = directory;
        this.manifest = manifest;
    }

    /**
     * Loads and verifies a package.
     *
     * @throws PackageFormatException naming the manifest field or the segment file and the reason
     *     (missing, wrong size, hash mismatch with both hashes shown)
     */
    public static ModelPackage load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new PackageFormatException(directory + ": not a model package directory"
                    + (Files.exists(directory) ? "" : " (does not exist)"));
        }
        Path manifestFile = directory.resolve(MANIFEST);
        long size;
        try {
            size = Files.size(manifestFile);
        } catch (NoSuchFileException e) {
            throw new PackageFormatException(manifestFile + ": missing; a model package has a manifest.json", e);
        }
        if (size > PackageManifest.MAX_MANIFEST_BYTES) {
            throw new PackageFormatException(manifestFile + ": " + size + " bytes, above the manifest limit of "
                    + PackageManifest.MAX_MANIFEST_BYTES);
        }
        PackageManifest manifest = PackageManifest.parse(Files.readAllBytes(manifestFile), manifestFile.toString());
        for (SegmentRef segment : manifest.segments().values()) {
            verify(directory, segment);
        }
        return new ModelPackage(directory, manifest);
    }

    private static byte[] verify(Path directory, SegmentRef segment) throws IOException {
        Path file = directory.resolve(segment.file());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageFormatException(file + ": segment " + segment.sha256() + " is missing");
        }
        long size = Files.size(file);
        if (size != segment.bytes()) {
            throw new PackageFormatException(file + ": segment is " + size + " bytes, the manifest says "
                    + segment.bytes());
        }
        byte[] bytes = Files.readAllBytes(file);
        String actual = Sha256.of(bytes);
        if (!actual.equals(segment.sha256())) {
            throw new PackageFormatException(file + ": sha256 mismatch: the manifest says " + segment.sha256()
                    + ", the file hashes to " + actual);
        }
        return bytes;
    }

    public Path directory() {
        return directory;
    }

    public PackageManifest manifest() {
        return manifest;
    }

    public List<Variant> variants() {
        return manifest.variants();
    }

    public Variant variant(String id) {
        return manifest.variant(id);
    }

    /**
     * Reads a segment and checks its hash again.
     *
     * @throws IllegalArgumentException when the package has no such segment
     * @throws PackageFormatException when the file changed since the package was loaded
     */
    public ByteBuffer readSegment(String sha256) throws IOException {
        SegmentRef ref = manifest.segments().get(sha256);
        if (ref == null) {
            throw new IllegalArgumentException("package " + directory + " has no segment " + sha256);
        }
        return ByteBuffer.wrap(verify(directory, ref));
    }

    /** Path of a segment file (for engines that load from files). */
    public Path segmentPath(String sha256) {
        SegmentRef ref = manifest.segments().get(sha256);
        if (ref == null) {
            throw new IllegalArgumentException("package " + directory + " has no segment " + sha256);
        }
        return directory.resolve(ref.file());
    }

    @Override
    public String toString() {
        return "ModelPackage{" + directory + ", " + manifest.family() + ", " + manifest.variants().size() + " variants}";
    }
}
