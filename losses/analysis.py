"""Batched analysis helpers behind the pictures.

Each helper evaluates many variants (pixels, prediction levels, shifts,
parameter values) in one TensorFlow call by stacking them as rows of the
"rows" forms in :mod:`losses.core`, instead of looping in Python. A point on a
curve is therefore exactly what the public loss function returns.
"""

from __future__ import annotations

import numpy as np

from . import core
from ._tf import tf
from .registry import get as get_spec
from .validation import EPSILON, check_pair

__all__ = [
    "rows_fn",
    "loss_value",
    "loss_values",
    "pixel_loss_map",
    "gradient_map",
    "pixel_curve",
    "confidence_curve",
    "shift_curve",
    "shift_stack",
    "param_curve",
    "param_grid",
    "tversky_grid",
    "error_attribution",
]

_DEFAULT_CLASS_BALANCED = False


def fill_params(key: str, params: dict) -> dict:
    """Fill in the blog defaults of a loss and check for unknown names."""
    spec = get_spec(key)
    known = {p.name for p in spec.params} | ({"class_balanced"} if key == "focal" else set())
    unknown = set(params) - known
    if unknown:
        raise ValueError(f"{spec.title} has no parameter(s) {sorted(unknown)}; it takes {sorted(known)}.")
    out = spec.defaults()
    if key == "focal":
        out["class_balanced"] = _DEFAULT_CLASS_BALANCED
    out.update(params)
    return out


def rows_fn(key: str):
    """The rows form of a loss: f(t, p, **params) -> one value per row."""
    table = {
        "bce": lambda t, p: core.bce_rows(t, p),
        "focal": lambda t, p, alpha, gamma, class_balanced=False: core.focal_rows(
            t, p, alpha, gamma, class_balanced
        ),
        "dice": lambda t, p, smooth: core.dice_rows(t, p, smooth),
        "bce_dice": lambda t, p, smooth: core.bce_rows(t, p) + core.dice_rows(t, p, smooth),
        "iou": lambda t, p, smooth: core.iou_rows(t, p, smooth),
        "tversky": lambda t, p, alpha, beta, smooth: core.tversky_rows(t, p, alpha, beta, smooth),
        "focal_tversky": lambda t, p, alpha, beta, gamma, smooth: core.focal_tversky_rows(
            t, p, alpha, beta, gamma, smooth
        ),
        "combo": lambda t, p, alpha, ce_ratio, smooth: core.combo_rows(
            t, p, alpha, ce_ratio, smooth
        ),
    }
    try:
        return table[key]
    except KeyError:
        raise ValueError(f"unknown loss {key!r}; choose one of {sorted(table)}") from None


def _rows(y_true, y_pred):
    return core.as_rows(*check_pair(y_true, y_pred))


def loss_value(key: str, y_true, y_pred, **params) -> float:
    """The loss of one prediction as a Python float (the public function's value)."""
    t, p = _rows(y_true, y_pred)
    return float(rows_fn(key)(t, p, **fill_params(key, params))[0])


def loss_values(keys, y_true, y_pred, params_by_key: dict | None = None) -> dict[str, float]:
    """Several losses of the same prediction, sharing one validation."""
    params_by_key = params_by_key or {}
    t, p = _rows(y_true, y_pred)
    return {
        k: float(rows_fn(k)(t, p, **fill_params(k, params_by_key.get(k, {})))[0]) for k in keys
    }


def pixel_loss_map(key: str, y_true, y_pred, **params) -> np.ndarray:
    """Each pixel's own term of a pixel-wise loss (its contribution before the mean).

    Defined for BCE, Focal, the BCE part of BCE-Dice and the weighted
    cross-entropy part of Combo (already multiplied by ce_ratio). Region losses
    (Dice, IoU, Tversky) have no per-pixel term: use :func:`gradient_map`.
    """
    t0, p0 = check_pair(y_true, y_pred)
    shape = t0.shape
    t, p = core.as_rows(t0, p0)
    prm = fill_params(key, params)
    if key in ("bce", "bce_dice"):
        m = core.bce_pixels(t, p)
    elif key == "focal":
        m = core.focal_pixels(t, p, prm["alpha"], prm["gamma"], prm["class_balanced"])
    elif key == "combo":
        m = prm["ce_ratio"] * core.weighted_ce_pixels(t, p, prm["alpha"])
    else:
        raise ValueError(
            f"{get_spec(key).title} is a region loss with no per-pixel term; use gradient_map."
        )
    return np.reshape(m.numpy(), shape)


def gradient_map(key: str, y_true, y_pred, **params) -> np.ndarray:
    """dL/dp for every pixel of the prediction, by automatic differentiation.

    The prediction is first clipped to [1e-7, 1 - 1e-7], the range every log
    sees, so a pixel painted exactly 0 or 1 still shows which way the loss
    pushes it (the clip inside the loss would otherwise hide that).
    Negative values mean "raise this pixel's probability".
    """
    t0, p0 = check_pair(y_true, y_pred)
    shape = t0.shape
    t, p = core.as_rows(t0, p0)
    p = tf.clip_by_value(p, EPSILON, 1.0 - EPSILON)
    fn = rows_fn(key)
    prm = fill_params(key, params)
    with tf.GradientTape() as tape:
        tape.watch(p)
        value = tf.reduce_sum(fn(t, p, **prm))
    g = tape.gradient(value, p)
    return np.reshape(g.numpy(), shape)


