package io.edgesplit.profile.testing;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes packages of the built-in synthetic slimmable family (as {@code edgesplit split --synthetic}
 * does, so segment digests match), optionally only some widths to keep profiling tests short
 * (without width 1.0 the narrower ones are not marked as derived from it).
 */
public final class SyntheticPackage {

    private SyntheticPackage() {
    }

    /** A package of the given widths (each one of {@link SyntheticModels#WIDTHS}) at {@code dir}. */
    public static ModelPackage write(Path dir, double... widths) throws IOException {
        List<ModelGraph> family = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
        PackageBuilder builder = new PackageBuilder("synthetic_slimmable").createdBy("test");
        boolean withFull = false;
        for (double w : widths) {
            withFull |= w == 1.0;
        }
        for (int i = 0; i < SyntheticModels.WIDTHS.length; i++) {
            double w = SyntheticModels.WIDTHS[i];
            for (double wanted : widths) {
                if (wanted == w) {
                    ModelGraph g = family.get(i);
                    builder.addVariant(new VariantSource(g, SyntheticModels.fileName(w), Sha256.of(g.toBytes()), w, null,
                            w == 1.0, w == 1.0 || !withFull ? null : VariantSource.variantId(1.0)));
                }
            }
        }
        return builder.write(dir, false);
    }
}
