package io.edgesplit.profile.probe;

import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.ThermalLimits;
import io.edgesplit.profile.internal.Backports;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a {@link HardwareProbe} found. Facts only: nothing here is estimated.
 *
 * @param identity identity properties found ({@link IdentityKeys}), e.g. os.*, tflite.device_model
 * @param cpus CPU clusters, grouped by frequency range, at least one
 * @param currentFrequencyHz current frequency of each cluster's first core, by cluster name, where readable
 * @param memoryBytes total RAM
 * @param thermalZones thermal sensors, possibly none
 * @param batteries batteries, possibly none
 */
public record HardwareReport(Map<String, String> identity, List<CpuCluster> cpus, Map<String, Long> currentFrequencyHz,
        long memoryBytes, List<ThermalZone> thermalZones, List<BatteryStatus> batteries) {

    /** Copies the collections and checks the basics are there. */
    public HardwareReport {
        identity = Backports.mapCopy(Objects.requireNonNull(identity, "identity"));
        cpus = Backports.listCopy(cpus);
        currentFrequencyHz = Backports.mapCopy(currentFrequencyHz);
        thermalZones = Backports.listCopy(thermalZones);
        batteries = Backports.listCopy(batteries);
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cpus: at least one CPU cluster");
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes: must be > 0, was " + memoryBytes);
        }
    }

    /** Total cores over all clusters. */
    public int totalCores() {
        return cpus.stream().mapToInt(CpuCluster::cores).sum();
    }

    /**
     * A device profile from what was found: identity, compute (all cores, XNNPACK), memory, and thermal
     * limits from the trip points of the CPU's thermal zone. No power model, links or latencies: those
     * are measured or written by hand, never invented. The name is the device or CPU model.
     *
     * @param id profile id, e.g. {@code my-gateway}
     */
    public DeviceProfile toDraftProfile(String id) {
        ComputeSpec.Builder compute = ComputeSpec.builder();
        cpus.forEach(compute::addCpu);
        DeviceProfile.Builder b = DeviceProfile.builder(ProfileKind.DEVICE, id)
                .compute(compute.build())
                .memoryBytes(memoryBytes);
        for (String key : IdentityKeys.ALL) {
            String v = identity.get(key);
            if (v != null && !Backports.isBlank(v)) {
                b.identity(key, v);
            }
        }
        String name = identity.getOrDefault(IdentityKeys.DEVICE_MODEL, identity.get(IdentityKeys.CPU_MODEL));
        if (name != null && !Backports.isBlank(name)) {
            b.name(name);
        }
        cpuThermalZone().flatMap(HardwareReport::limits).ifPresent(b::thermal);
        return b.build();
    }

    /** The zone that best stands for the CPU: by type name, else the first with trip points. */
    Optional<ThermalZone> cpuThermalZone() {
        for (String hint : new String[] {"cpu", "soc", "x86_pkg", "tcpu", "package"}) {
            for (ThermalZone z : thermalZones) {
                if (z.type().toLowerCase(Locale.ROOT).contains(hint) && limits(z).isPresent()) {
                    return Optional.of(z);
                }
            }
        }
        return thermalZones.stream().filter(z -> limits(z).isPresent()).findFirst();
    }

    private static Optional<ThermalLimits> limits(ThermalZone z) {
        OptionalDouble passive = z.passiveTripCelsius();
        OptionalDouble critical = z.criticalTripCelsius();
        if (passive.isPresent() && critical.isPresent() && critical.getAsDouble() <= passive.getAsDouble()) {
            critical = OptionalDouble.empty();
        }
        if (!passive.isPresent() && !critical.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new ThermalLimits(passive, critical));
    }
}
