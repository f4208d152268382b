package io.edgesplit.router;

import io.edgesplit.profile.DeviceProfile;
import java.util.Objects;

/**
 * A place a plan can run on: the device itself, or a remote target (edge server, cloud) with its
 * profile and the device link that reaches it. Immutable.
 */
public final class Target {

    private final TargetKind kind;
    private final String id;
    private final DeviceProfile profile;
    private final String linkName;

    private Target(TargetKind kind, String id, DeviceProfile profile, String linkName) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.id = Objects.requireNonNull(id, "id");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.linkName = linkName;
    }

    /** The device itself; {@code device} is the device's own profile. */
    public static Target local(DeviceProfile device) {
        return new Target(TargetKind.LOCAL, "local", device, null);
    }

    /** An edge server reached over the device's link {@code linkName} (e.g. "wifi", "lte"). */
    public static Target edge(String id, DeviceProfile server, String linkName) {
        return new Target(TargetKind.EDGE, id, server, Objects.requireNonNull(linkName, "linkName"));
    }

    /** A cloud target reached over the device's link {@code linkName}. */
    public static Target cloud(String id, DeviceProfile server, String linkName) {
        return new Target(TargetKind.CLOUD, id, server, Objects.requireNonNull(linkName, "linkName"));
    }

    public TargetKind kind() {
        return kind;
    }

    /** "local", or the server's id ("edge-1", "x86-edge-server"). */
    public String id() {
        return id;
    }

    /** The profile of the machine that runs this target's segments. */
    public DeviceProfile profile() {
        return profile;
    }

    /** Name of the device link used to reach this target; null for local. */
    public String linkName() {
        return linkName;
    }

    public boolean isLocal() {
        return kind == TargetKind.LOCAL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target && ((Target) o).kind == kind && ((Target) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + id.hashCode();
    }

    @Override
    public String toString() {
        return kind == TargetKind.LOCAL ? "local" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
