"""Combo loss (Taghanaki et al. 2019): its two terms, and why the value goes negative."""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import check_param

from ._common import floats, pair, vector


def combo_parts(
    y_true, y_pred, alpha: float = 0.5, ce_ratio: float = 0.5, smooth: float = 1e-6
) -> dict:
    """The Combo loss taken apart: why it can be negative.

    total = ce_ratio * wCE - (1 - ce_ratio) * DSC (the value of
    :func:`losses.combo`). wCE >= 0 and DSC is in [0, 1], so the smallest
    possible value is -(1 - ce_ratio), reached by a perfect prediction
    (wCE = 0, DSC = 1); any loss below zero just means the Dice term
    outweighs the cross-entropy.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        alpha: weight of positives in the cross-entropy, in [0, 1].
        ce_ratio: share of the cross-entropy, in [0, 1].
        smooth: s >= 0 of the Dice coefficient.

    Returns:
        Floats ``{"wce", "wce_positive", "wce_negative", "dsc", "ce_term",
        "dice_term", "total", "minimum"}`` plus ``"negative"`` (bool). ``ce_term``
        = ce_ratio * wce, ``dice_term`` = -(1 - ce_ratio) * dsc, ce_term +
        dice_term = total, wce_positive + wce_negative = wce, minimum =
        -(1 - ce_ratio).

    Example:
        >>> d = combo_parts([1.0, 0.0], [1.0, 0.0])
        >>> round(d["total"], 4), d["minimum"], d["negative"]
        (-0.5, -0.5, True)
    """
    alpha = check_param("alpha", alpha, 0.0, 1.0)
    ce_ratio = check_param("ce_ratio", ce_ratio, 0.0, 1.0)
    smooth = check_param("smooth", smooth, 0.0)
    _, t, p = pair(y_true, y_pred)
    pix = core.weighted_ce_pixels(t, p, alpha)  # (1, N)
    n = tf.cast(tf.shape(t)[-1], tf.float32)
    pos = tf.cast(t >= 0.5, tf.float32)
    wce = tf.reduce_mean(pix, axis=-1)
    dsc = 1.0 - core.dice_rows(t, p, smooth)
    total = core.combo_rows(t, p, alpha, ce_ratio, smooth)
    out = floats(
        {
            "wce": wce[0],
            "wce_positive": tf.reduce_sum(pix * pos) / n,
            "wce_negative": tf.reduce_sum(pix * (1.0 - pos)) / n,
            "dsc": dsc[0],
            "ce_term": ce_ratio * wce[0],
            "dice_term": -(1.0 - ce_ratio) * dsc[0],
            "total": total[0],
            "minimum": -(1.0 - ce_ratio),
        }
    )
    out["negative"] = out["total"] < 0
    return out


def combo_grid(y_true, y_pred, alphas, ce_ratios, smooth: float = 1e-6) -> dict:
    """The Combo loss over alpha x ce_ratio in one call.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        alphas: weights of positives in [0, 1], shape (A,).
        ce_ratios: shares of the cross-entropy in [0, 1], shape (R,).
        smooth: s >= 0.

    Returns:
        ``{"alpha": (A,), "ce_ratio": (R,), "loss": (R, A), "minimum": (R,),
        "wce": (A,), "dsc": float}``; rows of ``loss`` follow ce_ratio,
        ``minimum`` is -(1 - ce_ratio), ``wce`` the weighted cross-entropy at
        each alpha and ``dsc`` the Dice coefficient (independent of both).
    """
    a = vector("alphas", alphas, 0.0, 1.0)
    r = vector("ce_ratios", ce_ratios, 0.0, 1.0)
    smooth = check_param("smooth", smooth, 0.0)
    _, t, p = pair(y_true, y_pred)
    aa, rr = np.meshgrid(a, r)
    loss = core.combo_rows(t, p, aa.reshape(-1), rr.reshape(-1), smooth)
    wce = tf.reduce_mean(core.weighted_ce_pixels(t, p, a), axis=-1)
    dsc = 1.0 - core.dice_rows(t, p, smooth)
    return {
        "alpha": a.astype(float),
        "ce_ratio": r.astype(float),
        "loss": loss.numpy().astype(float).reshape(aa.shape),
        "minimum": -(1.0 - r.astype(float)),
        "wce": wce.numpy().astype(float),
        "dsc": float(dsc[0]),
    }
