package io.edgesplit.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How much power the compute part of a profile draws: at idle, with inference running on the
 * configured threads, and optionally the extra power of one busy core per CPU cluster. For boards
 * (Raspberry Pi, Jetson) the figures are whole-board; for phones they are the CPU subsystem without
 * screen and radios (radios are in {@link RadioPowerModel}). Immutable; build with {@link #builder()}.
 */
public final class PowerModel {

    private final double idleWatts;
    private final double activeWatts;
    private final Map<String, Double> perCoreWatts;

    private PowerModel(Builder b) {
        this.idleWatts = b.idleWatts;
        this.activeWatts = b.activeWatts;
        this.perCoreWatts = Collections.unmodifiableMap(new LinkedHashMap<>(b.perCoreWatts));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().idleWatts(idleWatts).activeWatts(activeWatts);
        perCoreWatts.forEach(b::perCoreWatts);
        return b;
    }

    /** Power when no inference runs. */
    public double idleWatts() {
        return idleWatts;
    }

    /** Power while inference runs with all cores busy (the figure published for full load). */
    public double activeWatts() {
        return activeWatts;
    }

    /**
     * Extra power of one busy core at its maximum frequency, by CPU cluster name; empty when no
     * per-core figure is published. Keys are cluster names of {@link ComputeSpec#cpus()}.
     */
    public Map<String, Double> perCoreWatts() {
        return perCoreWatts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PowerModel)) {
            return false;
        }
        PowerModel p = (PowerModel) o;
        return Double.compare(idleWatts, p.idleWatts) == 0 && Double.compare(activeWatts, p.activeWatts) == 0
                && perCoreWatts.equals(p.perCoreWatts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idleWatts, activeWatts, perCoreWatts);
    }

    @Override
    public String toString() {
        return "PowerModel{idleWatts=" + idleWatts + ", activeWatts=" + activeWatts + ", perCoreWatts=" + perCoreWatts + '}';
    }

    /** Builder for {@link PowerModel}. */
    public static final class Builder {
        private double idleWatts = Double.NaN;
        private double activeWatts = Double.NaN;
        private final Map<String, Double> perCoreWatts = new LinkedHashMap<>();

        private Builder() {
        }

        /** Idle power, >= 0 W. Required. */
        public Builder idleWatts(double idleWatts) {
            this.idleWatts = nonNegative("idleWatts", idleWatts);
            return this;
        }

        /** Full-load power, > 0 W and >= idle. Required. */
        public Builder activeWatts(double activeWatts) {
            this.activeWatts = nonNegative("activeWatts", activeWatts);
            return this;
        }

        /** Extra watts of one busy core of {@code cluster} at top frequency, > 0. */
        public Builder perCoreWatts(String cluster, double watts) {
            Objects.requireNonNull(cluster, "cluster");
            if (!(watts > 0) || Double.isInfinite(watts)) {
                throw new IllegalArgumentException("perCoreWatts." + cluster + ": must be > 0, was " + watts);
            }
            perCoreWatts.put(cluster, watts);
            return this;
        }

        /** @throws IllegalArgumentException when idle or active is missing, or active < idle */
        public PowerModel build() {
            if (Double.isNaN(idleWatts) || Double.isNaN(activeWatts)) {
                throw new IllegalArgumentException("idleWatts and activeWatts: both are required");
            }
            if (activeWatts < idleWatts) {
                throw new IllegalArgumentException("activeWatts: must be >= idleWatts " + idleWatts + ", was " + activeWatts);
            }
            return new PowerModel(this);
        }

        private static double nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + ": must be >= 0, was " + v);
            }
            return v;
        }
    }
}
