"""Float64 numpy transcriptions of every loss formula, written from the paper/DESIGN text.

These are the references the tests compare the TensorFlow code against. They
are deliberately naive (no batching tricks, no shared helpers with
``losses``), so a mistake in the package does not cancel out here.

The logs clip the prediction to [1e-7, 1 - 1e-7] exactly as the formulas
say, in float64: a certain, wrong pixel costs -ln(1e-7) whichever class it
belongs to. Nothing of float32 is mirrored here; the package must reach these
values itself (callers pass the same float32 arrays the losses receive, so
only the arithmetic differs).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

CLIP_LO = 1e-7
CLIP_HI = 1.0 - 1e-7


def clip(p):
    return np.clip(np.asarray(p, dtype=np.float64), CLIP_LO, CLIP_HI)


def f64(x):
    return np.asarray(x, dtype=np.float64)


def counts(t, p):
    """Soft TP, FP, FN, TN (float64)."""
    t, p = f64(t), f64(p)
    return (
        float(np.sum(t * p)),
        float(np.sum((1 - t) * p)),
        float(np.sum(t * (1 - p))),
        float(np.sum((1 - t) * (1 - p))),
    )


# ---------------------------------------------------------------- pixel maps
def bce_map(t, p):
    t, pc = f64(t), clip(p)
    return -(t * np.log(pc) + (1 - t) * np.log(1 - pc))


def focal_map(t, p, alpha=0.8, gamma=2.0, class_balanced=False):
    t, pc = f64(t), clip(p)
    p_t = t * pc + (1 - t) * (1 - pc)  # probability of the true class
    w = alpha * t + (1 - alpha) * (1 - t) if class_balanced else alpha * np.ones_like(t)
    return w * (1 - p_t) ** gamma * bce_map(t, p)


def wce_map(t, p, alpha=0.5):
    t, pc = f64(t), clip(p)
    return -(alpha * t * np.log(pc) + (1 - alpha) * (1 - t) * np.log(1 - pc))


# ---------------------------------------------------------------- losses (pooled)
def bce(t, p):
    return float(np.mean(bce_map(t, p)))


def focal(t, p, alpha=0.8, gamma=2.0, class_balanced=False):
    return float(np.mean(focal_map(t, p, alpha, gamma, class_balanced)))


def dice(t, p, smooth=1e-6):
    t, p = f64(t), f64(p)
    inter = np.sum(t * p)
    return float(1 - (2 * inter + smooth) / (np.sum(t) + np.sum(p) + smooth))


def bce_dice(t, p, smooth=1e-6):
    return bce(t, p) + dice(t, p, smooth)


def iou(t, p, smooth=1e-6):
    t, p = f64(t), f64(p)
    inter = np.sum(t * p)
    union = np.sum(t) + np.sum(p) - inter
    return float(1 - (inter + smooth) / (union + smooth))


def tversky(t, p, alpha=0.5, beta=0.5, smooth=1e-6):
    # The formula as written, in exact rational arithmetic on the float64 counts: with a
    # loss near 1e-13, 1 - ratio cancels even in float64, and a focal Tversky gamma of
    # 0.1 would turn that rounding into a 1e-4 relative error of the reference itself.
    tp, fp, fn, _ = (Fraction(c) for c in counts(t, p))
    a, b, s = Fraction(alpha), Fraction(beta), Fraction(smooth)
    return float(1 - (tp + s) / (tp + a * fp + b * fn + s))


def focal_tversky(t, p, alpha=0.5, beta=0.5, gamma=1.0, smooth=1e-6):
    return tversky(t, p, alpha, beta, smooth) ** gamma


def combo(t, p, alpha=0.5, ce_ratio=0.5, smooth=1e-6):
    wce = float(np.mean(wce_map(t, p, alpha)))
    dsc = 1 - dice(t, p, smooth)
    return ce_ratio * wce - (1 - ce_ratio) * dsc


REF = {
    "bce": bce,
    "focal": focal,
    "dice": dice,
    "bce_dice": bce_dice,
    "iou": iou,
    "tversky": tversky,
    "focal_tversky": focal_tversky,
    "combo": combo,
}

KEYS = tuple(REF)


def ref_loss(key, t, p, per_image=False, **params):
    """The float64 reference of loss ``key``; per_image averages over axis 0."""
    fn = REF[key]
    if per_image:
        t, p = f64(t), f64(p)
        return float(np.mean([fn(t[i], p[i], **params) for i in range(t.shape[0])]))
    return fn(t, p, **params)


def finite_difference(key, t, p, h=1e-6, **params):
    """Central finite differences of the float64 reference wrt every pixel of p."""
    p = f64(p).copy()
    grad = np.zeros_like(p)
    flat, gflat = p.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = ref_loss(key, t, p, **params)
        flat[i] = old - h
        down = ref_loss(key, t, p, **params)
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return grad


def shift_zero_fill(p, k, axis=-1):
    """p moved by k pixels along axis, zeros coming in (written independently of losses)."""
    p = np.asarray(p, dtype=np.float32)
    moved = np.roll(p, k, axis=axis)
    n = p.shape[axis]
    idx = np.arange(n)
    dead = (idx < k) if k >= 0 else (idx >= n + k)
    shape = [1] * p.ndim
    shape[axis] = n
    return np.where(dead.reshape(shape), np.float32(0), moved).astype(np.float32)


def spec_params(key):
    """Registry parameter specs (name -> Param) of a loss; bce has none."""
    from teaching.registry import get

    return {p.name: p for p in get(key).params}
