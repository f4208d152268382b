package io.edgesplit.cli;

import io.edgesplit.tensor.ImageInputs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Decoded images for the CLI (ImageIO lives here, not in the Android-friendly library). */
final class ImageFiles {

    private ImageFiles() {
    }

    /** Packed ARGB pixels of an image file. */
    record Pixels(Path file, int[] argb, int width, int height) {

        /** The whole image resized to {@code w x h} RGB bytes. */
        byte[] resized(int w, int h) {
            return ImageInputs.resize(argb, width, height, w, h);
        }

        /**
         * A deterministic random square crop (70-100% of the shorter side) resized to {@code w x h}:
         * the "crops of them" used to check a codec beyond the exact pictures.
         */
        byte[] crop(int index, int w, int h) {
            Random r = new Random(31L * index + file.getFileName().toString().hashCode());
            int side = (int) (Math.min(width, height) * (0.7 + 0.3 * r.nextDouble()));
            int x = r.nextInt(width - side + 1);
            int y = r.nextInt(height - side + 1);
            return ImageInputs.cropAndResize(argb, width, height, x, y, side, side, w, h);
        }
    }

    static Pixels read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": no such image file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new CliException(file + ": not an image format Java can decode (use PNG, JPEG, BMP or GIF)");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return new Pixels(file, img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }
}
