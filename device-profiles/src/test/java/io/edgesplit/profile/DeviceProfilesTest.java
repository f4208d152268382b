package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProfilesTest {

    @Test
    void loadReportsErrorsWithTheFilePath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pi.yaml");
        Files.writeString(file, MalformedProfileTest.VALID.replace("uplink: 5Mbit/s", "uplink: -3mbit"));
        ProfileException e = assertThrows(ProfileException.class, () -> DeviceProfiles.load(file));
        assertEquals(file + ":13:13: links.lte.uplink: must be > 0, was -3mbit", e.getMessage());
    }

    @Test
    void loadReadsAValidFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pi.yaml");
        Files.writeString(file, MalformedProfileTest.VALID);
        assertEquals("test-board", DeviceProfiles.load(file).id());
    }

    @Test
    void missingFileIsAProfileException(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertEquals(file + ": no such file",
                assertThrows(ProfileException.class, () -> DeviceProfiles.load(file)).getMessage());
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yaml");
        Files.write(file, new byte[(int) DeviceProfiles.MAX_FILE_BYTES + 1]);
        assertEquals(file + ": file is 1048577 bytes; profiles are limited to 1048576 bytes",
                assertThrows(ProfileException.class, () -> DeviceProfiles.load(file)).getMessage());
    }

    @Test
    void nonUtf8FileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(file + ": not UTF-8 text",
                assertThrows(ProfileException.class, () -> DeviceProfiles.load(file)).getMessage());
    }

    @Test
    void resolvePrefersAnExistingFileOverACatalogId(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pixel-4");
        Files.writeString(file, MalformedProfileTest.VALID);
        assertEquals("test-board", DeviceProfiles.resolve(file.toString()).id());
    }

    @Test
    void resolveFallsBackToTheCatalog() throws ProfileException {
        assertEquals("jetson-nano-5w", DeviceProfiles.resolve("jetson-nano-5w").id());
    }

    @Test
    void resolveOfNeitherFileNorIdListsTheCatalog() {
        ProfileException e = assertThrows(ProfileException.class, () -> DeviceProfiles.resolve("raspberry-pi-3"));
        assertEquals("raspberry-pi-3: no such file and no built-in profile of that name, did you mean 'raspberry-pi-4'? "
                + "(built-in profiles: raspberry-pi-4, raspberry-pi-5, jetson-nano-5w, jetson-nano-10w, pixel-4, "
                + "x86-edge-server, cloud-gpu-server)", e.getMessage());
    }
}
