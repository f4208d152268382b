package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import io.edgesplit.testing.SharedData;
import org.junit.jupiter.api.Test;

class RadioPowerModelTest {

    private static Properties conf(String name) throws IOException {
        Path file = SharedData.file("power_profiles/aro_att/" + name);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    private static double d(Properties p, String key) {
        return Double.parseDouble(p.getProperty(key).trim());
    }

    @Test
    void lteMatchesArosLteConfKeyForKey() throws IOException {
        Properties lte = conf("lte.conf");
        RadioPowerModel m = RadioPowerModel.ARO_LTE;
        assertEquals(d(lte, "LTE_ALPHA_UP"), m.alphaUpMilliwattsPerMbps());
        assertEquals(d(lte, "LTE_ALPHA_DOWN"), m.alphaDownMilliwattsPerMbps());
        assertEquals(d(lte, "LTE_BETA") * 1000, m.betaMilliwatts(), 1e-9);
        assertEquals(d(lte, "P_PROMOTION") * 1000, m.promotionPowerMilliwatts(), 1e-9);
        assertEquals(d(lte, "T_PROMOTION") * 1000, m.promotionTimeMillis(), 1e-9);
        assertEquals(d(lte, "P_TAIL") * 1000, m.tailPowerMilliwatts(), 1e-9);
        assertEquals((d(lte, "INACTIVITY_TIMER") + d(lte, "T_SHORT_DRX") + d(lte, "T_LONG_DRX")) * 1000,
                m.tailTimeMillis(), 1e-9);
    }

    @Test
    void wifiMatchesArosWifiConf() throws IOException {
        Properties wifi = conf("WiFi.conf");
        assertEquals(d(wifi, "POWER_WIFI_ACTIVE") * 1000, RadioPowerModel.ARO_WIFI.betaMilliwatts(), 1e-9);
        assertEquals(d(wifi, "WIFI_TAIL_TIME") * 1000, RadioPowerModel.ARO_WIFI.tailTimeMillis(), 1e-9);
    }

    @Test
    void threeGFoldsTheTwoStageTailWithoutLosingEnergy() throws IOException {
        Properties g = conf("i997_3g.conf");
        double tailJoules = d(g, "DCH_FACH_TIMER") * d(g, "POWER_DCH") + d(g, "FACH_IDLE_TIMER") * d(g, "POWER_FACH");
        RadioPowerModel m = RadioPowerModel.ARO_3G;
        assertEquals(tailJoules, m.tailPowerMilliwatts() / 1000 * m.tailTimeMillis() / 1000, 1e-9);
        assertEquals(d(g, "POWER_IDLE_DCH") * 1000, m.promotionPowerMilliwatts(), 1e-9);
        assertEquals(d(g, "IDLE_DCH_PROMO_AVG") * 1000, m.promotionTimeMillis(), 1e-9);
        assertEquals(d(g, "POWER_DCH") * 1000, m.betaMilliwatts(), 1e-9);
    }

    @Test
    void transferPowerFollowsHuangsLinearModel() {
        // 5 Mbit/s up, 20 Mbit/s down on LTE: 438.39*5 + 51.97*20 + 1200 mW
        assertEquals(438.39 * 5 + 51.97 * 20 + 1200, RadioPowerModel.ARO_LTE.transferPowerMilliwatts(5, 20), 1e-9);
    }

    @Test
    void presetsAreFoundByNameAndRecognisedByValue() {
        assertEquals(Optional.of(RadioPowerModel.ARO_3G), RadioPowerModel.preset("aro-3g"));
        assertEquals(Optional.of("aro-wifi"), RadioPowerModel.ARO_WIFI.presetName());
        assertEquals(Optional.empty(), RadioPowerModel.ARO_LTE.toBuilder().tailTimeMillis(5000).build().presetName());
    }

    @Test
    void builderNamesTheMissingParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RadioPowerModel.builder().alphaUpMilliwattsPerMbps(1).build());
        assertEquals("alphaDownMilliwattsPerMbps: is required", e.getMessage());
        assertEquals("betaMilliwatts: must be >= 0, was -1.0", assertThrows(IllegalArgumentException.class,
                () -> RadioPowerModel.builder().betaMilliwatts(-1)).getMessage());
    }
}
