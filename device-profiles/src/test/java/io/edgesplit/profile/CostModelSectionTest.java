package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The {@code costModels} section of the profile format: what it reads into, that the writer's output
 * reads back equal, and the exact message of each kind of malformed section.
 */
class CostModelSectionTest {

    /** Line numbers matter: tests quote them. */
    static final String VALID = String.join("\n",
            "formatVersion: 1",               // 1
            "kind: device",                   // 2
            "id: test-board",                 // 3
            "compute:",                       // 4
            "  cpus:",                        // 5
            "    - name: a72",                // 6
            "      cores: 4",                 // 7
            "memory: 4GiB",                   // 8
            "costModels:",                    // 9
            "  - threads: 2",                 // 10
            "    delegate: xnnpack",          // 11
            "    throughput: 2.5GMAC/s",      // 12
            "    perInvoke: 20us",            // 13
            "    fittedSegments: 64",         // 14
            "    heldOutError: 3.5%",         // 15
            "    operators:",                 // 16
            "      CONV_2D:",                 // 17
            "        perMac: 0.4ns",          // 18
            "        perByte: 0.05ns",        // 19
            "        perOperator: 12us",      // 20
            "      \"CUSTOM:MyOp\":",         // 21
            "        perMac: 0ns",            // 22
            "        perByte: 0ns",           // 23
            "        perOperator: 1ms",       // 24
            "  - threads: 4",                 // 25
            "    delegate: gpu",              // 26
            "    throughput: 50GMAC/s",       // 27
            "");

    private static String message(String yaml) {
        ProfileException e = assertThrows(ProfileException.class, () -> DeviceProfiles.parse(yaml, "bad.yaml"));
        return e.getMessage();
    }

    private static String replace(String from, String to) {
        assertTrue(VALID.contains(from), "test setup: base profile has no '" + from + "'");
        return VALID.replace(from, to);
    }

    @Test
    void aCostModelSectionReadsIntoOneModelPerThreadCountAndDelegate() throws ProfileException {
        DeviceProfile p = DeviceProfiles.parse(VALID, "ok.yaml");
        assertEquals(2, p.costModels().size());
        CostModel cpu = p.costModel(2, Delegate.XNNPACK).orElseThrow();
        assertEquals(2.5e9, cpu.macsPerSecond());
        assertEquals(20_000.0, cpu.perInvokeNanos());
        assertEquals(64, cpu.fittedSegments().getAsInt());
        assertEquals(3.5, cpu.heldOutErrorPercent().getAsDouble());
        assertEquals(new OperatorCost(0.4, 0.05, 12_000), cpu.operators().get("CONV_2D"));
        assertEquals(new OperatorCost(0, 0, 1_000_000), cpu.operators().get("CUSTOM:MyOp"));
        CostModel gpu = p.costModel(4, Delegate.GPU).orElseThrow();
        assertFalse(gpu.hasOperatorCosts(), "a throughput-only model");
        assertEquals(0.0, gpu.perInvokeNanos());
        assertTrue(p.costModel(1, Delegate.XNNPACK).isEmpty());
    }

    @Test
    void writtenCostModelsReadBackEqual() throws ProfileException {
        DeviceProfile p = DeviceProfiles.parse(VALID, "ok.yaml");
        String yaml = ProfileWriter.toYaml(p);
        assertEquals(p, DeviceProfiles.parse(yaml, "written.yaml"), yaml);
        assertTrue(yaml.contains("    throughput: 2.5GMAC/s\n    perInvoke: 20us\n"), yaml);
        assertTrue(yaml.contains("      \"CUSTOM:MyOp\":\n        perMac: 0ns\n"), yaml);
    }

    @Test
    void putCostModelReplacesTheModelOfTheSameKey() throws ProfileException {
        DeviceProfile p = DeviceProfiles.parse(VALID, "ok.yaml");
        CostModel faster = CostModel.builder(2, Delegate.XNNPACK).macsPerSecond(5e9).build();
        DeviceProfile updated = p.toBuilder().putCostModel(faster).build();
        assertEquals(2, updated.costModels().size());
        assertEquals(faster, updated.costModel(2, Delegate.XNNPACK).orElseThrow());
    }

    @Test
    void throughputWithoutAUnitNamesTheUnitKind() {
        assertEquals("bad.yaml:12:17: costModels[0].throughput: missing unit in '2.5': write a compute throughput such "
                + "as '2.61GMAC/s' or '850MMAC/s'", message(replace("throughput: 2.5GMAC/s", "throughput: 2.5")));
    }

    @Test
    void missingThroughputIsReportedAtItsCostModel() {
        assertEquals("bad.yaml:25:5: costModels[1].throughput: missing required field",
                message(replace("    throughput: 50GMAC/s\n", "")));
    }

