package io.edgesplit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.router.Budgets;
import io.edgesplit.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Widths with different input sizes: the app hands over pixels, the runtime sizes them for the chosen width. */
class InputProviderTest {

    @Test
    void eachWidthGetsTheImageAtItsOwnInputSizeAndFindsTheCheeseburger(@TempDir Path tmp) throws IOException {
        PackageBuilder b = new PackageBuilder("mobilenet_v1").maxCrossing(1);
        // published top-1 of the quantized models (tensorflow/models, research/slim/nets/mobilenet_v1.md)
        add(b, "mobilenet_v1_0.25_128_quant.tflite", 0.25, 0.399);
        add(b, "mobilenet_v1_0.75_192_quant.tflite", 0.75, 0.662);
        ModelPackage pkg = b.write(tmp.resolve("pkg"), false);
        BufferedImage img = ImageIO.read(SharedData.image("burger.jpg").toFile());
        int[] argb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        List<int[]> sizes = new ArrayList<>();
        InputProvider image = InputProvider.image(argb, img.getWidth(), img.getHeight());
        InputProvider recording = (i, dst) -> {
            sizes.add(new int[] {dst.spec().dim(1), dst.spec().dim(2)});
            image.write(i, dst);
        };
        try (EdgeRuntime rt = EdgeRuntime.builder(pkg, RuntimeFixtures.profile("pixel-4")).build()) {
            InferenceResult fast = rt.infer(recording);
            assertEquals("w0.25", fast.plan().variantId());
            assertEquals(934, fast.output(0).argMax());
            rt.budgets(Budgets.builder().minAccuracy(0.6, true).build());
            InferenceResult accurate = rt.infer(recording);
            assertEquals("w0.75", accurate.plan().variantId());
            assertEquals(934, accurate.output(0).argMax());
        }
        assertEquals(128, sizes.get(0)[0]);
        assertEquals(192, sizes.get(1)[0]);
    }

    private static void add(PackageBuilder b, String file, double width, double accuracy) throws IOException {
        Path model = SharedData.model(file);
        b.addVariant(VariantSource.of(ModelGraph.read(model), file, Sha256.of(model), width, accuracy));
    }
}
