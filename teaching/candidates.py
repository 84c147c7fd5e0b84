"""Candidate predictions made from a ground truth: grown, shrunk, shifted, blurred."""

from __future__ import annotations

import numpy as np

from losses._tf import tf
from losses.validation import check_pair


def _as_nhwc(mask: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 1), (B, H, W) or (B, H, W, 1) -> (B, H, W, 1)."""
    if mask.ndim == 2:
        return mask[None, :, :, None]
    if mask.ndim == 3:
        return mask[..., None] if mask.shape[-1] != 1 else mask[None]
    if mask.ndim == 4 and mask.shape[-1] == 1:
        return mask
    raise ValueError(
        f"make_candidates needs a 2-D mask (H, W), (H, W, 1), (B, H, W) or (B, H, W, 1); "
        f"got shape {mask.shape}."
    )


def make_candidates(y_true, amount: int = 2) -> dict:
    """An over-segmented and an under-segmented prediction made from a ground truth.

    ``over`` is the mask dilated by ``amount`` pixels and ``under`` the mask
    eroded by ``amount`` pixels, both with a (2 amount + 1)-pixel square
    structuring element (``tf.nn.max_pool2d`` with stride 1; erosion is
    ``-max_pool(-mask)``). Pixels outside the image are ignored, so an object
    touching the border is not eroded from the border. ``over`` has only false
    positives and ``under`` only false negatives. For a roughly round object
    of radius R the two errors are comparable, about 8 R amount pixels each
    (dilation adds slightly more, by about 4 amount^2, than erosion removes);
    the exact counts are returned so a page can show them.

    Args:
        y_true: a mask of shape (H, W), (H, W, 1), (B, H, W) or (B, H, W, 1),
            values in [0, 1]; it is binarised at 0.5.
        amount: radius in pixels, >= 0 (0 returns the mask twice).

    Returns:
        ``{"over": array, "under": array, "fp": float, "fn": float, "amount": int}``;
        the masks are float32 0/1 with the input's shape, ``fp`` is the number
        of false-positive pixels of ``over`` and ``fn`` the false negatives of
        ``under``.
    """
    if isinstance(amount, bool) or int(amount) != amount or amount < 0:
        raise ValueError(f"amount must be a whole number of pixels >= 0, got {amount!r}.")
    amount = int(amount)
    t0, _ = check_pair(y_true, y_true)
    mask = (t0.numpy() >= 0.5).astype(np.float32)
    x = tf.constant(_as_nhwc(mask))
    k = 2 * amount + 1
    over = tf.nn.max_pool2d(x, ksize=k, strides=1, padding="SAME")
    under = -tf.nn.max_pool2d(-x, ksize=k, strides=1, padding="SAME")
    over_np = np.reshape(over.numpy(), mask.shape)
    under_np = np.reshape(under.numpy(), mask.shape)
    return {
        "over": over_np,
        "under": under_np,
        "fp": float(np.sum(over_np * (1.0 - mask))),
        "fn": float(np.sum(mask * (1.0 - under_np))),
        "amount": amount,
    }
