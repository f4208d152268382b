package io.edgesplit.profile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.ProfileException;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.ProfileWriter;
import io.edgesplit.profile.RadioPowerModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps the shipped JSON Schema and the Java loader from drifting apart: the catalog validates
 * against the schema, both declare the same keys and enumerations, and malformed documents are
 * rejected by both.
 */
class ProfileSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode schemaJson;
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = DeviceProfiles.class.getResourceAsStream("device-profile.schema.json")) {
            schemaJson = JSON.readTree(in);
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson);
    }

    /** YAML to JSON the way the loader sees it: SnakeYAML Engine's JSON schema for scalars. */
    private static JsonNode yamlToJson(String yaml) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        return JSON.valueToTree(doc);
    }

    private static Set<ValidationMessage> validate(String yaml) {
        return schema.validate(yamlToJson(yaml));
    }

    static List<String> ids() {
        return DeviceProfiles.CATALOG_IDS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void everyCatalogProfileValidatesAgainstTheSchema(String id) throws ProfileException {
        assertEquals(Set.of(), validate(DeviceProfiles.catalogYaml(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void whatTheWriterEmitsValidatesAgainstTheSchema(String id) throws ProfileException {
        assertEquals(Set.of(), validate(ProfileWriter.toYaml(DeviceProfiles.catalog(id))));
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static JsonNode def(String name) {
        return schemaJson.get("$defs").get(name);
    }

    @Test
    void schemaAndLoaderAcceptExactlyTheSameKeys() {
        assertEquals(new TreeSet<>(ProfileParser.TOP_KEYS), keys(schemaJson.get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.COMPUTE_KEYS), keys(def("compute").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.CPU_KEYS), keys(def("cpu").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.GPU_KEYS), keys(def("gpu").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.POWER_KEYS), keys(def("powerModel").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.LINK_KEYS), keys(def("link").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.RADIO_KEYS), keys(def("radio").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.THERMAL_KEYS), keys(def("thermal").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.SEGMENT_KEYS), keys(def("segmentLatency").get("properties")));
        assertEquals(new TreeSet<>(IdentityKeys.ALL), keys(def("identity").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.COST_MODEL_KEYS), keys(def("costModel").get("properties")));
        assertEquals(new TreeSet<>(ProfileParser.OPERATOR_COST_KEYS), keys(def("operatorCost").get("properties")));
    }

    @Test
    void schemaAndLoaderAgreeOnEnumerations() {
        assertEquals(Arrays.stream(Delegate.values()).map(Delegate::yamlName).collect(Collectors.toList()),
                texts(def("delegate").get("enum")));
        assertEquals(Arrays.stream(ProfileKind.values()).map(ProfileKind::yamlName).collect(Collectors.toList()),
                texts(schemaJson.get("properties").get("kind").get("enum")));
        assertEquals(new ArrayList<>(RadioPowerModel.presets().keySet()),
                texts(def("radio").get("properties").get("preset").get("enum")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Each is a malformed variant of a valid profile; the schema and the loader must both refuse it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "cores: 4=>cores: four",
        "cores: 4=>cores: \"4\"",
        "memory: 4GiB=>memory: 4",
        "memory: 4GiB=>memory: 4 apples",
        "uplink: 5Mbit/s=>uplink: -3Mbit/s",
        "uplink: 5Mbit/s=>uplinkMbps: 5Mbit/s",
        "threads: 4=>thread: 4",
        "kind: device=>kind: phone",
        "formatVersion: 1=>formatVersion: 2",
        "id: test-board=>id: Test Board",
        "rtt: 40ms=>rtt: 40",
        "name: a72=>name: 72"})
    void schemaAndLoaderBothRejectMalformedProfiles(String edit) {
        String[] fromTo = edit.split("=>");
        String valid = io.edgesplit.profile.MalformedProfileTestAccess.validProfile();
        assertTrue(valid.contains(fromTo[0]), edit);
        String yaml = valid.replace(fromTo[0], fromTo[1]);
        assertFalse(validate(yaml).isEmpty(), "schema accepted: " + edit);
        assertThrows(ProfileException.class, () -> DeviceProfiles.parse(yaml, "bad.yaml"), "loader accepted: " + edit);
    }

    /** Malformed variants of the cost model base profile; the schema and the loader must both refuse them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "throughput: 2.5GMAC/s=>throughput: 2.5",
        "throughput: 2.5GMAC/s=>throughput: 2.5GFLOP/s",
        "perMac: 0.4ns=>perMac: -0.4ns",
        "perMac: 0.4ns=>perMac: 0.4",
        "perInvoke: 20us=>perInvok: 20us",
        "      CONV_2D:=>      conv2d:",
        "heldOutError: 3.5%=>heldOutError: 3.5",
        "fittedSegments: 64=>fittedSegments: 0",
        "    throughput: 50GMAC/s\n=>",
        "        perOperator: 12us\n      \"CUSTOM=>        perOp: 12us\n      \"CUSTOM"})
    void schemaAndLoaderBothRejectMalformedCostModels(String edit) {
        String[] fromTo = edit.split("=>", -1);
        String valid = io.edgesplit.profile.MalformedProfileTestAccess.validProfileWithCostModels();
        assertTrue(valid.contains(fromTo[0]), edit);
        String yaml = valid.replace(fromTo[0], fromTo[1]);
        assertFalse(validate(yaml).isEmpty(), "schema accepted: " + edit);
        assertThrows(ProfileException.class, () -> DeviceProfiles.parse(yaml, "bad.yaml"), "loader accepted: " + edit);
    }

    @Test
    void theCostModelBaseAndItsWrittenFormAreValidForBoth() throws ProfileException {
        String valid = io.edgesplit.profile.MalformedProfileTestAccess.validProfileWithCostModels();
        assertEquals(Set.of(), validate(valid));
        assertEquals(Set.of(), validate(ProfileWriter.toYaml(DeviceProfiles.parse(valid, "ok.yaml"))));
    }

    @Test
    void theBaseOfTheMalformedCasesIsValidForBoth() throws ProfileException {
        String valid = io.edgesplit.profile.MalformedProfileTestAccess.validProfile();
        assertEquals(Set.of(), validate(valid));
        assertEquals("test-board", DeviceProfiles.parse(valid, "ok.yaml").id());
    }
}
