package io.edgesplit.cli;

import io.edgesplit.common.ProgressListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws library progress (splitting, profiling, simulating) as progress bars on standard error,
 * one bar per task, with the me.tongfei progressbar library. Silent when disabled.
 */
final class CliProgress implements ProgressListener, AutoCloseable {

    private final boolean enabled;
    private final PrintStream stream;
    private ProgressBar bar;
    private String task;

    CliProgress(boolean enabled) {
        this(enabled, System.err);
    }

    CliProgress(boolean enabled, PrintStream stream) {
        this.enabled = enabled;
        this.stream = stream;
    }

    @Override
    public void onProgress(String newTask, long done, long total) {
        if (!enabled) {
            return;
        }
        if (bar == null || !newTask.equals(task)) {
            closeBar();
            task = newTask;
            bar = new ProgressBarBuilder()
                    .setTaskName(newTask)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .showSpeed()
                    .setMaxRenderedLength(100)
                    .setConsumer(new ConsoleProgressBarConsumer(stream))
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                    .build();
        }
        if (total >= 0 && bar.getMax() != total) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
