package io.edgesplit.cli;

import static io.edgesplit.cli.InspectCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitCommandTest {

    @Test
    void syntheticFamilyBecomesAFourVariantPackage(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("pkg");
        InspectCommandTest.Run run = cli("split", "--synthetic", "--out", out.toString(), "--json", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(4, json.get("variants").size());
        assertEquals("w0.25", json.get("variants").get(0).get("id").asText());
        assertFalse(json.get("variants").get(0).get("calibrated").asBoolean(), "sliced widths are uncalibrated");
        assertTrue(json.get("variants").get(3).get("calibrated").asBoolean());
        assertEquals(4, ModelPackage.load(out).variants().size());
    }

    @Test
    void mobilenetV1WidthsComeFromFileNamesWithAccuracies(@TempDir Path tmp) throws Exception {
        Path a = SharedData.model("mobilenet_v1_0.25_128_quant.tflite");
        Path b = SharedData.model("mobilenet_v1_0.5_160_quant.tflite");
        Path out = tmp.resolve("v1");
        InspectCommandTest.Run run = cli("split", a + "," + b, "--accuracy", "0.415,0.565", "--out", out.toString(),
                "--max-crossing", "1", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("family mobilenet_v1"), run.out());
        ModelPackage pkg = ModelPackage.load(out);
        assertEquals(0.415, pkg.variant("w0.25").accuracy());
        assertEquals(0.565, pkg.variant("w0.50").accuracy());
        assertEquals(32, pkg.variant("w0.25").splits().size());
    }

    @Test
    void derivedWidthsAreMarkedUncalibrated(@TempDir Path tmp) throws Exception {
        Path model = SharedData.model("mobilenet_v1_0.25_224_float.tflite");
        Path out = tmp.resolve("derived");
        InspectCommandTest.Run run = cli("split", model.toString(), "--widths", "1.0", "--derive-widths", "0.5,0.75",
                "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        ModelPackage pkg = ModelPackage.load(out);
        assertEquals(3, pkg.variants().size());
        assertFalse(pkg.variant("w0.50").calibrated());
        assertEquals("w1.00", pkg.variant("w0.50").derivedFrom());
    }

    @Test
    void existingOutputIsRefusedWithoutForce(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("taken"));
        InspectCommandTest.Run run = cli("split", "--synthetic", "--out", out.toString(), "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("already exists"), run.err());
    }

    @Test
    void quantizedModelCannotDeriveWidths(@TempDir Path tmp) {
        Path model = SharedData.model("mobilenet_v1_0.25_128_quant.tflite");
        InspectCommandTest.Run run = cli("split", model.toString(), "--derive-widths", "0.1", "--out",
                tmp.resolve("x").toString(), "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("deriving widths needs a float model: operator 0 CONV_2D has UINT8 weights"),
                run.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
