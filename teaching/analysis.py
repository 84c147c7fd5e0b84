"""Batched analysis helpers behind the pictures.

Each helper evaluates many variants (pixels, prediction levels, shifts,
parameter values) at once instead of looping in Python over the public
functions, and a point on a curve is what the public loss function returns
for that variant (the tests hold them to float32 rounding).

Every pooled loss here is the mean of a per-pixel term plus a term of the
soft counts TP, FP, FN (either part may be absent): BCE and Focal are all
pixel term, Dice / IoU / Tversky all counts, BCE-Dice and Combo both. The
helpers get those two parts by the cheapest exact route their structure
allows, then finish with the same formulas as :mod:`losses.core`:

* scaling the prediction (confidence curve) scales the counts linearly;
* sliding it (shift curve) turns every sum into a correlation, read off the
  diagonals of one matrix product for all shifts at once;
* a pixel term depends only on the pixel's (t, p) pair, so it is evaluated
  once per distinct pair (a mask has two values and an 8-bit prediction at
  most 256) and weighted by how often the pair occurs.
"""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import EPSILON, check_pair

from .registry import get as get_spec

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


def fill_params(key: str, params: dict) -> dict:
    """Fill in the blog defaults of a loss and check for unknown names."""
    spec = get_spec(key)
    known = {p.name for p in spec.params}
    unknown = set(params) - known
    if unknown:
        raise ValueError(
            f"{spec.title} has no parameter(s) {sorted(unknown)}; it takes {sorted(known)}."
        )
    return {**spec.defaults(), **params}


# Every loss in the rows form of losses.core: f(t, p, **params) -> one value per row.
_ROWS = {
    "bce": lambda t, p: core.bce_rows(t, p),
    "focal": lambda t, p, alpha, gamma, class_balanced: core.focal_rows(
        t, p, alpha, gamma, class_balanced
    ),
    "dice": lambda t, p, smooth: core.dice_rows(t, p, smooth),
    "bce_dice": lambda t, p, smooth: core.bce_rows(t, p) + core.dice_rows(t, p, smooth),
    "iou": lambda t, p, smooth: core.iou_rows(t, p, smooth),
    "tversky": lambda t, p, alpha, beta, smooth: core.tversky_rows(t, p, alpha, beta, smooth),
    "focal_tversky": lambda t, p, alpha, beta, gamma, smooth: core.focal_tversky_rows(
        t, p, alpha, beta, gamma, smooth
    ),
    "combo": lambda t, p, alpha, ce_ratio, smooth: core.combo_rows(t, p, alpha, ce_ratio, smooth),
    "unified_focal": lambda t, p, lambda_, delta, gamma, symmetric, smooth: core.unified_focal_rows(
        t, p, lambda_, delta, gamma, symmetric, smooth
    ),
}


def rows_fn(key: str):
    """The rows form of a loss: f(t, p, **params) -> one value per row."""
    try:
        return _ROWS[key]
    except KeyError:
        raise ValueError(f"unknown loss {key!r}; choose one of {sorted(_ROWS)}") from None


def _rows(y_true, y_pred):
    return core.as_rows(*check_pair(y_true, y_pred))


# --------------------------------------------------------------------------
# the two parts of every loss: mean pixel term + a function of the counts
# --------------------------------------------------------------------------
# Each loss as the mean of a per-pixel term plus a function of the soft counts
# (either may be absent). Which of the two a loss has is the registry's "kind";
# a test holds these tables to it.
_PIXEL_TERMS = {
    "bce": lambda t, p, prm: core.bce_pixels(t, p),
    "bce_dice": lambda t, p, prm: core.bce_pixels(t, p),
    "focal": lambda t, p, prm: core.focal_pixels(
        t, p, prm["alpha"], prm["gamma"], prm["class_balanced"]
    ),
    "combo": lambda t, p, prm: (
        core._col(prm["ce_ratio"]) * core.weighted_ce_pixels(t, p, prm["alpha"])
    ),
    "unified_focal": lambda t, p, prm: (
        core._col(prm["lambda_"])
        * core.unified_focal_pixels(t, p, prm["delta"], prm["gamma"], prm["symmetric"])
    ),
}


