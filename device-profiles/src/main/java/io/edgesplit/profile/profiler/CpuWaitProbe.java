package io.edgesplit.profile.profiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.OptionalLong;

/**
 * Reads how long this process's threads have waited for a CPU while runnable, so the profiler can say
 * how disturbed a measurement was: on a machine shared with other work, a run that waited for a core
 * is slower for reasons that have nothing to do with the segment. The default sums the second field
 * ({@code run_delay}, nanoseconds) of {@code /proc/self/task/<tid>/schedstat} over all threads, which
 * Linux and Android kernels with {@code CONFIG_SCHED_INFO} provide; elsewhere it is unavailable.
 * Implementations must not throw.
 */
@FunctionalInterface
public interface CpuWaitProbe {

    /** Waiting is never known. */
    CpuWaitProbe UNAVAILABLE = OptionalLong::empty;

    /** Total nanoseconds this process's threads have spent runnable but not running, or empty. */
    OptionalLong runQueueWaitNanos();

    /** The sum over {@code /proc/self/task/<tid>/schedstat}. */
    static CpuWaitProbe procSelfTasks() {
        return procTasks(Paths.get("/proc/self/task"));
    }

    /** The sum over {@code <tasks>/<tid>/schedstat} (tests point it at a fake tree). */
    static CpuWaitProbe procTasks(Path tasks) {
        return () -> {
            long sum = 0;
            boolean any = false;
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
                for (Path thread : threads) {
                    try {
                        String[] fields = new String(Files.readAllBytes(thread.resolve("schedstat")),
                                StandardCharsets.ISO_8859_1).trim().split("\\s+");
                        sum += Long.parseLong(fields[1]);
                        any = true;
                    } catch (IOException | RuntimeException e) {
                        // a thread that ended meanwhile, or a kernel without the file: skip it
                    }
                }
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
            return any ? OptionalLong.of(sum) : OptionalLong.empty();
        };
    }
}
