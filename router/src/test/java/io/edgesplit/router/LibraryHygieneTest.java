package io.edgesplit.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The router is a library for devices: it must run on Android and never read a clock of its own. */
class LibraryHygieneTest {

    private static final List<String> ANDROID_MISSING = List.of("import java.awt", "import javax.imageio",
            "import javax.management", "import java.net.http", "import java.beans", "import com.sun.", "import sun.");
    private static final List<String> CLOCKS = List.of("System.nanoTime", "System.currentTimeMillis", "Instant.now",
            "Clock.system", "LocalDateTime.now", "new Date()");

    private static List<String> offending(List<String> patterns, boolean prefix) throws IOException {
        Path main = Paths.get("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the module directory");
        try (Stream<Path> files = Files.walk(main)) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(l -> patterns.stream().anyMatch(x -> prefix ? l.startsWith(x) : l.contains(x)))
                            .map(l -> main.relativize(p) + ": " + l.strip());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    @Test
    void mainCodeImportsNothingAndroidLacks() throws IOException {
        assertEquals(List.of(), offending(ANDROID_MISSING, true));
    }

    @Test
    void plannerPoliciesAndSimulatorReadNoClock() throws IOException {
        assertEquals(List.of(), offending(CLOCKS, false));
    }
}
