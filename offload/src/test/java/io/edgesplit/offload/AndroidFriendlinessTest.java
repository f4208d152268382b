package io.edgesplit.offload;

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

/**
 * The client side runs on Android: outside the server package, main code imports nothing Android
 * lacks, and nothing from Netty (a server-only dependency).
 */
class AndroidFriendlinessTest {

    private static final List<String> FORBIDDEN = List.of("import java.awt", "import javax.imageio",
            "import javax.management", "import java.net.http", "import java.beans", "import com.sun.", "import sun.",
            "import io.netty");

    @Test
    void clientCodeImportsNothingAndroidLacks() throws IOException {
        Path main = Paths.get("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the module directory");
        Path server = main.resolve("io/edgesplit/offload/server");
        List<String> offending;
        try (Stream<Path> files = Files.walk(main)) {
            offending = files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(server)).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> FORBIDDEN.stream().anyMatch(l::startsWith))
                            .map(l -> main.relativize(p) + ": " + l);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertEquals(List.of(), offending);
    }
}
