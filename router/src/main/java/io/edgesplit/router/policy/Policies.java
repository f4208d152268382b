package io.edgesplit.router.policy;

import io.edgesplit.router.TargetKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The routing policies, registered by name (one line each, as Caffeine's simulator registers its
 * eviction policies), with short aliases for the command line. Thread-safe: the registry is fixed.
 */
public final class Policies {

    private static final Map<String, Supplier<PlannerPolicy>> REGISTRY = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        register("adaptive", AdaptivePolicy::new);
        register("adaptive-plain", () -> new AdaptivePolicy("adaptive-plain").lateEvidence(false), "plain");
        register("local-only", LocalOnlyPolicy::new, "local");
        register("edge-only", () -> new RemoteOnlyPolicy(TargetKind.EDGE), "edge");
        register("cloud-only", () -> new RemoteOnlyPolicy(TargetKind.CLOUD), "cloud");
        register("best-static", BestStaticPolicy::new, "static", "neurosurgeon");
        register("oracle", OraclePolicy::new);
    }

    private Policies() {
    }

    private static void register(String name, Supplier<PlannerPolicy> factory, String... aliases) {
        REGISTRY.put(name, factory);
        for (String a : aliases) {
            ALIASES.put(a, name);
        }
    }

    /** Registered names, in registration order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(REGISTRY.keySet()));
    }

    /** The registered name of {@code nameOrAlias} ("edge" gives "edge-only"). */
    public static String canonical(String nameOrAlias) {
        String n = nameOrAlias.trim().toLowerCase(Locale.ROOT);
        n = ALIASES.getOrDefault(n, n);
        if (!REGISTRY.containsKey(n)) {
            throw new IllegalArgumentException("policy: '" + nameOrAlias + "' is not one of " + String.join(", ",
                    REGISTRY.keySet()) + " (aliases: " + String.join(", ", ALIASES.keySet()) + ")");
        }
        return n;
    }

    /**
     * A new instance of the policy called {@code nameOrAlias}.
     *
     * @throws IllegalArgumentException naming the unknown policy and listing the known ones
     */
    public static PlannerPolicy create(String nameOrAlias) {
        return REGISTRY.get(canonical(nameOrAlias)).get();
    }
}
