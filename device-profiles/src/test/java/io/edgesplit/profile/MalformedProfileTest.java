package io.edgesplit.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every kind of malformed profile, each with the exact message a user sees. The base profile is
 * valid; each test breaks one thing (or several, to check they are all reported at once).
 */
class MalformedProfileTest {

    /** Line numbers matter: tests quote them. */
    static final String VALID = String.join("\n",
            "formatVersion: 1",               // 1
            "kind: device",                   // 2
            "id: test-board",                 // 3
            "compute:",                       // 4
            "  cpus:",                        // 5
            "    - name: a72",                // 6
            "      cores: 4",                 // 7
            "      maxFrequency: 1.5GHz",     // 8
            "  threads: 4",                   // 9
            "memory: 4GiB",                   // 10
            "links:",                         // 11
            "  lte:",                         // 12
            "    uplink: 5Mbit/s",            // 13
            "    downlink: 20Mbit/s",         // 14
            "    rtt: 40ms",                  // 15
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
    void theBaseProfileIsValid() throws ProfileException {
        DeviceProfile p = DeviceProfiles.parse(VALID, "bad.yaml");
        assertEquals(5_000_000.0, p.links().get("lte").uplinkBitsPerSecond());
        assertEquals(4, p.compute().threads());
    }

    @Test
    void negativeBandwidthIsRejectedWithTheValueAsWritten() {
        assertEquals("bad.yaml:13:13: links.lte.uplink: must be > 0, was -3mbit",
                message(replace("uplink: 5Mbit/s", "uplink: -3mbit")));
    }

    @Test
    void zeroBandwidthIsRejected() {
        assertEquals("bad.yaml:14:15: links.lte.downlink: must be > 0, was 0Mbit/s",
                message(replace("downlink: 20Mbit/s", "downlink: 0Mbit/s")));
    }

    @Test
    void wordWhereAnIntegerBelongsIsAWrongType() {
        assertEquals("bad.yaml:7:14: compute.cpus[0].cores: must be an integer, was 'four'",
                message(replace("cores: 4", "cores: four")));
    }

    @Test
    void quotedIntegerIsAWrongTypeWithAHint() {
        assertEquals("bad.yaml:7:14: compute.cpus[0].cores: must be an integer, was the string '4'; remove the quotes",
                message(replace("cores: 4", "cores: \"4\"")));
    }

    @Test
    void mappingWhereAQuantityBelongsIsAWrongType() {
        assertEquals("bad.yaml:11:3: memory: must be a quantity with a unit, was a mapping",
                message(replace("memory: 4GiB", "memory:\n  total: 4GiB")));
    }

    @Test
    void scalarWhereASectionBelongsIsAWrongType() {
        String yaml = VALID.substring(0, VALID.indexOf("compute:")) + "compute: fast\n"
                + VALID.substring(VALID.indexOf("memory:"));
        assertEquals("bad.yaml:4:10: compute: must be a mapping, was 'fast'", message(yaml));
    }

    @Test
    void numberWhereTextBelongsIsAWrongType() {
        assertEquals("bad.yaml:6:13: compute.cpus[0].name: must be a string, was '72'; quote it if it is meant as text",
                message(replace("name: a72", "name: 72")));
    }

    @Test
    void missingTopLevelFieldIsReportedAtTheDocumentStart() {
        assertEquals("bad.yaml:1:1: memory: missing required field", message(replace("memory: 4GiB\n", "")));
    }

    @Test
    void missingNestedFieldIsReportedAtItsMapping() {
        assertEquals("bad.yaml:13:5: links.lte.rtt: missing required field", message(replace("    rtt: 40ms\n", "")));
    }

    @Test
    void unknownKeyGetsADidYouMean() {
        assertEquals("bad.yaml:9:3: compute.thread: unknown key, did you mean 'threads'?",
                message(replace("threads: 4", "thread: 4")));
    }

    @Test
    void unitInTheKeyNameIsCaughtAsAnUnknownKey() {
        assertEquals("bad.yaml:13:5: links.lte.uplinkMbps: unknown key, did you mean 'uplink'?\n"
                        + "bad.yaml:13:5: links.lte.uplink: missing required field",
                message(replace("uplink: 5Mbit/s", "uplinkMbps: 5")));
    }

    @Test
    void unknownKeyWithoutACloseMatchListsTheAllowedKeys() {
        assertEquals("bad.yaml:16:1: colour: unknown key; expected one of: formatVersion, kind, id, name, identity, "
                + "compute, memory, power, links, thermal, segmentLatencies, costModels", message(VALID + "colour: red\n"));
    }

    @Test
    void lowerCaseMbpsIsRejectedAsAmbiguous() {
        assertEquals("bad.yaml:13:13: links.lte.uplink: ambiguous unit 'mbps' in '5mbps': write '5Mbit/s' for megabits "
                + "or '5MB/s' for megabytes per second", message(replace("uplink: 5Mbit/s", "uplink: 5mbps")));
    }

    @Test
    void upperCaseMBpsIsRejectedAsAmbiguous() {
        assertEquals("bad.yaml:14:15: links.lte.downlink: ambiguous unit 'MBps' in '5MBps': write '5Mbit/s' for megabits "
                + "or '5MB/s' for megabytes per second", message(replace("downlink: 20Mbit/s", "downlink: 5MBps")));
    }

    @Test
    void bareNumberForABandwidthNamesTheUnitKind() {
        assertEquals("bad.yaml:13:13: links.lte.uplink: missing unit in '5': write a bandwidth such as '5Mbit/s' or "
                + "'625kB/s'", message(replace("uplink: 5Mbit/s", "uplink: 5")));
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrenceWithTheFirstLine() {
        assertEquals("bad.yaml:16:5: links.lte.rtt: duplicate key (first defined at line 15)",
                message(VALID + "    rtt: 30ms\n"));
    }

    @Test
    void duplicateTopLevelKeyIsReported() {
        assertEquals("bad.yaml:16:1: kind: duplicate key (first defined at line 2)", message(VALID + "kind: edge\n"));
    }

    @Test
    void everyProblemIsReportedAtOnceInDocumentOrder() {
        String yaml = VALID.replace("kind: device", "kind: devise").replace("cores: 4", "cores: 0")
                .replace("rtt: 40ms", "rtt: 40") + "power:\n  idle: 2W\n  active: 1W\n";
        assertEquals(String.join("\n",
                "bad.yaml:2:7: kind: must be one of device, edge, cloud, was 'devise'; did you mean 'device'?",
                "bad.yaml:7:14: compute.cpus[0].cores: must be >= 1, was 0",
                "bad.yaml:15:10: links.lte.rtt: missing unit in '40': write a duration such as '40ms' or '1.5s'",
                "bad.yaml:18:11: power.active: must be >= power.idle 2W, was 1W"), message(yaml));
    }

    @Test
    void errorsCarryStructuredLocations() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> DeviceProfiles.parse(replace("uplink: 5Mbit/s", "uplink: -3mbit"), "bad.yaml"));
        assertEquals(1, e.errors().size());
        ProfileError error = e.errors().get(0);
        assertEquals(13, error.line());
        assertEquals(13, error.column());
        assertEquals("links.lte.uplink", error.path());
        assertEquals("must be > 0, was -3mbit", error.message());
    }

