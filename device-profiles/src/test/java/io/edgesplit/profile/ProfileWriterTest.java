package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileWriterTest {

    private static final String HEAD = "0123456789abcdef".repeat(4);
    private static final String TAIL = "fedcba9876543210".repeat(4);

    /** A profile that uses every part of the format, with awkward strings and values. */
    static DeviceProfile everything() {
        ComputeSpec compute = ComputeSpec.builder()
                .addCpu(new CpuCluster("little", 4, OptionalLong.of(1_785_600_000L), OptionalLong.of(300_000_000L)))
                .addCpu(CpuCluster.of("big", 3, 2_419_200_000L))
                .addCpu(new CpuCluster("null", 1, OptionalLong.empty(), OptionalLong.empty()))
                .addGpu(new GpuSpec("Adreno \"640\"", OptionalInt.of(384), OptionalLong.of(585_000_000L),
                        OptionalLong.empty()))
                .threads(3)
                .delegate(Delegate.NNAPI)
                .build();
        RadioPowerModel custom = RadioPowerModel.ARO_LTE.toBuilder().tailTimeMillis(5_432.1).betaMilliwatts(999.99).build();
        return DeviceProfile.builder(ProfileKind.DEVICE, "test-phone")
                .name("Test: phone #1\twith \"quotes\" and é")
                .identity(IdentityKeys.DEVICE_MODEL, "true")
                .identity(IdentityKeys.ANDROID_SDK_VERSION, "34")
                .identity(IdentityKeys.OS_VERSION, "6.1.0-rc1")
                .compute(compute)
                .memoryBytes(6_442_450_944L + 4096)
                .power(PowerModel.builder().idleWatts(0.0407).activeWatts(5.516737).perCoreWatts("big", 1.117548)
                        .perCoreWatts("null", 0.1).build())
                .link(LinkProfile.builder("lte").uplinkBitsPerSecond(5.9e6).downlinkBitsPerSecond(1234.5)
                        .rttMillis(0.75).radio(RadioPowerModel.ARO_LTE).build())
                .link(LinkProfile.builder("wifi-5g").uplinkBitsPerSecond(1e9 / 3).downlinkBitsPerSecond(2e9)
                        .rttMillis(12_345).radio(custom).build())
                .thermal(new ThermalLimits(OptionalDouble.of(-10.5), OptionalDouble.empty()))
                .putSegmentLatency(new SegmentLatency(TAIL, 1, Delegate.XNNPACK, 12.25, 14.5, 50))
                .putSegmentLatency(new SegmentLatency(HEAD, 4, Delegate.XNNPACK, 3.1, 3.9, 200))
                .putSegmentLatency(new SegmentLatency(HEAD, 1, Delegate.NONE, 9.0, 9.0, 1))
                .build();
    }

    @Test
    void aProfileUsingEveryFieldReadsBackEqual() throws ProfileException {
        DeviceProfile p = everything();
        String yaml = ProfileWriter.toYaml(p);
        assertEquals(p, DeviceProfiles.parse(yaml, "written.yaml"), yaml);
    }

    @Test
    void outputStartsWithTheFormatVersionHeader() {
        String yaml = ProfileWriter.toYaml(everything());
        assertTrue(yaml.startsWith("# EdgeSplit profile, format version 1."), yaml);
        assertTrue(yaml.contains("\nformatVersion: 1\n"), yaml);
    }

    @Test
    void presetRadiosAreWrittenByNameAndCustomOnesInFull() {
        String yaml = ProfileWriter.toYaml(everything());
        assertTrue(yaml.contains("    radio:\n      preset: aro-lte\n"), yaml);
        assertTrue(yaml.contains("      beta: 999.99mW\n"), yaml);
        assertTrue(yaml.contains("      tailTime: 5.4321s\n"), yaml);
    }

    @Test
    void segmentLatenciesAreGroupedUnderTheirSha256() {
        String yaml = ProfileWriter.toYaml(everything());
        int head = yaml.indexOf("\"" + HEAD + "\":");
        int tail = yaml.indexOf("\"" + TAIL + "\":");
        assertTrue(head > 0 && tail > head, yaml);
        assertEquals(1, yaml.split(HEAD, -1).length - 1, "one key per segment");
    }

    @Test
    void wordsYamlWouldMisreadAreQuoted() {
        String yaml = ProfileWriter.toYaml(everything());
        assertTrue(yaml.contains("tflite.device_model: \"true\""), yaml);
        assertTrue(yaml.contains("- name: \"null\""), yaml);
        assertTrue(yaml.contains("tflite.android_sdk_version: \"34\""), yaml);
    }

    @Test
    void profilerRecordsAFreshMeasurementByReplacingTheOldOne() throws ProfileException {
        DeviceProfile before = everything();
        DeviceProfile after = before.toBuilder()
                .putSegmentLatency(new SegmentLatency(HEAD, 4, Delegate.XNNPACK, 2.9, 3.3, 500)).build();
        assertEquals(3, after.segmentLatencies().size());
        assertEquals(2.9, after.segmentLatency(HEAD, 4, Delegate.XNNPACK).orElseThrow().medianMillis());
        assertEquals(after, DeviceProfiles.parse(ProfileWriter.toYaml(after), "after.yaml"));
        assertFalse(after.equals(before));
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("device.yaml");
        Files.writeString(file, "old contents");
        ProfileWriter.write(everything(), file);
        assertEquals(everything(), DeviceProfiles.load(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void toBuilderRebuildsAnEqualProfile() {
        assertEquals(everything(), everything().toBuilder().build());
    }
}
