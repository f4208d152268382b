package io.edgesplit.cli;

import static io.edgesplit.cli.InspectCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.common.Sha256;
import io.edgesplit.graph.GraphTensor;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    @TempDir
    static Path tmp;
    static Path synthetic;

    @BeforeAll
    static void buildSyntheticPackage() {
        synthetic = tmp.resolve("syn");
        InspectCommandTest.Run run = cli("split", "--synthetic", "--out", synthetic.toString(), "--no-progress",
                "--codec", "fp16,int8");
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void everySplitOfTheSyntheticFamilyIsBitExactWithRaw() throws Exception {
        InspectCommandTest.Run run = cli("verify", synthetic.toString(), "--variant", "w0.25,w0.50", "--json",
                "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(2, json.get("variants").size());
        for (JsonNode v : json.get("variants")) {
            JsonNode raw = v.get("summary").get("raw");
            assertEquals(raw.get("splitPoints").asInt(), raw.get("bitExact").asInt(), v.get("variant").asText());
            assertEquals(0.0, raw.get("worstMaxAbsDiff").asDouble());
            JsonNode int8 = v.get("summary").get("int8");
            assertTrue(int8.get("worstMaxAbsDiff").asDouble() > 0, "int8 is lossy on float activations");
            for (JsonNode s : v.get("splits")) {
                long rawBytes = s.get("codecs").get("raw").get("wireBytes").asLong();
                long int8Bytes = s.get("codecs").get("int8").get("wireBytes").asLong();
                // a quarter of the FP32 bytes plus an 8-byte header per crossing tensor
                assertTrue(int8Bytes <= rawBytes / 4 + 8L * s.get("crossingTensors").asInt(), s.get("split").asText());
            }
        }
    }

    @Test
    void int8KeepsTopOneOnRealImagesAndCropsAtEverySplitOfAFloatModel() throws Exception {
        Path model = SharedData.model("mobilenet_v1_0.25_224_float.tflite");
        Path pkg = tmp.resolve("float");
        assertEquals(0, cli("split", model.toString(), "--widths", "1.0", "--out", pkg.toString(), "--no-progress",
                "--codec", "int8").exitCode());
        InspectCommandTest.Run run = cli("verify", pkg.toString(), "--image",
                SharedData.image("burger.jpg").toString(), "--image", SharedData.image("grace_hopper.jpg").toString(),
                "--crops", "2", "--json", "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = new ObjectMapper().readTree(run.out()).get("variants").get(0).get("summary");
        assertEquals(1.0, summary.get("int8").get("minTop1Agreement").asDouble());
        assertEquals(1.0, summary.get("raw").get("minTop1Agreement").asDouble());
    }

    @Test
    void aTailThatComputesSomethingElseFailsVerificationNamingTheSplit() throws Exception {
        Path copy = tmp.resolve("sabotaged");
        assertEquals(0, cli("split", "--synthetic", "--out", copy.toString(), "--no-progress").exitCode());
        ModelPackage pkg = ModelPackage.load(copy);
        SplitPoint victim = pkg.variant("w0.25").splits().get(3);
        // Rewrite the tail with different classifier weights and update the manifest's hash, so the
        // package still loads: only comparing outputs can catch it.
        Path tailFile = pkg.segmentPath(victim.tailSegment());
        ModelGraph tail = ModelGraph.read(tailFile);
        byte[] sabotaged = sabotageClassifier(tail.toBytes());
        String newSha = Sha256.of(sabotaged);
        Files.delete(tailFile);
        Files.write(copy.resolve("segments/" + newSha + ".tflite"), sabotaged);
        Path manifest = copy.resolve("manifest.json");
        String json = Files.readString(manifest).replace(victim.tailSegment(), newSha)
                .replace("\"bytes\" : " + Files.size(copy.resolve("segments/" + newSha + ".tflite")),
                        "\"bytes\" : " + sabotaged.length);
        Files.writeString(manifest, json);
        InspectCommandTest.Run run = cli("verify", copy.toString(), "--variant", "w0.25", "--no-progress", "--codec",
                "raw");
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.err().contains("raw codec is not bit-exact at 1 split point(s): w0.25/s003"), run.err());
    }

    /** Negates the classifier's weights in place: same size, same structure, other numbers. */
    private static byte[] sabotageClassifier(byte[] model) throws Exception {
        ModelGraph g = ModelGraph.read(ByteBuffer.wrap(model), "tail");
        GraphTensor weights = g.tensors().stream().filter(t -> t.name().equals("logits/weights")).findFirst()
                .orElseThrow();
        org.tensorflow.lite.schema.Model m = org.tensorflow.lite.schema.Model.getRootAsModel(
                ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN));
        int at = m.buffers(weights.buffer()).dataAsByteBuffer().position();
        byte[] out = model.clone();
        for (int i = 0; i < weights.byteSize(); i += 4) {
            out[at + i + 3] ^= (byte) 0x80; // sign bit of each little-endian float
        }
        return out;
    }

    @Test
    void tamperedPackageIsRefusedBeforeAnythingRuns() throws Exception {
        Path copy = tmp.resolve("tampered");
        assertEquals(0, cli("split", "--synthetic", "--out", copy.toString(), "--no-progress").exitCode());
        Path seg;
        try (var files = Files.list(copy.resolve("segments"))) {
            seg = files.findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(seg);
        b[100] ^= 1;
        Files.write(seg, b);
        InspectCommandTest.Run run = cli("verify", copy.toString(), "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains(seg + ": sha256 mismatch: the manifest says "), run.err());
    }

    @Test
    void unknownCodecIsNamed() {
        InspectCommandTest.Run run = cli("verify", synthetic.toString(), "--codec", "zstd", "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("unknown codec 'zstd', expected one of raw, fp16"), run.err());
    }
}
