"""A sigmoid output far below the 1e-7 clip must still be pulled back.

With a plain clip before the logs, the slope is zero outside [1e-7, 1 - 1e-7],
so a model whose foreground logits went very negative never recovered (the
training lab's BCE-Dice and Combo stalled at Dice 0). The chain rule through
the sigmoid should instead give the textbook p - t per pixel.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

import losses


@pytest.mark.parametrize(
    "name, scale",
    [
        ("bce", 1.0),
        ("bce_dice", None),
        ("combo", None),
        ("focal", None),
    ],
)
def test_a_confidently_wrong_pixel_keeps_a_gradient(name, scale):
    # p ~ 1e-13, far below the clip, on a foreground and a background pixel
    # (TensorFlow's float32 sigmoid saturates to exactly 1 long before 1 - 1e-7
    # on the other side, so only this side can fall beyond the clip)
    t = np.array([1.0, 0.0, 1.0, 0.0], np.float32)
    z = tf.Variable(np.array([-30.0, -30.0, 2.0, -2.0], np.float32))
    with tf.GradientTape() as tape:
        value = getattr(losses, name)(t, tf.sigmoid(z))
    g = tape.gradient(value, z).numpy()
    assert np.all(np.isfinite(g))
    # the missed foreground pixel is pushed up, clearly
    assert g[0] < -1e-3, g
    if scale is not None:
        # BCE through a sigmoid: dL/dz = (p - t) / N exactly
        p = 1 / (1 + np.exp(-z.numpy().astype(np.float64)))
        np.testing.assert_allclose(g, (p - t) / t.size, atol=1e-6)


def test_the_value_is_still_the_clipped_one():
    # the gradient changed, the value did not: log(1e-7) for a prediction of 0
    expected = -np.log(np.float32(1e-7)) / 2
    assert float(losses.bce([1.0, 0.0], [0.0, 0.0])) == pytest.approx(expected, rel=1e-5)
