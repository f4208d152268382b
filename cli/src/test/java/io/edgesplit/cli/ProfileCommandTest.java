package io.edgesplit.cli;

import static io.edgesplit.cli.InspectCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {

    /** One run per segment and no warm-up: these tests check the plumbing, not the numbers. */
    private static final String[] QUICK = {"--runs", "1", "--max-runs", "1", "--budget", "0ms", "--warmup", "0",
        "--no-progress"};

    @TempDir
    static Path shared;
    /** Only the narrowest synthetic width: a quick package. */
    static Path narrow;

    @BeforeAll
    static void writeNarrowPackage() throws Exception {
        ModelGraph g = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED).get(0);
        narrow = shared.resolve("narrow");
        new PackageBuilder("synthetic_narrow").addVariant(new VariantSource(g, "narrow.tflite", Sha256.of(g.toBytes()),
                0.25, null, true, null)).write(narrow, false);
    }

    private static String[] args(String... first) {
        String[] all = new String[first.length + QUICK.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(QUICK, 0, all, first.length, QUICK.length);
        return all;
    }

    @Test
    void withoutAPackageTheSyntheticFamilyIsProfiledAndReportedAsJson(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("My Board.yaml");
        InspectCommandTest.Run run = cli(args("profile", "--out", out.toString(), "--json", "--threads", "1"));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("synthetic_slimmable", json.get("family").asText());
        assertTrue(json.get("packageDir") == null, "no package directory for the built-in family");
        assertEquals(4, json.get("variants").asInt());
        int segments = json.get("segments").asInt();
        assertEquals(segments, json.get("measurements").asInt(), "every distinct segment once at one thread");
        JsonNode w100 = json.get("results").get(3);
        assertEquals("w1.00", w100.get("id").asText());
        JsonNode whole = w100.get("wholeModel").get(0);
        for (String field : List.of("initMillis", "firstInferenceMillis", "medianMillis", "p95Millis", "meanMillis")) {
            assertTrue(whole.get(field).asDouble() > 0, field + " in " + whole);
        }
        assertEquals(22, w100.get("splits").size());
        assertTrue(w100.get("splits").get(0).get("timings").get(0).get("headMedianMillis") == null, "full offload");
        JsonNode model = json.get("costModels").get(0);
        assertEquals(1, model.get("threads").asInt());
        assertTrue(model.get("heldOut").get("medianAbsolutePercentError").isNumber(), model.toString());
        assertTrue(model.get("operators").has("CONV_2D"));

        DeviceProfile written = DeviceProfiles.load(out);
        assertEquals("my-board", written.id(), "id from the file name");
        assertEquals(segments, written.segmentLatencies().size());
        assertTrue(written.costModel(1, Delegate.XNNPACK).orElseThrow().hasOperatorCosts());
        assertEquals(written.id(), json.get("profileId").asText());
    }

    @Test
    void textReportHasTheBenchmarkModelFiguresTheSplitTableAndTheHeldOutError(@TempDir Path tmp) {
        InspectCommandTest.Run run = cli(args("profile", "--package", narrow.toString(), "--out",
                tmp.resolve("p.yaml").toString(), "--threads", "1,2"));
        assertEquals(0, run.exitCode(), run.err());
        for (String expected : List.of("Init", "First inference", "Warm-up average", "Steady median", "Steady p95",
                "Memory init (RSS)", "1 thread", "2 threads", "w0.25/s000", "1t head", "2t tail",
                "held-out error", "Profile load")) {
            assertTrue(run.out().contains(expected), "missing '" + expected + "' in\n" + run.out());
        }
    }

    @Test
    void aBaseProfileIsUpdatedAtItsOwnThreadCountAndEverythingElseInItKept(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("nano.yaml");
        assertEquals(0, cli(args("profile", "--package", narrow.toString(), "--base", "jetson-nano-5w", "--out",
                first.toString())).exitCode());
        DeviceProfile once = DeviceProfiles.load(first);
        DeviceProfile catalog = DeviceProfiles.catalog("jetson-nano-5w");
        assertEquals(catalog.links(), once.links());
        assertEquals(catalog.power(), once.power());
        assertEquals("jetson-nano-5w", once.id());
        assertEquals(2, catalog.compute().threads());
        assertTrue(once.costModel(2, Delegate.XNNPACK).isPresent(), "measured at the profile's 2 threads");

        Path second = tmp.resolve("nano2.yaml");
        InspectCommandTest.Run run = cli(args("profile", "--package", narrow.toString(), "--base", first.toString(),
                "--out", second.toString(), "--threads", "1"));
        assertEquals(0, run.exitCode(), run.err());
        DeviceProfile twice = DeviceProfiles.load(second);
        int segments = ModelPackage.load(narrow).manifest().segments().size();
        assertEquals(2 * segments, twice.segmentLatencies().size(), "2-thread entries kept, 1-thread ones added");
        assertTrue(twice.costModel(2, Delegate.XNNPACK).isPresent());
        assertTrue(twice.costModel(1, Delegate.XNNPACK).isPresent());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path tmp) {
        String out = tmp.resolve("x.yaml").toString();
        InspectCommandTest.Run zero = cli("profile", "--out", out, "--threads", "1,0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--threads: each must be between 1 and 64, was 0"), zero.err());
        InspectCommandTest.Run bare = cli("profile", "--out", out, "--budget", "200");
        assertEquals(2, bare.exitCode());
        assertTrue(bare.err().contains("missing unit in '200': write a duration such as '40ms' or '1.5s'"), bare.err());
        InspectCommandTest.Run gpu = cli("profile", "--out", out, "--delegate", "gpu");
        assertEquals(2, gpu.exitCode());
        assertTrue(gpu.err().contains("'gpu': the TensorFlow Lite engine runs xnnpack or none"), gpu.err());
        InspectCommandTest.Run both = cli("profile", "--out", out, "--base", "pixel-4", "--id", "mine");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--id names a drafted profile"), both.err());
        assertFalse(Files.exists(tmp.resolve("x.yaml")));
    }

    @Test
    void anUnknownBaseFailsWithTheCatalogIds(@TempDir Path tmp) {
        InspectCommandTest.Run run = cli("profile", "--out", tmp.resolve("x.yaml").toString(), "--base", "pixel4");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("did you mean 'pixel-4'?"), run.err());
    }

    @Test
    void profileIdsComeFromTheOutputFileName() {
        assertEquals("pixel", ProfileCommand.idFromFileName(Path.of("/tmp/pixel.yaml")));
        assertEquals("my-pixel-7", ProfileCommand.idFromFileName(Path.of("profiles/My Pixel_7.yml")));
        assertEquals("this-device", ProfileCommand.idFromFileName(Path.of("__.yaml")));
    }
}
