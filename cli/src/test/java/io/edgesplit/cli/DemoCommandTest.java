package io.edgesplit.cli;

import static io.edgesplit.cli.InspectCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.testing.SharedData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgesplit demo} for real, shortened: embedded broker, edge server, shaping relay, fleet
 * controller and device runtime in this JVM.
 */
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void onAFreshCloneItRunsTheSyntheticFamilyThroughTheOutageAndTheSignedConfig() throws Exception {
        String previous = System.getProperty("EDGESPLIT_SHARED_DATA");
        System.setProperty("EDGESPLIT_SHARED_DATA", tmp.resolve("no-shared-data").toString());
        InspectCommandTest.Run run;
        try {
            run = cli("demo", "--duration", "12", "--out", tmp.toString(), "--no-progress", "--json");
        } finally {
            if (previous == null) {
                System.clearProperty("EDGESPLIT_SHARED_DATA");
            } else {
                System.setProperty("EDGESPLIT_SHARED_DATA", previous);
            }
        }
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = JSON.readTree(run.out());
        assertTrue(report.get("models").asText().contains("synthetic"), report.get("models").asText());
        assertTrue(report.get("trace").asText().contains("generated"), report.get("trace").asText());
        JsonNode inferences = report.get("inferences");
        assertTrue(inferences.size() >= 10, "pictures classified: " + inferences.size());
        assertEquals(inferences.size(), report.get("runtimeStats").get("inferences").asInt());

        List<String> events = new ArrayList<>();
        double applied = -1;
        for (JsonNode e : report.get("events")) {
            events.add(e.get("what").asText());
            if (e.get("what").asText().startsWith("device verified the signature")) {
                applied = e.get("atSeconds").asDouble();
            }
        }
        assertTrue(events.get(0).startsWith("edge server crashed"), events.toString());
        assertTrue(events.get(1).startsWith("edge server back"), events.toString());
        assertTrue(applied > 0, "the device applied the signed config: " + events);

        double before = inferences.get(0).get("deadlineMs").asDouble();
        for (JsonNode i : inferences) {
            assertTrue(i.get("latencyMs").asDouble() > 0, i.toString());
            assertTrue(i.get("top1").asText().startsWith("class "), i.toString());
            double deadline = i.get("deadlineMs").asDouble();
            if (i.get("atSeconds").asDouble() > applied + 0.5) {
                assertTrue(deadline < before, "after config v2 the tighter deadline is in force: " + i);
            }
        }
        assertTrue(report.get("telemetryMessages").asInt() > 0, "telemetry reached the controller");

        BufferedImage plot = ImageIO.read(Path.of(report.get("plot").asText()).toFile());
        assertEquals(DemoPlot.WIDTH, plot.getWidth());
        assertEquals(860, plot.getHeight());
        assertTrue(Files.size(tmp.resolve("demo.json")) > 1000);
    }

    @Test
    void withTheRealModelsItOffloadsOverTheShapedLinkAndRecognizesTheBurger() throws Exception {
        Path shared = SharedData.require();
        InspectCommandTest.Run run = cli("demo", "--duration", "20", "--out", tmp.toString(), "--no-progress",
                "--no-outage", "--json", "--models", shared.resolve("models").toString(), "--trace",
                shared.resolve("traces/mahimahi_cellular/Verizon-LTE-short.up").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = JSON.readTree(run.out());
        int edge = 0;
        int burger = 0;
        for (JsonNode i : report.get("inferences")) {
            if (i.get("where").asText().equals("edge")) {
                edge++;
                assertTrue(i.get("bytesSent").asLong() > 0, i.toString());
            }
            if (i.get("top1").asText().equals("cheeseburger")) {
                burger++;
            }
        }
        assertTrue(edge > 0, "with 5-10 Mbit/s to an XNNPACK server, some pictures go to the edge: "
                + report.get("runtimeStats"));
        assertTrue(burger > 0, "burger.jpg is classified as cheeseburger on some width: " + report.get("runtimeStats"));
    }

    @Test
    void badArgumentsAreNamed() {
        InspectCommandTest.Run shortRun = cli("demo", "--duration", "1");
        assertEquals(2, shortRun.exitCode());
        assertTrue(shortRun.err().contains("--duration: must be between 5 and 3600 seconds"), shortRun.err());
        InspectCommandTest.Run both = cli("demo", "--synthetic", "--models", tmp.toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--models and --synthetic exclude each other"), both.err());
        InspectCommandTest.Run missing = cli("demo", "--models", tmp.toString(), "--duration", "5");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("mobilenet_v1_0.25_128_quant.tflite is missing"), missing.err());
    }
}
