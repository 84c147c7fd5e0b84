"""A small U-Net for the training lab.

Two down-sampling steps, a bottleneck and two up-sampling steps with skip
connections, 3 x 3 convolutions with ReLU and one sigmoid output channel. With
the default width of 4 filters it has 4,413 weights (width 8: 17,465) and
trains on a CPU in seconds on 64 x 64 images.

The output layer starts with tiny weights, so the untrained model says 0.5
for every pixel: every loss starts from the same undecided prediction.

Every kernel initializer carries its own seed (derived from the ``seed``
argument and the layer's position), so the starting weights depend only on the
seed, not on whatever else the process drew from the global random state.
"""

from __future__ import annotations

import keras  # noqa: E402, I001

import losses  # noqa: F401 - first: it imports TensorFlow quietly

from .settings import WIDTH_MAX, WIDTH_MIN  # noqa: E402 - one place for the limits


def count_weights(model) -> int:
    """Number of trainable scalars in a model."""
    return int(sum(int(w.shape.num_elements() or 0) for w in model.trainable_weights))


def build_unet(
    image_size: int = 64, width: int = 4, seed: int = 0, name: str = "tiny_unet"
) -> keras.Model:
    """Build (not compile) the U-Net.

    Args:
        image_size: side of the square single-channel input, a multiple of 4.
        width: filters of the first level; the next levels use 2x and 4x.
        seed: seed of the weight initialisation.
        name: model name.

    Returns:
        A ``keras.Model`` mapping (batch, H, W, 1) images to (batch, H, W, 1)
        foreground probabilities.
    """
    if image_size % 4:
        raise ValueError(f"image_size must be a multiple of 4, got {image_size}.")
    if not WIDTH_MIN <= int(width) <= WIDTH_MAX:
        raise ValueError(f"width must be between {WIDTH_MIN} and {WIDTH_MAX}, got {width}.")
    width = int(width)
    counter = iter(range(1000))

    def conv(x, filters, kernel=3, activation="relu"):
        k = next(counter)
        return keras.layers.Conv2D(
            filters,
            kernel,
            padding="same",
            activation=activation,
            kernel_initializer=keras.initializers.HeNormal(seed=seed * 1000 + k),
            name=f"conv{k}",
        )(x)

    inputs = keras.Input((image_size, image_size, 1), name="image")
    e1 = conv(conv(inputs, width), width)  # 64 x 64
    e2 = keras.layers.MaxPooling2D(2)(e1)
    e2 = conv(conv(e2, 2 * width), 2 * width)  # 32 x 32
    b = keras.layers.MaxPooling2D(2)(e2)
    b = conv(b, 4 * width)  # 16 x 16
    u2 = keras.layers.UpSampling2D(2)(b)
    u2 = conv(keras.layers.Concatenate()([u2, e2]), 2 * width)
    u1 = keras.layers.UpSampling2D(2)(u2)
    u1 = conv(keras.layers.Concatenate()([u1, e1]), width)
    k = next(counter)
    outputs = keras.layers.Conv2D(
        1,
        1,
        activation="sigmoid",
        kernel_initializer=keras.initializers.RandomNormal(stddev=0.01, seed=seed * 1000 + k),
        name="mask",
    )(u1)
    return keras.Model(inputs, outputs, name=name)
