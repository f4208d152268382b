package io.edgesplit.runtime;

import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.router.Target;
import io.edgesplit.router.TargetKind;
import java.util.Objects;

/**
 * A remote place the runtime may offload to: the router's view ({@link Target}: kind, id, the
 * server's profile, the device link that reaches it) and the transport that carries requests there
 * (a native protocol client for edge servers, an Open Inference Protocol v2 client for the cloud).
 * The runtime wraps the transport in the fault-tolerance chain itself.
 */
public final class RemoteTarget {

    private final Target target;
    private final OffloadTarget transport;

    private RemoteTarget(Target target, OffloadTarget transport) {
        this.target = target;
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public static RemoteTarget edge(String id, DeviceProfile server, String linkName, OffloadTarget transport) {
        return new RemoteTarget(Target.edge(id, server, linkName), transport);
    }

    public static RemoteTarget cloud(String id, DeviceProfile server, String linkName, OffloadTarget transport) {
        return new RemoteTarget(Target.cloud(id, server, linkName), transport);
    }

    public Target target() {
        return target;
    }

    public TargetKind kind() {
        return target.kind();
    }

    public String id() {
        return target.id();
    }

    public OffloadTarget transport() {
        return transport;
    }
}
