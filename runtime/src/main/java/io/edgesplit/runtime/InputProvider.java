package io.edgesplit.runtime;

import io.edgesplit.tensor.ImageInputs;
import io.edgesplit.tensor.Tensor;

/**
 * Writes a model input once the runtime knows which variant will run. Variants of one family may
 * take different input sizes (MobileNet V1 0.25 at 128x128, 0.75 at 192x192), so an app that lets
 * the runtime choose the width hands over a provider instead of finished tensors.
 */
@FunctionalInterface
public interface InputProvider {

    /**
     * Fills input {@code index} of the chosen variant; {@code destination} has that input's spec.
     */
    void write(int index, Tensor destination);

    /**
     * An image classifier's input from packed ARGB pixels (Android's {@code Bitmap.getPixels}),
     * resized to whatever size the chosen variant takes (see {@link ImageInputs}).
     */
    static InputProvider image(int[] argb, int width, int height) {
        return (index, destination) -> ImageInputs.fill(destination,
                ImageInputs.resize(argb, width, height, destination.spec().dim(2), destination.spec().dim(1)));
    }
}
