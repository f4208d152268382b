package io.edgesplit.common;

/**
 * Receives progress of long work (splitting, profiling, simulating) so that a CLI can draw a
 * progress bar and an app can show a spinner; libraries never print progress themselves.
 * Implementations must be cheap and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * Reports that {@code done} of {@code total} steps of {@code task} are finished ({@code total}
     * may be -1 when unknown). Called from the working thread.
     */
    void onProgress(String task, long done, long total);
}
