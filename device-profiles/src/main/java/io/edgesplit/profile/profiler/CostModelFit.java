package io.edgesplit.profile.profiler;

import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.costmodel.HeldOutEvaluation;
import io.edgesplit.profile.costmodel.OperatorCostModel;
import java.util.Objects;
import java.util.Optional;

/**
 * The cost model the profiler fitted for one thread count: fitted on every measured segment (what
 * goes into the profile), and its own error measured by fitting again on half the cuts and
 * predicting the other half.
 *
 * @param model fitted on every measured segment; its {@link CostModel#heldOutErrorPercent()} is the
 *     held-out median error when there is one
 * @param heldOut the half-the-cuts evaluation, absent when the measured segments do not cover both
 *     halves (a package of one cut, or a filter that measured only one half)
 */
public record CostModelFit(OperatorCostModel model, Optional<HeldOutEvaluation> heldOut) {

    /** Checks the references. */
    public CostModelFit {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(heldOut, "heldOut");
    }

    /** The coefficients as stored in a profile. */
    public CostModel coefficients() {
        return model.coefficients();
    }
}
