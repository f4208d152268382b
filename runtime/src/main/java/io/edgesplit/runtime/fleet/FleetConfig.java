package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.Objective;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node's remote configuration: a version, the budgets and the routing policy, and how often to
 * report telemetry. It travels signed with the fleet key inside an envelope
 * {@code {"payload": base64(config JSON), "signature": base64(ECDSA), "keyId": "..."}}, so the bytes
 * that were signed are exactly the bytes that are parsed. Devices apply a configuration only if the
 * signature verifies, every field validates, and its version is newer than the one they run.
 * Immutable.
 *
 * <pre>
 * {"fleet": "plant-7", "version": 12, "policy": "adaptive", "telemetryIntervalMs": 10000,
 *  "budgets": {"deadlineMs": 100, "deadlineHard": true, "energyMj": 150, "energyHard": false,
 *              "maxBytes": 200000, "minAccuracy": 0.6, "minSplitDepth": 3,
 *              "neverSendRawInput": true, "objective": "latency"}}
 * </pre>
 */
public final class FleetConfig {

    private static final Pattern POLICY = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Set<String> FIELDS = setOf("fleet", "version", "policy", "telemetryIntervalMs", "budgets");
    private static final Set<String> BUDGET_FIELDS = setOf("deadlineMs", "deadlineHard", "energyMj", "energyHard",
            "maxBytes", "bytesHard", "minAccuracy", "accuracyHard", "minSplitDepth", "neverSendRawInput", "objective");

