package io.edgesplit.tensor;

/**
 * Turns decoded pixels into image-classifier inputs: crop, bilinear resize and the MobileNet
 * conventions (UINT8 pixels as they are, FP32 scaled to [-1, 1], INT8 through the tensor's
 * quantization). Pixels arrive as packed ARGB ints, which is what Android's
 * {@code Bitmap.getPixels} and desktop decoders both give, so the library needs no image decoder.
 */
public final class ImageInputs {

    private ImageInputs() {
    }

    /** Resizes the whole image to {@code dstW x dstH} RGB bytes (row-major, HWC). */
    public static byte[] resize(int[] argb, int width, int height, int dstW, int dstH) {
        return cropAndResize(argb, width, height, 0, 0, width, height, dstW, dstH);
    }

    /**
     * Crops {@code cropW x cropH} at ({@code x0}, {@code y0}) and resizes it bilinearly (half-pixel
     * centres) to {@code dstW x dstH} RGB bytes.
     */
    public static byte[] cropAndResize(int[] argb, int width, int height, int x0, int y0, int cropW, int cropH,
            int dstW, int dstH) {
        if (argb.length < width * height) {
            throw new IllegalArgumentException("pixels: " + argb.length + " for a " + width + "x" + height + " image");
        }
        if (x0 < 0 || y0 < 0 || cropW < 1 || cropH < 1 || x0 + cropW > width || y0 + cropH > height) {
            throw new IllegalArgumentException("crop " + cropW + "x" + cropH + " at (" + x0 + "," + y0
                    + ") is outside the " + width + "x" + height + " image");
        }
        byte[] out = new byte[dstW * dstH * 3];
        float sx = (float) cropW / dstW;
        float sy = (float) cropH / dstH;
        for (int y = 0; y < dstH; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int ya = Math.min((int) fy, cropH - 1);
            int yb = Math.min(ya + 1, cropH - 1);
            float wy = fy - ya;
            int rowA = (y0 + ya) * width + x0;
            int rowB = (y0 + yb) * width + x0;
            for (int x = 0; x < dstW; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int xa = Math.min((int) fx, cropW - 1);
                int xb = Math.min(xa + 1, cropW - 1);
                float wx = fx - xa;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    float p00 = (argb[rowA + xa] >> shift) & 0xff;
                    float p01 = (argb[rowA + xb] >> shift) & 0xff;
                    float p10 = (argb[rowB + xa] >> shift) & 0xff;
                    float p11 = (argb[rowB + xb] >> shift) & 0xff;
                    float v = (p00 * (1 - wx) + p01 * wx) * (1 - wy) + (p10 * (1 - wx) + p11 * wx) * wy;
                    out[(y * dstW + x) * 3 + c] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
        return out;
    }

    /**
     * Writes RGB bytes into an image input [1,H,W,3]: UINT8 as they are, FP32 as (x-127.5)/127.5, INT8
     * quantized from that with the tensor's scale and zero point.
     *
     * @throws IllegalArgumentException when the tensor is not an image input of that size and type
     */
    public static void fill(Tensor input, byte[] rgb) {
        int[] shape = input.shape();
        if (shape.length != 4 || shape[3] != 3 || (long) shape[1] * shape[2] * 3 != rgb.length) {
            throw new IllegalArgumentException("tensor '" + input.name() + "' " + input.spec().shapeAndType()
                    + " is not a [1,H,W,3] image input for " + rgb.length + " RGB bytes");
        }
        switch (input.dataType()) {
            case UINT8:
                input.putBytes(rgb);
                return;
            case FP32:
                for (int i = 0; i < rgb.length; i++) {
                    input.putFloat(i, ((rgb[i] & 0xff) - 127.5f) / 127.5f);
                }
                return;
            case INT8: {
                float scale = input.quantization().scale();
                long zp = input.quantization().zeroPoint();
                for (int i = 0; i < rgb.length; i++) {
                    long q = Math.round(((rgb[i] & 0xff) - 127.5f) / 127.5f / scale) + zp;
                    input.data().putByte(i, (byte) Math.max(-128, Math.min(127, q)));
                }
                return;
            }
            default:
                throw new IllegalArgumentException("tensor '" + input.name() + "': no image convention for "
                        + input.dataType());
        }
    }

    /** True when {@code spec} looks like an RGB image input [1,H,W,3] of a type {@link #fill} handles. */
    public static boolean isImageInput(TensorSpec spec) {
        return spec.rank() == 4 && spec.dim(0) == 1 && spec.dim(3) == 3
                && (spec.dataType() == DataType.UINT8 || spec.dataType() == DataType.FP32
                        || spec.dataType() == DataType.INT8);
    }
}
