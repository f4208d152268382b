package io.edgesplit.profile.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.ProfileException;
import io.edgesplit.profile.ProfileWriter;
import io.edgesplit.profile.ThermalLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class LinuxHardwareProbeTest {

    private static void write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static void cpu(Path root, int cpu, long maxKhz, long minKhz, long curKhz) throws IOException {
        String dir = "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/";
        write(root, dir + "cpuinfo_max_freq", maxKhz + "\n");
        write(root, dir + "cpuinfo_min_freq", minKhz + "\n");
        write(root, dir + "scaling_cur_freq", curKhz + "\n");
    }

    /** A Pixel 4-like phone: 4 little, 3 big, 1 prime core, a CPU thermal zone and a battery. */
    private static Path phoneTree(Path root) throws IOException {
        write(root, "sys/devices/system/cpu/online", "0-7\n");
        for (int i = 0; i < 4; i++) {
            cpu(root, i, 1_785_600, 300_000, 1_209_600);
        }
        for (int i = 4; i < 7; i++) {
            cpu(root, i, 2_419_200, 710_400, 2_419_200);
        }
        cpu(root, 7, 2_841_600, 825_600, 825_600);
        write(root, "proc/cpuinfo", "processor\t: 0\nHardware\t: Qualcomm Technologies, Inc SM8150\n");
        write(root, "proc/meminfo", "MemTotal:        5765432 kB\nMemFree:          123456 kB\n");
        write(root, "proc/device-tree/model", "Google Pixel 4\u0000");
        write(root, "proc/device-tree/compatible", "google,flame\u0000qcom,sm8150\u0000");
        write(root, "sys/class/thermal/thermal_zone0/type", "battery\n");
        write(root, "sys/class/thermal/thermal_zone0/temp", "31000\n");
        write(root, "sys/class/thermal/thermal_zone1/type", "cpu-1-0-usr\n");
        write(root, "sys/class/thermal/thermal_zone1/temp", "45500\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_0_type", "passive\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_0_temp", "95000\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_1_type", "critical\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_1_temp", "115000\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_2_type", "passive\n");
        write(root, "sys/class/thermal/thermal_zone1/trip_point_2_temp", "0\n");
        write(root, "sys/class/power_supply/battery/type", "Battery\n");
        write(root, "sys/class/power_supply/battery/capacity", "87\n");
        write(root, "sys/class/power_supply/battery/status", "Discharging\n");
        write(root, "sys/class/power_supply/battery/temp", "312\n");
        write(root, "sys/class/power_supply/usb/type", "USB\n");
        return root;
    }

    private static LinuxHardwareProbe probe(Path root) {
        return new LinuxHardwareProbe(root, "Linux", "4.14.190", "aarch64");
    }

    @Test
    void groupsBigLittleCoresIntoClustersByFrequencyRange(@TempDir Path root) throws IOException {
        HardwareReport r = probe(phoneTree(root)).probe();
        assertEquals(List.of(
                new CpuCluster("cpu0-3", 4, OptionalLong.of(1_785_600_000L), OptionalLong.of(300_000_000L)),
                new CpuCluster("cpu4-6", 3, OptionalLong.of(2_419_200_000L), OptionalLong.of(710_400_000L)),
                new CpuCluster("cpu7", 1, OptionalLong.of(2_841_600_000L), OptionalLong.of(825_600_000L))), r.cpus());
        assertEquals(8, r.totalCores());
        assertEquals(1_209_600_000L, r.currentFrequencyHz().get("cpu0-3"));
    }

    @Test
    void readsMemoryInKibibytesFromMeminfo(@TempDir Path root) throws IOException {
        assertEquals(5_765_432L * 1024, probe(phoneTree(root)).probe().memoryBytes());
    }

    @Test
    void readsIdentityFromTheDeviceTreeAndCpuinfo(@TempDir Path root) throws IOException {
        HardwareReport r = probe(phoneTree(root)).probe();
        assertEquals("google_pixel_4", r.identity().get(IdentityKeys.DEVICE_MODEL));
        assertEquals("sm8150", r.identity().get(IdentityKeys.SOC_MODEL));
        assertEquals("Qualcomm Technologies, Inc SM8150", r.identity().get(IdentityKeys.CPU_MODEL));
        assertEquals("aarch64", r.identity().get(IdentityKeys.OS_ARCH));
    }

    @Test
    void readsThermalZonesIgnoringDisabledTripPoints(@TempDir Path root) throws IOException {
        HardwareReport r = probe(phoneTree(root)).probe();
        assertEquals(new ThermalZone("thermal_zone1", "cpu-1-0-usr", OptionalDouble.of(45.5), OptionalDouble.of(95.0),
                OptionalDouble.of(115.0)), r.thermalZones().get(1));
        assertEquals(OptionalDouble.empty(), r.thermalZones().get(0).passiveTripCelsius());
    }

    @Test
    void readsOnlyBatteriesAmongPowerSupplies(@TempDir Path root) throws IOException {
        List<BatteryStatus> batteries = probe(phoneTree(root)).probe().batteries();
        assertEquals(1, batteries.size());
        assertEquals("battery", batteries.get(0).name());
        assertEquals(87, batteries.get(0).capacityPercent().getAsInt());
        assertEquals("Discharging", batteries.get(0).status().orElseThrow());
        assertEquals(31.2, batteries.get(0).temperatureCelsius().getAsDouble(), 1e-9);
    }

    @Test
    void draftProfileHasFactsAndNoInventedPowerOrLinks(@TempDir Path root) throws IOException {
        DeviceProfile draft = probe(phoneTree(root)).probe().toDraftProfile("my-phone");
        assertEquals("my-phone", draft.id());
        assertEquals(8, draft.compute().threads());
        assertEquals(ThermalLimits.of(95, 115), draft.thermal().orElseThrow());
        assertFalse(draft.power().isPresent());
        assertTrue(draft.links().isEmpty());
        assertTrue(draft.segmentLatencies().isEmpty());
        assertEquals("google_pixel_4", draft.name().orElseThrow());
    }

    @Test
    void draftProfileIsWrittenAndReadBackEqual(@TempDir Path root) throws IOException {
        DeviceProfile draft = probe(phoneTree(root)).probe().toDraftProfile("my-phone");
        assertEquals(draft, DeviceProfiles.parse(ProfileWriter.toYaml(draft), "draft.yaml"));
    }

    @Test
    void withoutCpufreqFallsBackToCpuinfoCountAndClock(@TempDir Path root) throws IOException {
        write(root, "proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2445.406\n\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2445.406\n");
        write(root, "proc/meminfo", "MemTotal:       24683656 kB\n");
        HardwareReport r = probe(root).probe();
        assertEquals(List.of(new CpuCluster("cpu0-1", 2, OptionalLong.of(2_445_406_000L), OptionalLong.empty())), r.cpus());
        assertTrue(r.thermalZones().isEmpty());
        assertTrue(r.batteries().isEmpty());
        assertFalse(r.toDraftProfile("vm").thermal().isPresent());
    }

    @Test
    void onlineListWithGapsGivesNamedClusters(@TempDir Path root) throws IOException {
        write(root, "sys/devices/system/cpu/online", "0,2-3\n");
        write(root, "proc/meminfo", "MemTotal: 1024 kB\n");
        assertEquals(List.of(new CpuCluster("cluster0", 3, OptionalLong.empty(), OptionalLong.empty())),
                probe(root).probe().cpus());
    }

    @Test
    void parsesTheKernelCpuListSyntax() {
        assertEquals(List.of(0, 1, 2, 3, 5, 7, 8), LinuxHardwareProbe.parseRanges("0-3,5,7-8\n"));
        assertEquals(List.of(), LinuxHardwareProbe.parseRanges("garbage"));
    }

    @Test
    void missingMeminfoIsAnIoExceptionNamingTheFile(@TempDir Path root) throws IOException {
        write(root, "sys/devices/system/cpu/online", "0\n");
        IOException e = assertThrows(IOException.class, () -> probe(root).probe());
        assertEquals("cannot read " + root.resolve("proc/meminfo"), e.getMessage());
    }

    @Test
    void noWayToCountCoresIsAnIoException(@TempDir Path root) throws IOException {
        write(root, "proc/meminfo", "MemTotal: 1024 kB\n");
        IOException e = assertThrows(IOException.class, () -> probe(root).probe());
        assertTrue(e.getMessage().startsWith("cannot count CPU cores"), e.getMessage());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onAJvmTheAndroidStubsOnTheClasspathDoNotSelectTheAndroidProbe() {
        assertTrue(HardwareProbe.forThisPlatform() instanceof LinuxHardwareProbe);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void probesThisMachine() throws IOException, ProfileException {
        HardwareReport r = HardwareProbe.forThisPlatform().probe();
        assertTrue(r.totalCores() >= 1, r.toString());
        assertTrue(r.memoryBytes() > 0, r.toString());
        assertEquals(System.getProperty("os.arch"), r.identity().get(IdentityKeys.OS_ARCH));
        DeviceProfile draft = r.toDraftProfile("this-machine");
        assertEquals(draft, DeviceProfiles.parse(ProfileWriter.toYaml(draft), "this-machine.yaml"));
    }
}
