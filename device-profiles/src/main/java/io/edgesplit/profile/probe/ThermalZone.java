package io.edgesplit.profile.probe;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One thermal sensor as the kernel reports it under /sys/class/thermal.
 *
 * @param zone directory name, e.g. {@code thermal_zone0}
 * @param type sensor type, e.g. {@code cpu-thermal} or {@code x86_pkg_temp}
 * @param temperatureCelsius current reading, absent when unreadable
 * @param passiveTripCelsius lowest trip point of type {@code passive} (throttling starts), if any
 * @param criticalTripCelsius lowest trip point of type {@code critical} or {@code hot}, if any
 */
public record ThermalZone(String zone, String type, OptionalDouble temperatureCelsius, OptionalDouble passiveTripCelsius,
        OptionalDouble criticalTripCelsius) {

    /** Checks that no component is null. */
    public ThermalZone {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(temperatureCelsius, "temperatureCelsius");
        Objects.requireNonNull(passiveTripCelsius, "passiveTripCelsius");
        Objects.requireNonNull(criticalTripCelsius, "criticalTripCelsius");
    }
}
