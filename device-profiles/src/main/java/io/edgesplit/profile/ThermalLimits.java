package io.edgesplit.profile;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Temperatures at which the hardware slows itself down: where throttling starts and the critical
 * limit (hard throttling or shutdown). At least one is present.
 *
 * @param throttleCelsius temperature where clocks start to drop, absent when unknown
 * @param criticalCelsius hard limit, above the throttle temperature, absent when unknown
 */
public record ThermalLimits(OptionalDouble throttleCelsius, OptionalDouble criticalCelsius) {

    /** Validates the pair. */
    public ThermalLimits {
        Objects.requireNonNull(throttleCelsius, "throttleCelsius");
        Objects.requireNonNull(criticalCelsius, "criticalCelsius");
        if (!throttleCelsius.isPresent() && !criticalCelsius.isPresent()) {
            throw new IllegalArgumentException("thermal limits: give throttleCelsius, criticalCelsius or both");
        }
        check("throttleCelsius", throttleCelsius);
        check("criticalCelsius", criticalCelsius);
        if (throttleCelsius.isPresent() && criticalCelsius.isPresent()
                && !(criticalCelsius.getAsDouble() > throttleCelsius.getAsDouble())) {
            throw new IllegalArgumentException("criticalCelsius: must be > throttleCelsius "
                    + throttleCelsius.getAsDouble() + ", was " + criticalCelsius.getAsDouble());
        }
    }

    /** Both limits. */
    public static ThermalLimits of(double throttleCelsius, double criticalCelsius) {
        return new ThermalLimits(OptionalDouble.of(throttleCelsius), OptionalDouble.of(criticalCelsius));
    }

    private static void check(String name, OptionalDouble v) {
        if (v.isPresent() && (Double.isNaN(v.getAsDouble()) || Double.isInfinite(v.getAsDouble())
                || v.getAsDouble() <= -273.15)) {
            throw new IllegalArgumentException(name + ": must be above absolute zero, was " + v.getAsDouble());
        }
    }
}
