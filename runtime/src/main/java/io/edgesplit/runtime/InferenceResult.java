package io.edgesplit.runtime;

import io.edgesplit.router.Plan;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * What one inference produced and cost: its outputs (owned by the result), the plan that ran and
 * what the planner predicted for it, stage timings, bytes on the network, a device energy estimate,
 * and whether it fell back to local execution. Immutable.
 */
public final class InferenceResult {

    private final List<Tensor> outputs;
    private final Plan plan;
    private final PlanOutcome predicted;
    private final long totalNanos;
    private final long headNanos;
    private final long offloadNanos;
    private final long serverQueueNanos;
    private final long serverComputeNanos;
    private final long bytesSent;
    private final long bytesReceived;
    private final double energyMillijoules;
    private final boolean fellBack;
    private final Throwable fallbackCause;

    InferenceResult(List<Tensor> outputs, Plan plan, PlanOutcome predicted, long totalNanos, long headNanos,
            long offloadNanos, long serverQueueNanos, long serverComputeNanos, long bytesSent, long bytesReceived,
            double energyMillijoules, boolean fellBack, Throwable fallbackCause) {
        this.outputs = io.edgesplit.common.Lists.copyOf(outputs);
        this.plan = plan;
        this.predicted = predicted;
        this.totalNanos = totalNanos;
        this.headNanos = headNanos;
        this.offloadNanos = offloadNanos;
        this.serverQueueNanos = serverQueueNanos;
        this.serverComputeNanos = serverComputeNanos;
        this.bytesSent = bytesSent;
        this.bytesReceived = bytesReceived;
        this.energyMillijoules = energyMillijoules;
        this.fellBack = fellBack;
        this.fallbackCause = fallbackCause;
    }

    /** The model's outputs, in the model's output order. */
    public List<Tensor> outputs() {
        return outputs;
    }

    public Tensor output(int index) {
        return outputs.get(index);
    }

    /** The plan the planner chose (even when execution fell back to the device). */
    public Plan plan() {
        return plan;
    }

    /** What the planner predicted for that plan. */
    public PlanOutcome predicted() {
        return predicted;
    }

    /** From the call to the outputs, nanoseconds. */
    public long totalNanos() {
        return totalNanos;
    }

    /** Device compute (the head, or the whole model for local plans), nanoseconds. */
    public long headNanos() {
        return headNanos;
    }

    /** Waiting for the offload target (including retries and a fallback), nanoseconds; 0 for local plans. */
    public long offloadNanos() {
        return offloadNanos;
    }

    public long serverQueueNanos() {
        return serverQueueNanos;
    }

    public long serverComputeNanos() {
        return serverComputeNanos;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Device energy of this inference (compute + radio) from the profiles' power models; NaN without them. */
    public double energyMillijoules() {
        return energyMillijoules;
    }

    /** True when the plan was remote but the inference ran on the device after a failure or timeout. */
    public boolean fellBack() {
        return fellBack;
    }

    /** Why it fell back, or null. */
    public Throwable fallbackCause() {
        return fallbackCause;
    }

    public boolean ranLocally() {
        return plan.isLocal() || fellBack;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s: %.2f ms (head %.2f, offload %.2f), %d B up, %d B down, %.1f mJ",
                plan.describe(), fellBack ? " -> fell back to local" : "", totalNanos / 1e6, headNanos / 1e6,
                offloadNanos / 1e6, bytesSent, bytesReceived, energyMillijoules);
    }
}
