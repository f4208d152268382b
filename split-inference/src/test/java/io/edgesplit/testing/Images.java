package io.edgesplit.testing;

import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Test-side image loading: decode with ImageIO (desktop only, which is why this lives in tests and
 * the CLI, not in the library), bilinear resize, and fill a model input tensor.
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
        return resizeBilinear(img, width, height);
    }

    static byte[] resizeBilinear(BufferedImage img, int width, int height) {
        int sw = img.getWidth();
        int sh = img.getHeight();
        int[] argb = img.getRGB(0, 0, sw, sh, null, 0, sw);
        byte[] out = new byte[width * height * 3];
        float sx = (float) sw / width;
        float sy = (float) sh / height;
        for (int y = 0; y < height; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    float p00 = (argb[y0 * sw + x0] >> shift) & 0xff;
                    float p01 = (argb[y0 * sw + x1] >> shift) & 0xff;
                    float p10 = (argb[y1 * sw + x0] >> shift) & 0xff;
                    float p11 = (argb[y1 * sw + x1] >> shift) & 0xff;
                    float v = (p00 * (1 - wx) + p01 * wx) * (1 - wy) + (p10 * (1 - wx) + p11 * wx) * wy;
                    out[(y * width + x) * 3 + c] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
        return out;
    }

    /**
     * Writes an RGB image into an image-classifier input [1,H,W,3]: UINT8 as is, FP32 scaled to
     * [-1,1] ((x-127.5)/127.5, the MobileNet convention), INT8 through the tensor's quantization.
     */
    public static void fill(Tensor input, Path image) throws IOException {
        int[] shape = input.shape();
        byte[] rgb = loadRgb(image, shape[2], shape[1]);
        fill(input, rgb);
    }

    public static void fill(Tensor input, byte[] rgb) {
        DataType type = input.dataType();
        if (type == DataType.UINT8) {
            input.putBytes(rgb);
        } else if (type == DataType.FP32) {
            for (int i = 0; i < rgb.length; i++) {
                input.putFloat(i, ((rgb[i] & 0xff) - 127.5f) / 127.5f);
            }
        } else if (type == DataType.INT8) {
            float scale = input.quantization().scale();
            long zp = input.quantization().zeroPoint();
            for (int i = 0; i < rgb.length; i++) {
                float real = ((rgb[i] & 0xff) - 127.5f) / 127.5f;
                long q = Math.round(real / scale) + zp;
                input.data().putByte(i, (byte) Math.max(-128, Math.min(127, q)));
            }
        } else {
            throw new IllegalArgumentException("no image convention for input " + input.spec());
        }
    }
}
