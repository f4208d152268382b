package io.edgesplit.cli;

import static io.edgesplit.cli.InspectCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.testing.SharedData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} and {@code simulate} end to end on the synthetic package (no shared data needed). */
class PlanAndSimulateCommandTest {

    @TempDir
    static Path tmp;
    private static String pkg;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void split() {
        pkg = tmp.resolve("syn").toString();
        InspectCommandTest.Run run = cli("split", "--synthetic", "--out", pkg, "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
    }

    /** 20 Mbit/s and 0.5 Mbit/s in turns of 10 s. */
    private static Path squareTrace() throws Exception {
        Path f = tmp.resolve("square.txt");
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s <= 60; s++) {
            sb.append(s).append('\t').append((s / 10) % 2 == 1 ? "20.0" : "0.5").append('\n');
        }
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void planPrintsTheChoiceWithPredictionsAndRunnersUpAsJson() throws Exception {
        InspectCommandTest.Run run = cli("plan", "--package", pkg, "--device", "raspberry-pi-4", "--device-threads", "1",
                "--edge", "x86-edge-server", "--cloud", "cloud-gpu-server", "--uplink", "100mbit", "--rtt", "5ms",
                "--deadline", "100ms", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = JSON.readTree(run.out());
        assertTrue(j.get("feasible").asBoolean());
        assertEquals(2, j.get("targets").size());
        assertEquals(100e6, j.get("targets").get(0).get("uplinkBitsPerSecond").asDouble());
        assertEquals(5, j.get("runnersUp").size());
        JsonNode chosen = j.get("chosen");
        for (JsonNode runnerUp : j.get("runnersUp")) {
            assertTrue(chosen.get("score").asDouble() <= runnerUp.get("score").asDouble(), runnerUp.toString());
        }
        assertTrue(chosen.has("bytes") && chosen.has("energyMillijoules") && chosen.has("variant"));
        InspectCommandTest.Run wide = cli("plan", "--package", pkg, "--device", "raspberry-pi-4", "--device-threads",
                "1", "--edge", "x86-edge-server", "--uplink", "100mbit", "--rtt", "5ms", "--codec", "int8", "--json");
        JsonNode c = JSON.readTree(wide.out()).get("chosen");
        assertEquals("local w0.25", c.get("plan").asText(), "the narrowest width on the device beats any transfer");
    }

    @Test
    void planNamesTheViolatedBudgetWhenNothingFits() throws Exception {
        InspectCommandTest.Run run = cli("plan", "--package", pkg, "--device", "pixel-4", "--edge", "x86-edge-server",
                "--deadline", "0.01ms", "--energy", "150mJ");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Infeasible  no plan meets every hard budget; the least violating one breaks deadline:"),
                run.out());
        assertTrue(run.out().contains("deadline: predicted "), run.out());
        InspectCommandTest.Run json = cli("plan", "--package", pkg, "--device", "pixel-4", "--deadline", "0.01ms", "--json");
        JsonNode j = JSON.readTree(json.out());
        assertFalse(j.get("feasible").asBoolean());
        assertEquals("deadline", j.get("violated").get(0).asText());
    }

    @Test
    void planRefusesAQuantityWithoutUnitNamingTheOption() {
        InspectCommandTest.Run run = cli("plan", "--package", pkg, "--device", "pixel-4", "--uplink", "5");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--uplink: missing unit in '5'"), run.err());
    }

    @Test
    void simulateReportsEveryPolicyAsJsonAndDrawsThePlot() throws Exception {
        Path png = tmp.resolve("plot.png");
        InspectCommandTest.Run run = cli("simulate", "--package", pkg, "--device", "raspberry-pi-4", "--device-threads",
                "1", "--edge", "x86-edge-server", "--cloud", "cloud-gpu-server", "--trace", squareTrace().toString(),
                "--deadline", "100ms", "--requests-per-second", "4", "--json", "--plot", png.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = JSON.readTree(run.out());
        assertEquals(240, j.get("run").get("requests").asInt());
        JsonNode policies = j.get("policies");
        assertEquals(6, policies.size());
        assertEquals("adaptive", policies.get(0).get("policy").asText());
        double oracle = policies.get(5).get("meanLatencyMillis").asDouble();
        for (JsonNode p : policies) {
            assertTrue(oracle <= p.get("meanLatencyMillis").asDouble() + 1e-9, p.toString());
            assertTrue(p.get("deadlineMissRate").isNumber());
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(SimulationPlot.WIDTH, image.getWidth());
        assertEquals(SimulationPlot.HEIGHT, image.getHeight());
    }

    @Test
    void simulateWritesCsvAndChecksItsOptions() throws Exception {
        InspectCommandTest.Run run = cli("simulate", "--package", pkg, "--device", "pixel-4", "--edge", "x86-edge-server",
                "--trace", squareTrace().toString(), "--policies", "local,edge,oracle", "--format", "csv",
                "--duration", "10s", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(4, lines.length, run.out());
        assertTrue(lines[0].startsWith("policy,requests,mean_latency_ms"));
        assertTrue(lines[1].startsWith("local-only,20,"), lines[1]);
        InspectCommandTest.Run cloud = cli("simulate", "--package", pkg, "--device", "pixel-4", "--edge",
                "x86-edge-server", "--trace", squareTrace().toString(), "--policies", "cloud", "--no-progress");
        assertEquals(1, cloud.exitCode());
        assertTrue(cloud.err().contains("--policies: cloud-only needs --cloud"), cloud.err());
        InspectCommandTest.Run noRemote = cli("simulate", "--package", pkg, "--device", "pixel-4", "--trace",
                squareTrace().toString(), "--no-progress");
        assertEquals(1, noRemote.exitCode());
        assertTrue(noRemote.err().contains("simulate needs a remote target: give --edge and/or --cloud"), noRemote.err());
    }

    @Test
    void simulateReplaysARealLteTraceWithItsUplinkPair() throws Exception {
        Path trace = SharedData.trace("mahimahi_cellular/Verizon-LTE-short.down");
        InspectCommandTest.Run run = cli("simulate", "--package", pkg, "--device", "pixel-4", "--edge", "x86-edge-server",
                "--edge-link", "lte", "--trace", trace.toString(), "--duration", "30s", "--json", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = JSON.readTree(run.out());
        assertEquals("Verizon-LTE-short.up", j.get("run").get("uplinkTrace").get("name").asText());
        assertEquals(60, j.get("run").get("requests").asInt());
        assertEquals("lte", j.get("run").get("targets").get(1).get("link").asText());
        Path up = SharedData.trace("mahimahi_cellular/Verizon-LTE-short.up");
        Path tmobile = SharedData.trace("mahimahi_cellular/TMobile-LTE-short.down");
        InspectCommandTest.Run mixed = cli("simulate", "--package", pkg, "--device", "pixel-4", "--edge",
                "x86-edge-server", "--trace", tmobile.toString(), "--uplink-trace", up.toString(), "--uplink-scale", "0.5",
                "--duration", "10s", "--json", "--no-progress");
        assertEquals(0, mixed.exitCode(), mixed.err());
        JsonNode setup = JSON.readTree(mixed.out()).get("run");
        assertEquals("Verizon-LTE-short.up x0.5", setup.get("uplinkTrace").get("name").asText(),
                "the .up file's own series, not its .down twin");
        assertEquals(5.95 / 2, setup.get("uplinkTrace").get("meanMbps").asDouble(), 0.01);
        assertEquals("TMobile-LTE-short.down", setup.get("downlinkTrace").get("name").asText());
    }
}
