package io.edgesplit.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The demo's live line: elapsed seconds as a progress bar (me.tongfei progressbar) with the last
 * picture's plan, latency and the uplink rate as its message. Silent when disabled.
 */
final class DemoProgress implements AutoCloseable {

    private final ProgressBar bar;

    DemoProgress(boolean enabled, PrintStream stream, double durationSeconds) {
        this.bar = !enabled ? null : new ProgressBarBuilder().setTaskName("demo").setInitialMax((long) durationSeconds)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setMaxRenderedLength(150)
                .setUnit(" s", 1).setConsumer(new ConsoleProgressBarConsumer(stream)).build();
    }

    void update(double atSeconds, DemoReport.Row row, DemoReport report) {
        if (bar == null) {
            return;
        }
        bar.stepTo((long) atSeconds);
        bar.setExtraMessage(String.format(Locale.ROOT, "up %4.1f Mb/s | %-34s %6.1f ms | %s", row.uplinkMbps,
                row.where.equals("fallback") ? "fell back: " + row.variant : row.plan, row.latencyMillis, row.label));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
