package io.edgesplit.profile.profiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.OptionalLong;

/**
 * Reads how much memory this process holds, for the profiler's memory figures. The default reads
 * the resident set size ({@code VmRSS}) from {@code /proc/self/status}, which Linux and Android
 * provide; elsewhere the figure is unavailable rather than guessed. Implementations must be cheap
 * and must not throw.
 */
@FunctionalInterface
public interface MemoryProbe {

    /** Memory is never available. */
    MemoryProbe UNAVAILABLE = OptionalLong::empty;

    /** Resident bytes of this process now, or empty when this platform does not say. */
    OptionalLong residentBytes();

    /** {@code VmRSS} of {@code /proc/self/status} (Linux, Android); unavailable when that file is missing. */
    static MemoryProbe procSelfStatus() {
        return procStatus(Paths.get("/proc/self/status"));
    }

    /** {@code VmRSS} of a {@code /proc/<pid>/status}-format file (tests point it at a fake one). */
    static MemoryProbe procStatus(Path statusFile) {
        return () -> {
            try {
                for (String line : Files.readAllLines(statusFile, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("VmRSS:")) {
                        String[] parts = line.substring(6).trim().split("\\s+");
                        long value = Long.parseLong(parts[0]);
                        // the kernel always writes kB (KiB)
                        return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                    }
                }
                return OptionalLong.empty();
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        };
    }
}
