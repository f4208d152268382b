package io.edgesplit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    /** Output and exit code of one CLI run. */
    record Run(int exitCode, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeSplitCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonReportsMobilenetV2Facts() throws Exception {
        Path model = SharedData.model("mobilenet_v2_1.0_224_quant.tflite");
        Run run = cli("inspect", model.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(66, json.get("operatorCount").asInt());
        assertEquals(10, json.get("operators").get("ADD").asInt());
        JsonNode in = json.get("inputs").get(0);
        assertEquals("[1,224,224,3]", in.get("shape").toString());
        assertEquals("UINT8", in.get("datatype").asText());
        assertEquals(128, in.get("quantization").get("zeroPoint").get(0).asInt());
        JsonNode out = json.get("outputs").get(0);
        assertEquals("[1,1001]", out.get("shape").toString());
        assertEquals("UINT8", out.get("datatype").asText());
        assertTrue(json.get("totalMacs").asLong() > 290_000_000L);
        JsonNode splits = json.get("splitCandidates");
        assertEquals(67, splits.size());
        assertEquals(150528, splits.get(0).get("crossingBytes").asLong());
        assertEquals(2, splits.get(7).get("crossing").size(), "inside the first residual block");
    }

    @Test
    void textReportNamesTheOperatorsAndSplits() {
        Path model = SharedData.model("mobilenet_v1_0.25_128_quant.tflite");
        Run run = cli("inspect", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Input       input [1,128,128,3] UINT8  scale=0.0078125 zero_point=128"), run.out());
        assertTrue(run.out().contains("Operators   31: "), run.out());
        assertTrue(run.out().contains("DEPTHWISE_CONV_2D 13"), run.out());
    }

    @Test
    void notAModelExitsWithOneAndNamesTheFile(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.tflite"), "hello world, not a model");
        Run run = cli("inspect", bogus.toString());
        assertEquals(1, run.exitCode());
        assertEquals("edgesplit inspect: error: " + bogus
                + ": not a TensorFlow Lite model: file identifier is 'o wo', expected 'TFL3'", run.err().trim());
    }

    @Test
    void missingArgumentIsAUsageError() {
        Run run = cli("inspect");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing required parameter: 'MODEL.tflite'"), run.err());
    }
}
