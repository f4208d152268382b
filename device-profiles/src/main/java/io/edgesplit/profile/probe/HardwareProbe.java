package io.edgesplit.profile.probe;

import java.io.IOException;
import java.util.Locale;

/**
 * Reads what this machine is (cores, frequencies, memory, OS and architecture, thermal zones,
 * batteries) without root, and turns it into a draft profile with
 * {@link HardwareReport#toDraftProfile(String)}. Implementations: {@link LinuxHardwareProbe} (also the
 * base of the Android one), {@link AndroidHardwareProbe}.
 */
public interface HardwareProbe {

    /**
     * Reads the hardware now.
     *
     * @throws IOException when even the basics (CPU count, memory) cannot be read
     */
    HardwareReport probe() throws IOException;

    /**
     * The probe for the platform this code runs on: Android (without a {@code Context}, so no battery;
     * use {@link AndroidHardwareProbe#AndroidHardwareProbe(android.content.Context)} for that), Linux,
     * or, elsewhere, a probe whose {@link #probe()} says the platform is not supported.
     */
    static HardwareProbe forThisPlatform() {
        String vm = System.getProperty("java.vm.name", "") + " " + System.getProperty("java.vendor", "");
        if (vm.contains("Dalvik") || vm.toLowerCase(Locale.ROOT).contains("android")) {
            return AndroidHardwareProbe.withoutContext();
        }
        String os = System.getProperty("os.name", "");
        if (os.startsWith("Linux")) {
            return new LinuxHardwareProbe();
        }
        return () -> {
            throw new IOException("the hardware probe reads /proc and /sys and supports Linux and Android; this is "
                    + os + ": write the profile by hand or start from a catalog profile");
        };
    }
}
