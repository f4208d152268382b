package io.edgesplit.router;

import java.util.Locale;

/**
 * What an inference may cost: a deadline, device energy, bytes on the network, a minimum accuracy,
 * and privacy (operators that must run on the device before anything leaves it, or never sending
 * the raw input). Each of the first four is hard (plans that break it are infeasible) or soft (a
 * penalty in the score). Privacy is always hard. Immutable; build with {@link #builder()}.
 */
public final class Budgets {

    /** No limits, minimum latency. */
    public static final Budgets UNLIMITED = builder().build();

    /** Score penalty per unit of relative violation of a soft budget (1.0 = 100% over). */
    public static final double SOFT_PENALTY = 1000;

    private final double deadlineMillis;
    private final boolean deadlineHard;
    private final double energyMillijoules;
    private final boolean energyHard;
    private final long bytesPerInference;
    private final boolean bytesHard;
    private final double minAccuracy;
    private final boolean accuracyHard;
    private final int minSplitDepth;
    private final boolean neverSendRawInput;
    private final Objective objective;

    private Budgets(Builder b) {
        deadlineMillis = b.deadlineMillis;
        deadlineHard = b.deadlineHard;
        energyMillijoules = b.energyMillijoules;
        energyHard = b.energyHard;
        bytesPerInference = b.bytesPerInference;
        bytesHard = b.bytesHard;
        minAccuracy = b.minAccuracy;
        accuracyHard = b.accuracyHard;
        minSplitDepth = b.minSplitDepth;
        neverSendRawInput = b.neverSendRawInput;
        objective = b.objective;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.deadlineMillis = deadlineMillis;
        b.deadlineHard = deadlineHard;
        b.energyMillijoules = energyMillijoules;
        b.energyHard = energyHard;
        b.bytesPerInference = bytesPerInference;
        b.bytesHard = bytesHard;
        b.minAccuracy = minAccuracy;
        b.accuracyHard = accuracyHard;
        b.minSplitDepth = minSplitDepth;
        b.neverSendRawInput = neverSendRawInput;
        b.objective = objective;
        return b;
    }

    /** Deadline in milliseconds; infinite when unset. */
    public double deadlineMillis() {
        return deadlineMillis;
    }

    public boolean deadlineHard() {
        return deadlineHard;
    }

    /** Device energy per inference in millijoules; infinite when unset. */
    public double energyMillijoules() {
        return energyMillijoules;
    }

    public boolean energyHard() {
        return energyHard;
    }

    /** Bytes sent and received per inference; {@code Long.MAX_VALUE} when unset. */
    public long bytesPerInference() {
        return bytesPerInference;
    }

    public boolean bytesHard() {
        return bytesHard;
    }

    /** Minimum expected accuracy in [0, 1]; 0 when unset. Variants of unknown accuracy fail any minimum > 0. */
    public double minAccuracy() {
        return minAccuracy;
    }

    public boolean accuracyHard() {
        return accuracyHard;
    }

    /** Operators that must run on the device before data leaves it (0: no minimum). */
    public int minSplitDepth() {
        return minSplitDepth;
    }

    /** Whether the raw input may never leave the device. */
    public boolean neverSendRawInput() {
        return neverSendRawInput;
    }

    public Objective objective() {
        return objective;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Budgets{");
        if (!Double.isInfinite(deadlineMillis)) {
            sb.append(String.format(Locale.ROOT, "deadline=%.1fms%s ", deadlineMillis, deadlineHard ? "" : "(soft)"));
        }
        if (!Double.isInfinite(energyMillijoules)) {
            sb.append(String.format(Locale.ROOT, "energy=%.1fmJ%s ", energyMillijoules, energyHard ? "" : "(soft)"));
        }
        if (bytesPerInference != Long.MAX_VALUE) {
            sb.append("bytes=").append(bytesPerInference).append(bytesHard ? "" : "(soft)").append(' ');
        }
        if (minAccuracy > 0) {
            sb.append("minAccuracy=").append(minAccuracy).append(accuracyHard ? "" : "(soft)").append(' ');
        }
        if (minSplitDepth > 0) {
            sb.append("minSplitDepth=").append(minSplitDepth).append(' ');
        }
        if (neverSendRawInput) {
            sb.append("neverSendRawInput ");
        }
        return sb.append("objective=").append(objective).append('}').toString();
    }

    /** Builder for {@link Budgets}; every setter validates its value and names it in errors. */
    public static final class Builder {
        private double deadlineMillis = Double.POSITIVE_INFINITY;
        private boolean deadlineHard = true;
        private double energyMillijoules = Double.POSITIVE_INFINITY;
        private boolean energyHard = true;
        private long bytesPerInference = Long.MAX_VALUE;
        private boolean bytesHard = true;
        private double minAccuracy;
        private boolean accuracyHard = true;
        private int minSplitDepth;
        private boolean neverSendRawInput;
        private Objective objective = Objective.MIN_LATENCY;

        private Builder() {
        }

        public Builder deadlineMillis(double ms, boolean hard) {
            if (!(ms > 0)) {
                throw new IllegalArgumentException("deadlineMillis: must be > 0, was " + ms);
            }
            this.deadlineMillis = ms;
            this.deadlineHard = hard;
            return this;
        }

        public Builder energyMillijoules(double mj, boolean hard) {
            if (!(mj > 0)) {
                throw new IllegalArgumentException("energyMillijoules: must be > 0, was " + mj);
            }
            this.energyMillijoules = mj;
            this.energyHard = hard;
            return this;
        }

        public Builder bytesPerInference(long bytes, boolean hard) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("bytesPerInference: must be > 0, was " + bytes);
            }
            this.bytesPerInference = bytes;
            this.bytesHard = hard;
            return this;
        }

        public Builder minAccuracy(double accuracy, boolean hard) {
            if (!(accuracy >= 0 && accuracy <= 1)) {
                throw new IllegalArgumentException("minAccuracy: must be in [0, 1], was " + accuracy);
            }
            this.minAccuracy = accuracy;
            this.accuracyHard = hard;
            return this;
        }

        public Builder minSplitDepth(int operators) {
            if (operators < 0) {
                throw new IllegalArgumentException("minSplitDepth: must be >= 0, was " + operators);
            }
            this.minSplitDepth = operators;
            return this;
        }

        public Builder neverSendRawInput(boolean never) {
            this.neverSendRawInput = never;
            return this;
        }

        public Builder objective(Objective objective) {
            this.objective = java.util.Objects.requireNonNull(objective, "objective");
            return this;
        }

        public Budgets build() {
            return new Budgets(this);
        }
    }
}
