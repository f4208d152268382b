package io.edgesplit.router;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A synthetic package (two widths with accuracies) and catalog profiles, built once per JVM. */
final class RouterFixtures {

    private static ModelPackage pkg;

    private RouterFixtures() {
    }

    static synchronized ModelPackage syntheticPackage() {
        if (pkg == null) {
            try {
                Path dir = Files.createTempDirectory("router-fixture");
                List<ModelGraph> family = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
                PackageBuilder b = new PackageBuilder("synthetic").codecs(List.of("fp16", "int8"));
                b.addVariant(VariantSource.of(family.get(1), "w0.50", Sha256.of(family.get(1).toBytes()), 0.5, 0.60));
                b.addVariant(VariantSource.of(family.get(3), "w1.00", Sha256.of(family.get(3).toBytes()), 1.0, 0.75));
                pkg = b.write(dir.resolve("pkg"), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pkg;
    }

    static DeviceProfile profile(String id) {
        try {
            return DeviceProfiles.catalog(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Latencies proportional to MACs: the device at 1 GMAC/s, any server at 20 GMAC/s. */
    static final SegmentLatencyModel LINEAR = (profile, sha, macs, threads) ->
            0.5 + macs / (profile.kind() == io.edgesplit.profile.ProfileKind.DEVICE ? 1e9 : 20e9) * 1000;

    /** pixel-4 over wifi to an x86 edge server and over lte to a cloud GPU server. */
    static CostTable table() {
        DeviceProfile phone = profile("pixel-4");
        return new CostTableBuilder(syntheticPackage().manifest(), phone)
                .addTarget(Target.edge("edge", profile("x86-edge-server"), "wifi"))
                .addTarget(Target.cloud("cloud", profile("cloud-gpu-server"), "lte"))
                .latencyModel(LINEAR)
                .build();
    }
}