def _focal_tversky_counts(tp, fp, fn, prm):
    tv = core.tversky_from_counts(tp, fp, fn, prm["alpha"], prm["beta"], prm["smooth"])
    return core.safe_pow(tv, prm["gamma"])


def _combo_counts(tp, fp, fn, prm):
    dsc = 1.0 - core.dice_from_counts(tp, fp, fn, prm["smooth"])
    return -(1.0 - core._vec(prm["ce_ratio"])) * dsc


def _unified_focal_counts(tp, fp, fn, prm, tn):
    region = core.unified_focal_from_counts(
        tp, fp, fn, tn, prm["delta"], prm["gamma"], prm["symmetric"], prm["smooth"]
    )
    return (1.0 - core._vec(prm["lambda_"])) * region


_COUNT_TERMS = {
    "dice": lambda tp, fp, fn, prm: core.dice_from_counts(tp, fp, fn, prm["smooth"]),
    "bce_dice": lambda tp, fp, fn, prm: core.dice_from_counts(tp, fp, fn, prm["smooth"]),
    "iou": lambda tp, fp, fn, prm: core.iou_from_counts(tp, fp, fn, prm["smooth"]),
    "tversky": lambda tp, fp, fn, prm: core.tversky_from_counts(
        tp, fp, fn, prm["alpha"], prm["beta"], prm["smooth"]
    ),
    "focal_tversky": _focal_tversky_counts,
    "combo": _combo_counts,
    "unified_focal": _unified_focal_counts,
}

# Count terms that also need the true negatives (the Unified Focal loss scores the
# background as a class of its own): they get TN = N - TP - FP - FN as a keyword.
_USES_TN = {"unified_focal"}


# Pixel terms of the form t * f(p) + (1 - t) * g(p): the shift curve's correlation trick
# is exact for them on any target, and for the others (focal) on a 0/1 target only.
_LINEAR_IN_TARGET = {"bce", "bce_dice", "combo", "unified_focal"}


def has_pixel_term(key: str) -> bool:
    return key in _PIXEL_TERMS


def has_count_term(key: str) -> bool:
    return key in _COUNT_TERMS


def _pixel_term(key: str, t, p, prm: dict):
    """Each pixel's own term of a loss (its mean is the pixel-wise part), or None."""
    term = _PIXEL_TERMS.get(key)
    return None if term is None else term(t, p, prm)


def _region_term(key: str, tp, fp, fn, prm: dict, n: int):
    """The part of a loss built from the soft counts (per row of ``n`` pixels), or None."""
    term = _COUNT_TERMS.get(key)
    if term is None:
        return None
    if key in _USES_TN:
        return term(tp, fp, fn, prm, tn=float(n) - tp - fp - fn)
    return term(tp, fp, fn, prm)


def _from_parts(key: str, prm: dict, counts, pixel_mean, n: int) -> np.ndarray:
    """Loss values from the soft counts (tp, fp, fn) of rows of ``n`` pixels and the mean
    pixel term."""
    parts = []
    if has_pixel_term(key):
        parts.append(pixel_mean)
    if has_count_term(key):
        parts.append(_region_term(key, *counts, prm, n))
    total = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    return total.numpy()


def _unique_pairs(t, p):
    """The distinct (t, p) pixel pairs of two float32 tensors, with their counts."""
    tb = np.ascontiguousarray(np.asarray(t, np.float32).reshape(-1)).view(np.uint32)
    pb = np.ascontiguousarray(np.asarray(p, np.float32).reshape(-1)).view(np.uint32)
    keys = (tb.astype(np.uint64) << np.uint64(32)) | pb.astype(np.uint64)
    uniq, counts = np.unique(keys, return_counts=True)
    tu = (uniq >> np.uint64(32)).astype(np.uint32).view(np.float32)
    pu = (uniq & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.float32)
    return tu, pu, counts.astype(np.float32)