    @Test
    void moreThreadsThanCoresIsRejected() {
        assertEquals("bad.yaml:9:12: compute.threads: must be <= 4, the total cores in compute.cpus, was 8",
                message(replace("threads: 4", "threads: 8")));
    }

    @Test
    void perCorePowerForAnUnknownClusterSuggestsTheClosestName() {
        assertEquals("bad.yaml:20:5: power.perCore.a27: no CPU cluster named 'a27' in compute.cpus, did you mean 'a72'?",
                message(VALID + "power:\n  idle: 2W\n  active: 6W\n  perCore:\n    a27: 1W\n"));
    }

    @Test
    void p95BelowTheMedianIsRejected() {
        String sha = "ab".repeat(32);
        assertEquals("bad.yaml:21:12: segmentLatencies." + sha + "[0].p95: must be >= median 12ms, was 10ms",
                message(VALID + "segmentLatencies:\n  \"" + sha + "\":\n    - threads: 1\n      delegate: xnnpack\n"
                        + "      median: 12ms\n      p95: 10ms\n      runs: 5\n"));
    }

    @Test
    void segmentKeyMustBeASha256() {
        assertEquals("bad.yaml:17:3: segmentLatencies.head.tflite: segment keys are sha256 digests: 64 lower-case hex digits",
                message(VALID + "segmentLatencies:\n  head.tflite:\n    - {threads: 1, delegate: xnnpack, median: 1ms, "
                        + "p95: 1ms, runs: 1}\n"));
    }

    @Test
    void unknownRadioPresetSuggestsTheClosest() {
        assertEquals("bad.yaml:17:15: links.lte.radio.preset: must be one of aro-lte, aro-wifi, aro-3g, was 'aro-lt'; "
                + "did you mean 'aro-lte'?", message(VALID + "    radio:\n      preset: aro-lt\n"));
    }

    @Test
    void radioWithoutPresetNeedsEveryParameter() {
        assertEquals("bad.yaml:17:7: links.lte.radio.tailTime: missing required field",
                message(VALID + "    radio:\n      alphaUp: 438.39mW/Mbps\n      alphaDown: 51.97mW/Mbps\n"
                        + "      beta: 1.2W\n      promotionPower: 1.21W\n      promotionTime: 260ms\n"
                        + "      tailPower: 1.06W\n"));
    }

    @Test
    void unsupportedFormatVersionSaysWhichOneIsRead() {
        assertEquals("bad.yaml:1:16: formatVersion: unsupported format version 2: this EdgeSplit reads version 1",
                message(replace("formatVersion: 1", "formatVersion: 2")));
    }

    @Test
    void anchorsAreRefused() {
        assertEquals("bad.yaml:13:13: links.lte.uplink: anchors and aliases are not supported in profiles; write the "
                + "value out", message(replace("uplink: 5Mbit/s", "uplink: &up 5Mbit/s")));
    }

    @Test
    void yamlSyntaxErrorsCarryTheirPosition() {
        String m = message(replace("kind: device", "kind: [device"));
        assertTrue(m.startsWith("bad.yaml:3:3: invalid YAML: "), m);
    }

    @Test
    void emptyDocumentSaysWhatAProfileNeeds() {
        assertEquals("bad.yaml: empty document: a profile needs at least formatVersion, kind, id, compute and memory",
                message("# nothing here\n"));
    }

    @Test
    void aListAtTheTopIsAWrongType() {
        assertEquals("bad.yaml:1:1: must be a mapping, was a list", message("- a\n- b\n"));
    }
}
