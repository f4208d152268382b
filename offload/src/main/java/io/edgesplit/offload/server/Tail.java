package io.edgesplit.offload.server;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.protocol.SegmentId;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tail segment the server serves: its identity, interface (from the package manifest), the
 * compiled model (loaded from the package, hash re-checked, on first use) and a running estimate of
 * its compute time for admission control. Thread-safe.
 */
@ServerOnly
final class Tail {

    /** Weight of the newest sample in the compute-time estimate. */
    private static final double EWMA_ALPHA = 0.2;

    private final SegmentId id;
    private final String sha256;
    private final ModelPackage pkg;
    private final String label;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final AtomicLong estimateNs = new AtomicLong();
    private volatile CompiledModel model;
    private boolean closed;

    Tail(String sha256, ModelPackage pkg, String label, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this.sha256 = sha256;
        this.id = SegmentId.fromHex(sha256);
        this.pkg = pkg;
        this.label = label;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    SegmentId id() {
        return id;
    }

    String sha256() {
        return sha256;
    }

    /** "family w0.50/s012": for logs and model metadata. */
    String label() {
        return label;
    }

    /** Crossing tensors in the tail's input order, as the manifest describes them. */
    List<TensorSpec> inputs() {
        return inputs;
    }

    List<TensorSpec> outputs() {
        return outputs;
    }

    boolean loaded() {
        return model != null;
    }

    /** The compiled tail, loading it (hash verified again) on first use. */
    CompiledModel model(InferenceEngine engine, EngineOptions options) throws IOException {
        CompiledModel m = model;
        if (m != null) {
            return m;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("tail " + label + " is closed");
            }
            if (model == null) {
                model = engine.load(pkg.readSegment(sha256), "segment " + sha256 + " (" + label + ")", options);
            }
            return model;
        }
    }

    /** Expected compute time in ns; 0 until the first run (admission is optimistic about the unknown). */
    long estimateNs() {
        return estimateNs.get();
    }

    void recordComputeNs(long ns) {
        estimateNs.updateAndGet(old -> old == 0 ? ns : (long) (old + EWMA_ALPHA * (ns - old)));
    }

    synchronized void close() {
        closed = true;
        if (model != null) {
            model.close();
            model = null;
        }
    }

    @Override
    public String toString() {
        return label + " (" + sha256.substring(0, 12) + ")";
    }
}
