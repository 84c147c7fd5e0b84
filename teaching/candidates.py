"""Candidate predictions made from a ground truth: grown, shrunk, shifted, blurred."""

from __future__ import annotations

import numpy as np

from losses import core
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


def box_blur(a: np.ndarray, r: int) -> np.ndarray:
    """A (2r + 1)-wide box filter along both axes of a 2-D array, zero outside the image."""
    if r <= 0:
        return np.asarray(a, np.float32)
    out = np.asarray(a, np.float64)
    n = 2 * r + 1
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r + 1, r)
        c = np.cumsum(np.pad(out, pad), axis=axis)
        size = out.shape[axis]
        hi = np.take(c, np.arange(n, n + size), axis=axis)
        lo = np.take(c, np.arange(0, size), axis=axis)
        out = (hi - lo) / n
    return out.astype(np.float32)


def shift_down_right(a: np.ndarray, k: int) -> np.ndarray:
    """A 2-D array moved k pixels right and down; what slides in is background (0)."""
    a = np.asarray(a, np.float32)
    if k <= 0:
        return a.copy()
    out = np.zeros_like(a)
    out[k:, k:] = a[:-k, :-k]
    return out


#: The candidates of :func:`candidate_set`, in the order the compare page shows them.
CANDIDATE_NAMES = (
    "perfect",
    "over-segmented",
    "under-segmented",
    "shifted",
    "uncertain",
    "your prediction",
)


def candidate_set(y_true, y_pred, amount: int) -> dict[str, np.ndarray]:
    """Six predictions to rank, each with one kind of mistake of size ``amount`` pixels.

    The ground truth itself; grown and shrunk by ``amount`` (:func:`make_candidates`);
    moved right and down by ``amount``; blurred twice with a box of radius
    ``amount // 2`` (at least 1) and capped at 0.6 (right place, hesitant); and the
    learner's own prediction. ``y_true`` is a 2-D mask, binarised at 0.5.
    """
    t01 = (np.asarray(y_true) >= 0.5).astype(np.float32)
    grown = make_candidates(t01, amount)
    r = max(1, int(amount) // 2)
    return {
        "perfect": t01,
        "over-segmented": grown["over"].astype(np.float32),
        "under-segmented": grown["under"].astype(np.float32),
        "shifted": shift_down_right(t01, int(amount)),
        "uncertain": (0.6 * box_blur(box_blur(t01, r), r)).astype(np.float32),
        "your prediction": np.asarray(y_pred, np.float32),
    }


def candidate_counts(y_true, candidates: dict) -> dict[str, tuple[float, float, float]]:
    """Soft (TP, FP, FN) of each candidate, all candidates in one batched sum."""
    names = list(candidates)
    t, _ = check_pair(y_true, y_true)
    stack = tf.stack([tf.reshape(check_pair(y_true, candidates[n])[1], [-1]) for n in names])
    tp, fp, fn, _ = core.counts_rows(tf.reshape(t, [1, -1]), stack)
    rows = np.stack([tp.numpy(), fp.numpy(), fn.numpy()], axis=1).astype(float)
    return {n: tuple(float(v) for v in row) for n, row in zip(names, rows, strict=True)}