    private static Set<String> setOf(String... names) {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(java.util.Arrays.asList(names)));
    }

    private final String fleet;
    private final long version;
    private final String policy;
    private final long telemetryIntervalMillis;
    private final Budgets budgets;
    private final ObjectNode json;

    private FleetConfig(String fleet, long version, String policy, long telemetryIntervalMillis, Budgets budgets,
            ObjectNode json) {
        this.fleet = fleet;
        this.version = version;
        this.policy = policy;
        this.telemetryIntervalMillis = telemetryIntervalMillis;
        this.budgets = budgets;
        this.json = json;
    }

    /**
     * Builds a configuration to sign and publish.
     *
     * @throws IllegalArgumentException naming the field and value when one is out of range
     */
    public static FleetConfig of(String fleet, long version, String policy, long telemetryIntervalMillis,
            ObjectNode budgets) {
        ObjectNode n = FleetJson.object();
        n.put("fleet", fleet);
        n.put("version", version);
        n.put("policy", policy);
        n.put("telemetryIntervalMs", telemetryIntervalMillis);
        n.set("budgets", budgets == null ? FleetJson.object() : budgets);
        try {
            return fromJson(n, "config");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public String fleet() {
        return fleet;
    }

    public long version() {
        return version;
    }

    /** Name of the routing policy ("adaptive", "local-only", ...). */
    public String policy() {
        return policy;
    }

    public long telemetryIntervalMillis() {
        return telemetryIntervalMillis;
    }

    public Budgets budgets() {
        return budgets;
    }

    /** The configuration as JSON (what is signed). */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /** Signs this configuration into the envelope devices accept. */
    public byte[] signedEnvelope(PrivateKey key, PublicKey publicKey) {
        byte[] payload = FleetJson.bytes(json);
        ObjectNode env = FleetJson.object();
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("signature", Base64.getEncoder().encodeToString(FleetKeys.sign(key, payload)));
        env.put("keyId", FleetKeys.keyId(publicKey));
        return FleetJson.bytes(env);
    }

    /**
     * Verifies and parses a signed envelope.
     *
     * @throws ConfigRejectedException saying why: not an envelope, unsigned, wrong signature, invalid field
     */
    public static FleetConfig verify(byte[] envelope, PublicKey fleetKey, String source) throws ConfigRejectedException {
        ObjectNode env;
        try {
            env = FleetJson.parseObject(envelope, source);
        } catch (IOException e) {
            throw new ConfigRejectedException(e.getMessage());
        }
        JsonNode payloadNode = env.get("payload");
        JsonNode sigNode = env.get("signature");
        if (payloadNode == null || !payloadNode.isTextual()) {
            throw new ConfigRejectedException(source + ": not a signed configuration envelope (no 'payload')");
        }
        if (sigNode == null || !sigNode.isTextual() || sigNode.asText().isEmpty()) {
            throw new ConfigRejectedException(source + ": unsigned configuration refused");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getDecoder().decode(payloadNode.asText());
            signature = Base64.getDecoder().decode(sigNode.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigRejectedException(source + ": payload or signature is not Base64");
        }
        if (!FleetKeys.verify(fleetKey, payload, signature)) {
            throw new ConfigRejectedException(source + ": signature does not verify with fleet key "
                    + FleetKeys.keyId(fleetKey) + (env.hasNonNull("keyId") ? " (signed by key " + env.get("keyId").asText() + ")" : ""));
        }
        try {
            return fromJson(FleetJson.parseObject(payload, source + " payload"), source);
        } catch (IOException e) {
            throw new ConfigRejectedException(e.getMessage());
        }
    }

    static FleetConfig fromJson(ObjectNode n, String source) throws IOException {
        rejectUnknown(n, FIELDS, source, "");
        String fleet = text(n, "fleet", source);
        FleetTopics.validateId(source + ": fleet", fleet);
        long version = integer(n, "version", source, 1, Long.MAX_VALUE);
        String policy = text(n, "policy", source);
        if (!POLICY.matcher(policy).matches()) {
            throw new IOException(source + ": policy: '" + policy + "' is not a policy name (lower-case letters, digits, '-')");
        }
        long interval = n.has("telemetryIntervalMs") ? integer(n, "telemetryIntervalMs", source, 1000, 86_400_000L) : 10_000;
        JsonNode b = n.get("budgets");
        if (b == null || !b.isObject()) {
            throw new IOException(source + ": budgets: must be an object");
        }
        Budgets budgets = budgets((ObjectNode) b, source, "budgets.");
        return new FleetConfig(fleet, version, policy, interval, budgets, n.deepCopy());
    }

    /**
     * Parses a budgets object as a configuration carries it (fields as in the class comment), for
     * commands that set budgets directly.
     *
     * @param source what the object is, for errors, e.g. {@code "set-budgets"}
     * @param field the name of the object in its message, e.g. {@code "args"}
     * @throws IllegalArgumentException naming the field and the reason, e.g.
     *     {@code "set-budgets: args.deadlineMs: must be a number"}
     */
    public static Budgets parseBudgets(JsonNode json, String source, String field) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(source + ": " + field + ": must be a JSON object, was "
                    + (json == null ? "missing" : FleetJson.describeType(json)));
        }
        try {
            return budgets((ObjectNode) json, source, field + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Budgets budgets(ObjectNode b, String source, String prefix) throws IOException {
        rejectUnknown(b, BUDGET_FIELDS, source, prefix);
        Budgets.Builder builder = Budgets.builder();
        if (b.has("deadlineMs")) {
            double ms = number(b, "deadlineMs", source, prefix);
            boolean hard = bool(b, "deadlineHard", true, source, prefix);
            apply(() -> builder.deadlineMillis(ms, hard), "deadlineMs", source, prefix);
        }
        if (b.has("energyMj")) {
            double mj = number(b, "energyMj", source, prefix);
            boolean hard = bool(b, "energyHard", true, source, prefix);
            apply(() -> builder.energyMillijoules(mj, hard), "energyMj", source, prefix);
        }
        if (b.has("maxBytes")) {
            long bytes = integer(b, "maxBytes", source, prefix, 1, Long.MAX_VALUE);
            boolean hard = bool(b, "bytesHard", true, source, prefix);
            apply(() -> builder.bytesPerInference(bytes, hard), "maxBytes", source, prefix);
        }
        if (b.has("minAccuracy")) {
            double accuracy = number(b, "minAccuracy", source, prefix);
            boolean hard = bool(b, "accuracyHard", true, source, prefix);
            apply(() -> builder.minAccuracy(accuracy, hard), "minAccuracy", source, prefix);
        }
        if (b.has("minSplitDepth")) {
            int depth = (int) integer(b, "minSplitDepth", source, prefix, 0, 100_000);
            apply(() -> builder.minSplitDepth(depth), "minSplitDepth", source, prefix);
        }
        if (b.has("neverSendRawInput")) {
            boolean never = bool(b, "neverSendRawInput", false, source, prefix);
            apply(() -> builder.neverSendRawInput(never), "neverSendRawInput", source, prefix);
        }
        if (b.has("objective")) {
            String objective = text(b, "objective", source, prefix);
            apply(() -> builder.objective(Objective.parse(objective)), "objective", source, prefix);
        }
        return builder.build();
    }

    /**
     * Runs one builder call; its IllegalArgumentException names the Java parameter
     * ({@code "deadlineMillis: must be > 0, was -5"}), the rethrown error names the JSON field.
     */
    private static void apply(Runnable call, String f, String source, String prefix) throws IOException {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            String reason = String.valueOf(e.getMessage()).replaceFirst("^[A-Za-z ]+: ", "");
            throw new IOException(source + ": " + prefix + f + ": " + reason, e);
        }
    }

    private static void rejectUnknown(JsonNode n, Set<String> known, String source, String prefix) throws IOException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IOException(source + ": " + prefix + f + ": unknown field, expected one of "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode n, String f, String source) throws IOException {
        return text(n, f, source, "");
    }

    private static String text(JsonNode n, String f, String source, String prefix) throws IOException {
        JsonNode v = n.get(f);
        if (v == null || !v.isTextual()) {
            throw new IOException(source + ": " + prefix + f + ": must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String f, String source, String prefix) throws IOException {
        JsonNode v = n.get(f);
        if (v == null || !v.isNumber()) {
            throw new IOException(source + ": " + prefix + f + ": must be a number");
        }
        return v.asDouble();
    }

    private static long integer(JsonNode n, String f, String source, long min, long max) throws IOException {
        return integer(n, f, source, "", min, max);
    }

    private static long integer(JsonNode n, String f, String source, String prefix, long min, long max)
            throws IOException {
        JsonNode v = n.get(f);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IOException(source + ": " + prefix + f + ": must be an integer");
        }
        long x = v.asLong();
        if (x < min || x > max) {
            throw new IOException(source + ": " + prefix + f + ": must be between " + min + " and " + max + ", was " + x);
        }
        return x;
    }

    private static boolean bool(JsonNode n, String f, boolean dflt, String source, String prefix) throws IOException {
        JsonNode v = n.get(f);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IOException(source + ": " + prefix + f + ": must be true or false");
        }
        return v.asBoolean();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetConfig && ((FleetConfig) o).json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FleetConfig{%s v%d policy=%s %s}", fleet, version, policy, budgets);
    }

}