def pixel_curve(key: str, probs, **params) -> dict[str, np.ndarray]:
    """A one-pixel image's loss as its probability p sweeps ``probs``.

    Returns ``{"p": probs, "positive": loss when the pixel is foreground,
    "negative": loss when it is background}``, all rows evaluated at once.
    """
    ps = np.asarray(probs, dtype=np.float32).reshape(-1, 1)
    p = tf.constant(np.concatenate([ps, ps]))
    t = tf.constant(np.concatenate([np.ones_like(ps), np.zeros_like(ps)]))
    vals = rows_fn(key)(t, p, **fill_params(key, params)).numpy()
    k = len(ps)
    return {"p": ps[:, 0], "positive": vals[:k], "negative": vals[k:]}


def confidence_curve(key: str, y_true, y_pred, levels, **params) -> dict:
    """The loss of the same prediction at confidence c: p_c = c * y_pred / max(y_pred).

    c = 0 predicts nothing anywhere, c = 1 makes the most confident pixel
    certain; the current prediction sits at c = max(y_pred).
    """
    t0, p0 = check_pair(y_true, y_pred)
    t, p = core.as_rows(t0, p0)
    peak = float(tf.reduce_max(p))
    shape_ = p / peak if peak > 0 else p
    c = tf.constant(np.asarray(levels, dtype=np.float32).reshape(-1, 1))
    vals = rows_fn(key)(t, c * shape_, **fill_params(key, params)).numpy()
    return {"level": np.asarray(levels, dtype=float), "loss": vals, "current": peak}


def shift_stack(y_pred, shifts, axis: int = -1) -> np.ndarray:
    """The prediction moved by each of ``shifts`` pixels along ``axis``, zero-filled."""
    arr = np.asarray(y_pred, dtype=np.float32)
    axis = axis % arr.ndim
    out = np.zeros((len(shifts),) + arr.shape, dtype=np.float32)
    n = arr.shape[axis]
    for i, k in enumerate(shifts):
        k = int(k)
        if abs(k) >= n:
            continue
        src = [slice(None)] * arr.ndim
        dst = [slice(None)] * arr.ndim
        if k >= 0:
            src[axis], dst[axis] = slice(0, n - k), slice(k, n)
        else:
            src[axis], dst[axis] = slice(-k, n), slice(0, n + k)
        out[(i, *dst)] = arr[tuple(src)]
    return out


def shift_curve(key: str, y_true, y_pred, shifts, axis: int = -1, **params) -> dict:
    """The loss as the prediction slides by k pixels (zero fill), all shifts at once."""
    t0, p0 = check_pair(y_true, y_pred)
    stack = shift_stack(p0.numpy(), shifts, axis)
    k = len(shifts)
    p = tf.reshape(tf.constant(stack), [k, -1])
    t = tf.reshape(t0, [1, -1])
    vals = rows_fn(key)(t, p, **fill_params(key, params)).numpy()
    return {"shift": np.asarray(shifts), "loss": vals}


def param_curve(key: str, y_true, y_pred, name: str, values, **params) -> np.ndarray:
    """The loss of one prediction for each value of one parameter, in one call."""
    t, p = _rows(y_true, y_pred)
    prm = fill_params(key, params)
    if name not in prm or name == "class_balanced":
        raise ValueError(f"{get_spec(key).title} has no numeric parameter {name!r}.")
    prm[name] = tf.constant(np.asarray(values, dtype=np.float32).reshape(-1))
    return rows_fn(key)(t, p, **prm).numpy()


def param_grid(key: str, y_true, y_pred, x: tuple, y: tuple, **params) -> np.ndarray:
    """The loss over a grid of two parameters: ``x = (name, values)``, ``y = (name, values)``.

    Returns an array of shape (len(y values), len(x values)) (rows follow y,
    as a heatmap is drawn).
    """
    (xn, xv), (yn, yv) = x, y
    xx, yy = np.meshgrid(np.asarray(xv, np.float32), np.asarray(yv, np.float32))
    t, p = _rows(y_true, y_pred)
    prm = fill_params(key, params)
    for n in (xn, yn):
        if n not in prm or n == "class_balanced":
            raise ValueError(f"{get_spec(key).title} has no numeric parameter {n!r}.")
    prm[xn] = tf.constant(xx.reshape(-1))
    prm[yn] = tf.constant(yy.reshape(-1))
    return rows_fn(key)(t, p, **prm).numpy().reshape(xx.shape)


def tversky_grid(y_true, y_pred, alphas, betas, smooth: float = 1e-6) -> np.ndarray:
    """Tversky loss over the alpha x beta square; rows follow beta, columns alpha."""
    return param_grid("tversky", y_true, y_pred, ("alpha", alphas), ("beta", betas), smooth=smooth)


def error_attribution(key: str, y_true, y_pred, **params) -> dict[str, float]:
    """What fixing each kind of error would change, for any loss.

    Four variants of the prediction are evaluated in one call: as it is, with
    every false positive removed (p set to 0 on background), with every false
    negative fixed (p set to 1 on foreground), and perfect. The gains
    ``current - fix_fp`` and ``current - fix_fn`` say how much of the loss each
    kind of error is responsible for, in the loss's own units.
    """
    t0, p0 = check_pair(y_true, y_pred)
    t, p = core.as_rows(t0, p0)
    fg = tf.cast(t >= 0.5, tf.float32)
    no_fp = p * fg
    no_fn = p * (1.0 - fg) + fg
    perfect = fg
    stack = tf.concat([p, no_fp, no_fn, perfect], axis=0)
    vals = rows_fn(key)(t, stack, **fill_params(key, params)).numpy().astype(float)
    cur, fix_fp, fix_fn, best = (float(v) for v in vals)
    return {
        "current": cur,
        "fix_fp": fix_fp,
        "fix_fn": fix_fn,
        "perfect": best,
        "gain_fp": cur - fix_fp,
        "gain_fn": cur - fix_fn,
    }
