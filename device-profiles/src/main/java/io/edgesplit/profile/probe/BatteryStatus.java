package io.edgesplit.profile.probe;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A battery's state when probed.
 *
 * @param name supply name, e.g. {@code BAT0} or {@code battery}
 * @param capacityPercent charge level 0 to 100, if known
 * @param status e.g. {@code Charging}, {@code Discharging}, {@code Full}, if known
 * @param temperatureCelsius battery temperature, if known
 */
public record BatteryStatus(String name, OptionalInt capacityPercent, Optional<String> status,
        OptionalDouble temperatureCelsius) {

    /** Checks that no component is null and the level is a percentage. */
    public BatteryStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacityPercent, "capacityPercent");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(temperatureCelsius, "temperatureCelsius");
        if (capacityPercent.isPresent() && (capacityPercent.getAsInt() < 0 || capacityPercent.getAsInt() > 100)) {
            throw new IllegalArgumentException("capacityPercent: must be 0 to 100, was " + capacityPercent.getAsInt());
        }
    }
}
