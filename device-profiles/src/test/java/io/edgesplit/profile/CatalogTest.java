package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogTest {

    /** A value that is a number: an integer or a quantity with a unit. */
    private static final Pattern NUMERIC_VALUE = Pattern.compile("^\\s*(-\\s+)?[A-Za-z]+:\\s+\"?[+-]?[0-9.]+[^#]*");

    static List<String> ids() {
        return DeviceProfiles.CATALOG_IDS;
    }

    @Test
    void catalogHasExactlyTheIdsOfTheCommandLineContract() {
        assertEquals(List.of("raspberry-pi-4", "raspberry-pi-5", "jetson-nano-5w", "jetson-nano-10w", "pixel-4",
                "x86-edge-server", "cloud-gpu-server"), DeviceProfiles.CATALOG_IDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void everyCatalogProfileLoadsUnderItsOwnId(String id) throws ProfileException {
        DeviceProfile p = DeviceProfiles.catalog(id);
        assertEquals(id, p.id());
        assertTrue(p.name().isPresent(), "catalog profiles have a display name");
        assertTrue(p.compute().threads() <= p.compute().totalCores());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void everyCatalogProfileSurvivesAWriteAndReadBack(String id) throws ProfileException {
        DeviceProfile p = DeviceProfiles.catalog(id);
        assertEquals(p, DeviceProfiles.parse(ProfileWriter.toYaml(p), id + " (rewritten)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void everyNumberInACatalogProfileCarriesASourceComment(String id) throws ProfileException {
        List<String> uncited = new ArrayList<>();
        String[] lines = DeviceProfiles.catalogYaml(id).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean numeric = NUMERIC_VALUE.matcher(line).find() && !line.trim().startsWith("formatVersion:");
            if (numeric && !line.contains("#")) {
                uncited.add((i + 1) + ": " + line.trim());
            }
        }
        assertEquals(List.of(), uncited, "catalog/" + id + ".yaml: numbers without a source comment");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void estimatesAreMarkedAsSuchAndNeverPassedOffAsCitations(String id) throws ProfileException {
        for (String line : DeviceProfiles.catalogYaml(id).split("\n")) {
            if (line.contains("estimate")) {
                assertTrue(line.matches(".*#\\s*estimate.*") || line.contains("# ") && line.contains("estimate"), line);
            }
        }
    }

    @Test
    void catalogProfilesAreParsedOnceAndShared() throws ProfileException {
        assertSame(DeviceProfiles.catalog("pixel-4"), DeviceProfiles.catalog("pixel-4"));
    }

    @Test
    void unknownCatalogIdSuggestsTheClosestAndListsAll() {
        ProfileException e = assertThrows(ProfileException.class, () -> DeviceProfiles.catalog("pixel4"));
        assertEquals("pixel4: no built-in profile of that name, did you mean 'pixel-4'? (built-in profiles: "
                + "raspberry-pi-4, raspberry-pi-5, jetson-nano-5w, jetson-nano-10w, pixel-4, x86-edge-server, "
                + "cloud-gpu-server)", e.getMessage());
    }

    @Test
    void pixel4NumbersComeFromItsPowerProfile() throws ProfileException {
        DeviceProfile p = DeviceProfiles.catalog("pixel-4");
        // power_profile.xml cpu.core_power.cluster1 at 2419 MHz: 302.04 mA at 3.7 V
        assertEquals(302.04 * 3.7, p.power().orElseThrow().perCoreWatts().get("big") * 1000, 1e-9);
        assertEquals(List.of(4, 3, 1), p.compute().cpus().stream().map(CpuCluster::cores).collect(
                java.util.stream.Collectors.toList()));
        assertEquals(RadioPowerModel.ARO_LTE, p.links().get("lte").radio().orElseThrow());
        assertEquals("29", p.identity().get(IdentityKeys.ANDROID_SDK_VERSION));
    }

    @Test
    void jetsonModesDifferInOnlineCoresClockAndBudget() throws ProfileException {
        DeviceProfile five = DeviceProfiles.catalog("jetson-nano-5w");
        DeviceProfile ten = DeviceProfiles.catalog("jetson-nano-10w");
        assertEquals(2, five.compute().totalCores());
        assertEquals(4, ten.compute().totalCores());
        assertEquals(918_000_000L, five.compute().cpus().get(0).maxFrequencyHz().getAsLong());
        assertEquals(1_479_000_000L, ten.compute().cpus().get(0).maxFrequencyHz().getAsLong());
        assertEquals(5.0, five.power().orElseThrow().activeWatts());
        assertEquals(10.0, ten.power().orElseThrow().activeWatts());
    }

    @Test
    void serverProfilesHaveTheirKindAndNoInventedPower() throws ProfileException {
        assertEquals(ProfileKind.EDGE, DeviceProfiles.catalog("x86-edge-server").kind());
        DeviceProfile cloud = DeviceProfiles.catalog("cloud-gpu-server");
        assertEquals(ProfileKind.CLOUD, cloud.kind());
        assertFalse(cloud.power().isPresent());
        assertEquals("NVIDIA T4", cloud.compute().gpus().get(0).name());
    }
}
