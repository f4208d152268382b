package io.edgesplit.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the real data shared next to the repository ({@code ../shared/data}: models, images,
 * traces, power profiles). Tests that need it call {@link #require()}, which skips the test with a
 * clear message on a fresh clone where the directory is absent. Override the location with the
 * system property or environment variable {@code EDGESPLIT_SHARED_DATA}.
 */
public final class SharedData {

    private static final Path ROOT = locate();

    private SharedData() {
    }

    private static Path locate() {
        String override = System.getProperty("EDGESPLIT_SHARED_DATA", System.getenv("EDGESPLIT_SHARED_DATA"));
        if (override != null && !override.isBlank()) {
            Path p = Paths.get(override);
            return Files.isDirectory(p) ? p : null;
        }
        // Tests run in a module directory; the data sits next to the repository root.
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("models"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    public static boolean isPresent() {
        return ROOT != null;
    }

    /** The data directory; skips the calling test when it is absent. */
    public static Path require() {
        assumeTrue(ROOT != null, "../shared/data is absent (a fresh clone): skipping this test, which needs the "
                + "real models/images/traces; set EDGESPLIT_SHARED_DATA to run it");
        return ROOT;
    }

    public static Path model(String fileName) {
        return existing(require().resolve("models").resolve(fileName));
    }

    public static Path image(String fileName) {
        return existing(require().resolve("images").resolve(fileName));
    }

    public static Path trace(String relative) {
        return existing(require().resolve("traces").resolve(relative));
    }

    public static Path file(String relative) {
        return existing(require().resolve(relative));
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared data is present but " + p + " is missing");
        }
        return p;
    }
}
