package io.edgesplit.testing;

import io.edgesplit.tensor.ImageInputs;
import io.edgesplit.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Test-side image loading: decodes with ImageIO (desktop only, hence tests and CLI, not the
 * library) and hands the pixels to {@link ImageInputs}.
 */
public final class Images {

    private Images() {
    }

    /** Decodes an image and resizes it to {@code width x height} RGB bytes (row-major, HWC). */
    public static byte[] loadRgb(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can decode");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return ImageInputs.resize(img.getRGB(0, 0, w, h, null, 0, w), w, h, width, height);
    }

    /** Fills an image-classifier input [1,H,W,3] from an image file (see {@link ImageInputs#fill}). */
    public static void fill(Tensor input, Path image) throws IOException {
        int[] shape = input.shape();
        ImageInputs.fill(input, loadRgb(image, shape[2], shape[1]));
    }

    public static void fill(Tensor input, byte[] rgb) {
        ImageInputs.fill(input, rgb);
    }
}
