package io.edgesplit.router;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.profile.DeviceProfile;

/** Opens the package-private fixtures to tests in sub-packages. */
public final class RouterTestAccess {

    private RouterTestAccess() {
    }

    public static ModelPackage syntheticPackage() {
        return RouterFixtures.syntheticPackage();
    }

    public static DeviceProfile profile(String id) {
        return RouterFixtures.profile(id);
    }

    /** Latencies proportional to MACs: the device at 1 GMAC/s, any server at 20 GMAC/s. */
    public static final SegmentLatencyModel LINEAR = RouterFixtures.LINEAR;

    public static CostTable table() {
        return RouterFixtures.table();
    }
}
