package io.edgesplit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three samples together on loopback, as the README runs them in three terminals: the edge
 * server sample hosts a real MQTT broker (HiveMQ) and serves tails over TLS; the app loop discovers
 * it over MQTT and classifies with real TensorFlow Lite; the fleet controller pushes a signed
 * configuration that the device applies.
 *
 * <p>The synthetic family is small enough that a Raspberry Pi 4 runs it faster than a round trip
 * (predicted 4 ms on the device, the same again to offload its cheapest split), so the adaptive
 * policy keeps frames on the device. The controller therefore pushes the edge-only policy, and the
 * test checks that frames then really run split: head here, tail on the edge server.
 */
class SamplesTogetherTest {

    @TempDir
    Path state;

    @Test
    void appOffloadsToTheAnnouncedServerAfterTheControllerPushesASignedEdgeOnlyConfig() throws Exception {
        RunningSample edge = RunningSample.start("edge-server", new EdgeServerSample(),
                "--state", state.toString(), "--broker-port", "0", "--port", "0");
        RunningSample app = null;
        RunningSample controller = null;
        try {
            String broker = edge.await("MQTT broker\\s+(tcp://127\\.0\\.0\\.1:\\d+)", 60_000).group(1);
            edge.await("^announced", 30_000);

            app = RunningSample.start("app-loop", new AppLoop(), "--state", state.toString(), "--broker", broker,
                    "--node", "app-e2e", "--interval", "20ms");
            app.await("^targets\\s+\\[local, edge:edge-1\\]", 30_000);
            app.await("^frame ", 30_000);

            controller = RunningSample.start("fleet-controller", new FleetControllerSample(),
                    "--state", state.toString(), "--broker", broker, "--device", "app-e2e",
                    "--policy", "edge-only", "--deadline", "2s", "--telemetry-every", "1s");
            controller.await("^pushed\\s+app-e2e\\s+FleetConfig\\{samples v\\d+ policy=edge-only", 30_000);
            controller.await("^telemetry\\s+app-e2e\\s+config-applied version \\d+", 30_000);
            controller.await("^report\\s+app-e2e\\s+answered 200 ok", 30_000);
            app.await("^config\\s+policy edge-only Budgets\\{deadline=2000\\.0ms", 30_000);

            // frames now run split: the head here, the tail on edge-1, over TLS with the token
            List<Matcher> offloaded = app.await("^frame .* edge:edge-1 w\\S+ s\\d+ \\S+ .*kB up.*class \\d+$", 5, 30_000);
            assertTrue(offloaded.size() >= 5, app.output());
            edge.await("^load\\s+\\d+ connections, [1-9]\\d* tails computed", 30_000);
            controller.await("^telemetry\\s+app-e2e\\s+\\d+ inferences \\(\\d+ local, [1-9]\\d* offloaded", 30_000);

            // the server leaves cleanly: the device hears it go offline and carries on alone
            int aloneBefore = app.matching("^targets\\s+\\[local\\]$").size();
            assertEquals(0, edge.stop(), edge.errors());
            app.await("^targets\\s+\\[local\\]$", aloneBefore + 1, 30_000);
            int framesBefore = app.matching("^frame ").size();
            app.await("^frame ", framesBefore + 3, 30_000);

            assertEquals(0, app.stop(), app.errors());
            Matcher summary = app.await("^summary\\s+(\\d+) frames: (\\d+) on the device, (\\d+) offloaded", 1_000);
            assertTrue(Integer.parseInt(summary.group(3)) >= 5, app.output());
            assertEquals(0, controller.stop(), controller.errors());
        } finally {
            for (RunningSample s : new RunningSample[] {controller, app, edge}) {
                if (s != null) {
                    s.stop();
                }
            }
        }
    }
}