def _pixel_mean(key: str, t, p, prm: dict, scale=None):
    """Mean pixel term of each variant, evaluated once per distinct (t, p) pair.

    ``scale`` (a (G,) tensor) evaluates the prediction ``scale * p`` for each
    entry; parameters in ``prm`` may also be (G,) tensors.
    """
    tu, pu, w = _unique_pairs(t, p)
    pv = tf.constant(pu[None, :])
    if scale is not None:
        pv = tf.reshape(scale, [-1, 1]) * pv
    term = _pixel_term(key, tf.constant(tu[None, :]), pv, prm)
    return tf.reduce_sum(term * w, axis=-1) / float(np.size(t))


def loss_value(key: str, y_true, y_pred, **params) -> float:
    """The loss of one prediction as a Python float (the public function's value)."""
    t, p = _rows(y_true, y_pred)
    return float(rows_fn(key)(t, p, **fill_params(key, params))[0])


def loss_values(keys, y_true, y_pred, params_by_key: dict | None = None) -> dict[str, float]:
    """Several losses of the same prediction, sharing one validation."""
    params_by_key = params_by_key or {}
    t, p = _rows(y_true, y_pred)
    return {k: float(rows_fn(k)(t, p, **fill_params(k, params_by_key.get(k, {})))[0]) for k in keys}


def pixel_loss_map(key: str, y_true, y_pred, **params) -> np.ndarray:
    """Each pixel's own term of a pixel-wise loss (its contribution before the mean).

    Defined for BCE, Focal, the BCE part of BCE-Dice, the weighted
    cross-entropy part of Combo (already multiplied by ce_ratio) and the focal
    cross-entropy part of the Unified Focal loss (times lambda_). Region losses
    (Dice, IoU, Tversky) have no per-pixel term: use :func:`gradient_map`.
    """
    t0, p0 = check_pair(y_true, y_pred)
    shape = t0.shape
    t, p = core.as_rows(t0, p0)
    prm = fill_params(key, params)
    m = _pixel_term(key, t, p, prm)
    if m is None:
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
    prm = fill_params(key, params)
    peak = float(tf.reduce_max(p))
    q = p / peak if peak > 0 else p
    c = tf.constant(np.asarray(levels, dtype=np.float32).reshape(-1))
    counts = pixel = None
    if has_count_term(key):
        # the counts of c * q are linear in c (every term stays a sum of non-negatives):
        # TP = c sum(t q), FP = c sum((1 - t) q), FN = (1 - c) sum(t) + c sum(t (1 - q))
        tp1, fp1, fn1 = core.tp_fp_fn_rows(t, q)
        st = tf.reduce_sum(t, axis=-1)
        counts = (c * tp1, c * fp1, (1.0 - c) * st + c * fn1)
    if has_pixel_term(key):
        pixel = _pixel_mean(key, t, q, prm, scale=c)
    vals = _from_parts(key, prm, counts, pixel, int(t.shape[-1]))
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
    prm = fill_params(key, params)
    tn, pn = t0.numpy(), p0.numpy()
    binary = bool(np.all((tn == 0.0) | (tn == 1.0)))
    if has_pixel_term(key) and key not in _LINEAR_IN_TARGET and not binary:
        # A pixel term that is not linear in a soft target: slide every copy instead.
        stack = shift_stack(pn, shifts, axis)
        p = tf.reshape(tf.constant(stack), [len(shifts), -1])
        t = tf.reshape(t0, [1, -1])
        vals = rows_fn(key)(t, p, **prm).numpy()
        return {"shift": np.asarray(shifts), "loss": vals}

    # Every sum over pixels of g(t) * f(p_k), with p_k = p slid by k and zeros coming
    # in, is the overlap sum_j g[j] f(p[j - k]) (diagonal -k of g^T f summed over the
    # rows) plus f(0) times the sum of g over the columns the slide leaves empty. One
    # matrix product per g gives the overlaps of every f for every shift.
    width = tn.shape[axis]
    t2 = np.ascontiguousarray(np.moveaxis(tn, axis, -1).reshape(-1, width))
    p2 = np.ascontiguousarray(np.moveaxis(pn, axis, -1).reshape(-1, width))
    ks = [int(k) for k in shifts]

    def slide_sums(g, fs, fs_at_zero):
        m = tf.linalg.matmul(g, tf.concat(fs, axis=1), transpose_a=True).numpy()
        m = m.astype(np.float64)
        cum = np.concatenate([[0.0], np.cumsum(np.sum(g, axis=0, dtype=np.float64))])
        empty = np.array(
            [cum[min(k, width)] if k >= 0 else cum[width] - cum[max(width + k, 0)] for k in ks]
        )
        out = []
        for i, f0 in enumerate(fs_at_zero):
            block = m[:, i * width : (i + 1) * width]
            overlap = np.array([np.trace(block, offset=-k) for k in ks])
            out.append(overlap + f0 * empty)
        return out

    pos, neg = tf.constant(t2), tf.constant(1.0 - t2)
    pv = tf.constant(p2)
    on_f, on_0, off_f, off_0 = [], [], [], []
    if has_count_term(key):
        on_f += [pv, 1.0 - pv]  # TP, FN (an empty pixel misses all of t)
        on_0 += [0.0, 1.0]
        off_f += [pv]  # FP
        off_0 += [0.0]
    if has_pixel_term(key):
        # t * term(1, p) + (1 - t) * term(0, p): exact for BCE and Combo's weighted CE
        # (linear in t) and for Focal on a 0/1 target.
        flat = tf.concat([tf.reshape(pv, [1, -1]), tf.zeros([1, 1])], axis=1)
        both = tf.constant([[1.0], [0.0]]) * tf.ones_like(flat)  # a foreground, a background row
        on, off = tf.unstack(_pixel_term(key, both, flat, prm))
        on_f.append(tf.reshape(on[:-1], p2.shape))
        on_0.append(float(on[-1]))
        off_f.append(tf.reshape(off[:-1], p2.shape))
        off_0.append(float(off[-1]))
    on_sums = slide_sums(pos, on_f, on_0)
    off_sums = slide_sums(neg, off_f, off_0)
    counts = pixel = None
    if has_count_term(key):
        tp, fn, fp = on_sums[0], on_sums[1], off_sums[0]
        counts = tuple(tf.constant(v, tf.float32) for v in (tp, fp, fn))
    if has_pixel_term(key):
        total = (on_sums[-1] + off_sums[-1]) / t2.size
        pixel = tf.constant(total, tf.float32)
    vals = _from_parts(key, prm, counts, pixel, t2.size)
    return {"shift": np.asarray(shifts), "loss": vals}


