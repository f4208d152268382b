package io.edgesplit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates {@code ../shared/data} for benchmarks (run from the repository root or a module), or
 * the directory named by the {@code edgesplit.shared} system property.
 */
public final class BenchmarkData {

    private BenchmarkData() {
    }

    public static Path root() {
        String override = System.getProperty("edgesplit.shared");
        if (override != null) {
            return Paths.get(override);
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("models"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("../shared/data not found from " + Paths.get("").toAbsolutePath()
                + "; run from the repository root or pass -Dedgesplit.shared=/path/to/shared/data");
    }

    public static Path model(String fileName) {
        Path p = root().resolve("models").resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("model not found: " + p);
        }
        return p;
    }
}