    @Test
    void negativeCoefficientIsRejectedWithTheValueAsWritten() {
        assertEquals("bad.yaml:18:17: costModels[0].operators.CONV_2D.perMac: must be >= 0, was -0.4ns",
                message(replace("perMac: 0.4ns", "perMac: -0.4ns")));
    }

    @Test
    void coefficientInTheWrongUnitKindSaysWhichUnitsFit() {
        assertEquals("bad.yaml:19:18: costModels[0].operators.CONV_2D.perByte: unknown unit 'GB' in '0.05GB': write a "
                + "duration in ns, us, ms, s, min, h", message(replace("perByte: 0.05ns", "perByte: 0.05GB")));
    }

    @Test
    void unknownCoefficientKeyGetsADidYouMean() {
        assertEquals("bad.yaml:18:9: costModels[0].operators.CONV_2D.perOperator: missing required field\n"
                + "bad.yaml:20:9: costModels[0].operators.CONV_2D.perOperators: unknown key, did you mean "
                + "'perOperator'?",
                message(replace("perOperator: 12us", "perOperators: 12us")));
    }

    @Test
    void unknownCostModelKeyGetsADidYouMean() {
        assertEquals("bad.yaml:13:5: costModels[0].perInvok: unknown key, did you mean 'perInvoke'?",
                message(replace("perInvoke: 20us", "perInvok: 20us")));
    }

    @Test
    void operatorTypeMustBeATensorFlowLiteName() {
        assertEquals("bad.yaml:17:7: costModels[0].operators.conv2d: operator types are TensorFlow Lite names such as "
                + "CONV_2D, BUILTIN_<code> or CUSTOM:<name>", message(replace("      CONV_2D:", "      conv2d:")));
    }

    @Test
    void twoModelsForTheSameThreadsAndDelegateAreRejected() {
        String yaml = replace("  - threads: 4\n    delegate: gpu", "  - threads: 2\n    delegate: xnnpack");
        assertEquals("bad.yaml:25:5: costModels[1]: duplicate cost model for threads 2 and delegate xnnpack "
                + "(first at line 10)", message(yaml));
    }

    @Test
    void misspelledDelegateSuggestsTheClosest() {
        assertEquals("bad.yaml:26:15: costModels[1].delegate: must be one of none, xnnpack, gpu, nnapi, hexagon, "
                + "edgetpu, was 'gpus'; did you mean 'gpu'?", message(replace("delegate: gpu", "delegate: gpus")));
    }

    @Test
    void negativeHeldOutErrorIsRejected() {
        assertEquals("bad.yaml:15:19: costModels[0].heldOutError: must be >= 0, was -3.5%",
                message(replace("heldOutError: 3.5%", "heldOutError: -3.5%")));
    }

    @Test
    void fittedSegmentsMustBeAPositiveInteger() {
        assertEquals("bad.yaml:14:21: costModels[0].fittedSegments: must be >= 1, was 0",
                message(replace("fittedSegments: 64", "fittedSegments: 0")));
    }

    @Test
    void emptyOperatorsPointsToTheThroughputOnlyForm() {
        String yaml = VALID.substring(0, VALID.indexOf("    operators:")) + "    operators: {}\n";
        assertEquals("bad.yaml:16:16: costModels[0].operators: must not be empty; leave operators out for a "
                + "throughput-only cost model", message(yaml));
    }

    @Test
    void costModelsMustBeAList() {
        String yaml = VALID.substring(0, VALID.indexOf("costModels:")) + "costModels:\n  threads: 2\n";
        assertEquals("bad.yaml:10:3: costModels: must be a list, was a mapping", message(yaml));
    }

    @Test
    void anEmptyCostModelListIsRejected() {
        String yaml = VALID.substring(0, VALID.indexOf("costModels:")) + "costModels: []\n";
        assertEquals("bad.yaml:9:13: costModels: must not be empty", message(yaml));
    }

    @Test
    void builderRejectsAnOperatorTypeThatIsNotATensorFlowLiteName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostModel
                .builder(1, Delegate.NONE).operator("conv 2d", new OperatorCost(0, 0, 0)));
        assertEquals("operators: 'conv 2d' is not an operator type name such as CONV_2D or CUSTOM:MyOp", e.getMessage());
    }

    @Test
    void builderRequiresAThroughput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostModel.builder(1, Delegate.NONE).build());
        assertEquals("macsPerSecond: is required", e.getMessage());
    }

    @Test
    void operatorCostRejectsNegativeCoefficients() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OperatorCost(1, -1, 0));
        assertEquals("nanosPerByte: must be >= 0 and finite, was -1.0", e.getMessage());
    }
}