def _param_values(key: str, t, p, prm: dict) -> np.ndarray:
    """One loss value per entry of the (G,) parameter tensors in ``prm``.

    The counts do not depend on the parameters and are summed once; the pixel
    term does, and is evaluated once per distinct (t, p) pair.
    """
    counts = core.tp_fp_fn_rows(t, p) if has_count_term(key) else None
    pixel = _pixel_mean(key, t, p, prm) if has_pixel_term(key) else None
    return _from_parts(key, prm, counts, pixel, int(t.shape[-1]))


def _check_numeric(key: str, name: str) -> None:
    spec = get_spec(key)
    if name not in {p.name for p in spec.numeric_params}:
        raise ValueError(f"{spec.title} has no numeric parameter {name!r}.")


def param_curve(key: str, y_true, y_pred, name: str, values, **params) -> np.ndarray:
    """The loss of one prediction for each value of one parameter, in one call."""
    t, p = _rows(y_true, y_pred)
    prm = fill_params(key, params)
    _check_numeric(key, name)
    prm[name] = tf.constant(np.asarray(values, dtype=np.float32).reshape(-1))
    return _param_values(key, t, p, prm)


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
        _check_numeric(key, n)
    prm[xn] = tf.constant(xx.reshape(-1))
    prm[yn] = tf.constant(yy.reshape(-1))
    return _param_values(key, t, p, prm).reshape(xx.shape)


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
