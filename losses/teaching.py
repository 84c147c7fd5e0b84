"""Numbers behind the "teaching depth" views: one function per question a student asks.

Every function here evaluates its variants (parameter values, candidate
predictions, object sizes) in one batched TensorFlow call through the "rows"
forms of :mod:`losses.core`, so each number is exactly what the public loss
function returns. Results are plain numpy arrays, floats and dicts, ready to
plot. Nothing here imports a plotting or web library.

Sections:

* Focal (Lin et al. 2017): :func:`focal_curve_family`, :func:`focal_easy_hard_split`,
  :func:`focal_weight_map`, :func:`focal_alpha_comparison`.
* Tversky (Salehi et al. 2017): :func:`tversky_weighted_terms`, :func:`make_candidates`,
  :func:`tversky_preference`, :func:`crossing_beta`.
* Focal Tversky (Abraham & Khan 2019): :func:`focal_tversky_curve`,
  :func:`blog_gamma_from_paper`.
* Combo (Taghanaki et al. 2019): :func:`combo_parts`, :func:`combo_grid`.
* Across losses: :func:`compare_losses`, :func:`rank_candidates`,
  :func:`imbalance_masks`, :func:`imbalance_sweep`, :func:`batch_vs_image_dice`.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import core
from ._tf import tf
from .analysis import fill_params, rows_fn
from .registry import get as get_spec
from .validation import EPSILON, check_pair, check_param

__all__ = [
    "LOSS_KEYS",
    "DEFAULT_FRACTIONS",
    "focal_curve_family",
    "focal_easy_hard_split",
    "focal_weight_map",
    "focal_alpha_comparison",
    "tversky_weighted_terms",
    "make_candidates",
    "tversky_preference",
    "crossing_beta",
    "focal_tversky_curve",
    "blog_gamma_from_paper",
    "combo_parts",
    "combo_grid",
    "compare_losses",
    "rank_candidates",
    "imbalance_masks",
    "imbalance_sweep",
    "batch_vs_image_dice",
]

#: BCE and the seven losses, in the order the app lists them.
LOSS_KEYS = ("bce", "focal", "dice", "bce_dice", "iou", "tversky", "focal_tversky", "combo")

#: Foreground fractions of the imbalance sweep: from half the image to 0.1 %.
DEFAULT_FRACTIONS = (0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------
def _vector(name: str, values, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """A non-empty 1-D float32 array of finite values inside [lo, hi]."""
    arr = np.asarray(values, dtype=np.float32).reshape(-1)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one value.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if (lo is not None and arr.min() < lo) or (hi is not None and arr.max() > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(
            f"{name} must lie in {rng}; got values in [{arr.min():.4g}, {arr.max():.4g}]."
        )
    return arr


def _column(x):
    """A 1-D array as a (G, 1) float32 column that broadcasts against (1, N) pixels."""
    return tf.reshape(tf.constant(np.asarray(x, dtype=np.float32)), [-1, 1])


def _pair(y_true, y_pred):
    """Validate a pair; return the validated tensors' shape and (1, N) rows."""
    t0, p0 = check_pair(y_true, y_pred)
    t, p = core.as_rows(t0, p0)
    return tuple(t0.shape.as_list()), t, p


def _floats(d: dict) -> dict:
    return {k: float(v) for k, v in d.items()}


def _counts_dict(tp, fp, fn) -> dict[str, float]:
    return {"TP": float(tp), "FP": float(fp), "FN": float(fn)}


# --------------------------------------------------------------------------
# Focal
# --------------------------------------------------------------------------
def focal_curve_family(p_t, gammas) -> dict[str, np.ndarray]:
    r"""The focal loss of one pixel against p_t, for several gamma.

    .. math:: \mathrm{FL}(p_t) = -(1 - p_t)^\gamma \log p_t

    (alpha = 1). p_t is the probability the model gives to the pixel's true
    class, so p_t near 1 is an easy, already-right pixel. The modulating
    factor (1 - p_t)^gamma is the share of the cross-entropy that survives.
    All gammas are evaluated at once; p_t is clipped to [1e-7, 1 - 1e-7] as
    in every loss.

    Args:
        p_t: probabilities of the true class in [0, 1], shape (P,).
        gammas: focusing exponents >= 0, shape (G,).

    Returns:
        ``{"p_t": (P,), "gamma": (G,), "loss": (G, P), "modulating": (G, P),
        "ce": (P,)}`` where ``ce`` is -log p_t (the gamma = 0 curve).

    Example:
        >>> out = focal_curve_family([0.5], [0.0, 2.0])
        >>> [round(float(v), 4) for v in out["loss"][:, 0]]
        [0.6931, 0.1733]
    """
    pt = _vector("p_t", p_t, 0.0, 1.0)
    g = _vector("gammas", gammas, 0.0)
    p = tf.constant(pt[None, :])
    t = tf.ones_like(p)
    loss = core.focal_pixels(t, p, 1.0, g, False)  # (G, P)
    modulating = core.one_minus_pt(t, p) ** _column(g)  # (G, P)
    ce = core.bce_pixels(t, p)[0]
    return {
        "p_t": pt.astype(float),
        "gamma": g.astype(float),
        "loss": loss.numpy().astype(float),
        "modulating": modulating.numpy().astype(float),
        "ce": ce.numpy().astype(float),
    }


def _p_t(t, p):
    """Probability of the true class, on the unclipped prediction."""
    return t * p + (1.0 - t) * (1.0 - p)


def focal_easy_hard_split(
    y_true, y_pred, gammas, alpha: float = 0.8, class_balanced: bool = False
) -> dict:
    """How much of the focal loss comes from easy and from hard pixels, for each gamma.

    A pixel is *easy* when the model already gives its true class more than
    half the probability (p_t > 0.5) and *hard* otherwise (p_t <= 0.5). The
    total for each gamma is the value of :func:`losses.focal` at that gamma;
    easy + hard = total (both are sums over their pixels divided by the
    number of all pixels).

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        gammas: focusing exponents >= 0, shape (G,).
        alpha: focal alpha in [0, 1] (scalar weight, or per-class when
            ``class_balanced``).
        class_balanced: the paper's alpha on positives and 1 - alpha on negatives.

    Returns:
        dict with ``"gamma"`` (G,), ``"total"``, ``"easy"``, ``"hard"``,
        ``"hard_share"`` (hard / total; 0 where the total is 0) all (G,);
        ``"n_easy"``, ``"n_hard"``, ``"n_pixels"`` (ints) and ``"easy_mask"``
        (bool, the validated input's shape).
    """
    alpha = check_param("alpha", alpha, 0.0, 1.0)
    g = _vector("gammas", gammas, 0.0)
    shape, t, p = _pair(y_true, y_pred)
    pix = core.focal_pixels(t, p, alpha, g, bool(class_balanced))  # (G, N)
    easy = tf.cast(_p_t(t, p) > 0.5, tf.float32)  # (1, N)
    n = tf.cast(tf.shape(t)[-1], tf.float32)
    total = tf.reduce_mean(pix, axis=-1)  # exactly focal_rows
    easy_part = tf.reduce_sum(pix * easy, axis=-1) / n
    hard_part = tf.reduce_sum(pix * (1.0 - easy), axis=-1) / n
    total_np = total.numpy().astype(float)
    hard_np = hard_part.numpy().astype(float)
    share = np.divide(hard_np, total_np, out=np.zeros_like(hard_np), where=total_np > 0)
    n_easy = int(tf.reduce_sum(easy))
    n_pix = int(t.shape[-1])
    return {
        "gamma": g.astype(float),
        "total": total_np,
        "easy": easy_part.numpy().astype(float),
        "hard": hard_np,
        "hard_share": share,
        "n_easy": n_easy,
        "n_hard": n_pix - n_easy,
        "n_pixels": n_pix,
        "easy_mask": np.reshape(easy.numpy() > 0.5, shape),
    }


def focal_weight_map(y_true, y_pred, gamma=2.0) -> np.ndarray:
    """The focal modulating factor (1 - p_t)^gamma of every pixel: which pixels still count.

    1 means the pixel keeps its full cross-entropy, 0 that it is silenced.
    The prediction is clipped to [1e-7, 1 - 1e-7] as in the loss.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        gamma: a scalar >= 0, or a 1-D array of G values.

    Returns:
        The factor with the validated input's shape for a scalar gamma, or
        shape (G, *input shape) for an array of gammas.
    """
    scalar = np.ndim(gamma) == 0
    g = _vector("gamma", gamma, 0.0)
    shape, t, p = _pair(y_true, y_pred)
    w = (core.one_minus_pt(t, p) ** _column(g)).numpy().astype(float)  # (G, N)
    return w.reshape(shape) if scalar else w.reshape((len(g),) + shape)


def focal_alpha_comparison(y_true, y_pred, alpha: float = 0.25, gamma: float = 2.0) -> dict:
    """The blog's scalar alpha against the paper's class-balanced alpha.

    Three focal losses of the same prediction: unweighted (alpha = 1), the
    blog's scalar alpha (every pixel times alpha) and the paper's
    class-balanced alpha (alpha on positives, 1 - alpha on negatives). Each is
    split into the part from positive pixels (y_true >= 0.5) and negative
    pixels; parts are sums divided by the number of all pixels, so
    positive + negative = total. The scalar alpha only rescales: its ratio to
    the unweighted loss is alpha and its positive share is unchanged. The
    class-balanced alpha moves the share.

    Args:
        y_true: ground truth, any shape (binary masks expected; soft targets
            are split at 0.5).
        y_pred: predicted probabilities, same shape.
        alpha: alpha in [0, 1] (the paper uses 0.25).
        gamma: focusing exponent >= 0.

    Returns:
        ``{"alpha", "gamma", "unweighted": d, "scalar": d, "class_balanced": d,
        "scalar_ratio", "balanced_ratio", "n_positive", "n_negative"}`` where each
        ``d = {"total", "positive", "negative", "positive_share"}`` (floats) and
        the ratios are the variant's total over the unweighted total.
    """
    alpha = check_param("alpha", alpha, 0.0, 1.0)
    gamma = check_param("gamma", gamma, 0.0)
    _, t, p = _pair(y_true, y_pred)
    plain = core.focal_pixels(t, p, tf.constant([1.0, alpha]), gamma, False)  # (2, N)
    balanced = core.focal_pixels(t, p, alpha, gamma, True)  # (1, N)
    pix = tf.concat([plain, balanced], axis=0)  # (3, N)
    pos = tf.cast(t >= 0.5, tf.float32)
    n = tf.cast(tf.shape(t)[-1], tf.float32)
    total = tf.reduce_mean(pix, axis=-1).numpy().astype(float)
    positive = (tf.reduce_sum(pix * pos, axis=-1) / n).numpy().astype(float)
    negative = (tf.reduce_sum(pix * (1.0 - pos), axis=-1) / n).numpy().astype(float)
    out: dict = {"alpha": alpha, "gamma": gamma}
    total, positive, negative = total.tolist(), positive.tolist(), negative.tolist()
    for i, name in enumerate(("unweighted", "scalar", "class_balanced")):
        out[name] = {
            "total": total[i],
            "positive": positive[i],
            "negative": negative[i],
            "positive_share": positive[i] / total[i] if total[i] > 0 else 0.0,
        }
    base = total[0]
    out["scalar_ratio"] = total[1] / base if base > 0 else float("nan")
    out["balanced_ratio"] = total[2] / base if base > 0 else float("nan")
    n_pos = int(tf.reduce_sum(pos))
    out["n_positive"] = n_pos
    out["n_negative"] = int(t.shape[-1]) - n_pos
    return out


# --------------------------------------------------------------------------
# Tversky
# --------------------------------------------------------------------------
def tversky_weighted_terms(
    y_true, y_pred, alpha: float = 0.5, beta: float = 0.5, smooth: float = 1e-6
) -> dict[str, float]:
    """The pieces of the Tversky index: what alpha and beta actually multiply.

    TI = (TP + s) / (TP + alpha FP + beta FN + s) with soft counts; the loss
    is 1 - TI (the value of :func:`losses.tversky`).

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        smooth: s >= 0.

    Returns:
        Floats ``{"TP", "FP", "FN", "alpha_FP", "beta_FN", "numerator",
        "denominator", "index", "loss"}``.

    Example:
        >>> d = tversky_weighted_terms([1, 1, 0, 0], [1, 0, 1, 0], alpha=0.3, beta=0.7)
        >>> round(d["alpha_FP"], 3), round(d["beta_FN"], 3), round(d["loss"], 3)
        (0.3, 0.7, 0.5)
    """
    alpha = check_param("alpha", alpha, 0.0)
    beta = check_param("beta", beta, 0.0)
    smooth = check_param("smooth", smooth, 0.0)
    _, t, p = _pair(y_true, y_pred)
    tp, fp, fn, _ = core.counts_rows(t, p)
    loss = core.tversky_from_counts(tp, fp, fn, alpha, beta, smooth)
    num = tp + smooth
    den = tp + alpha * fp + beta * fn + smooth
    return _floats(
        {
            "TP": tp[0],
            "FP": fp[0],
            "FN": fn[0],
            "alpha_FP": alpha * fp[0],
            "beta_FN": beta * fn[0],
            "numerator": num[0],
            "denominator": den[0],
            "index": (num / den)[0],
            "loss": loss[0],
        }
    )


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


def crossing_beta(alphas, coef_alpha: float, coef_beta: float) -> np.ndarray:
    """The beta where two candidates' Tversky losses are equal, for each alpha.

    The boundary of :func:`tversky_preference` is the line
    ``coef_alpha * alpha + coef_beta * beta = 0`` through the origin, so
    ``beta* = -coef_alpha / coef_beta * alpha``.

    Args:
        alphas: alpha values, any shape.
        coef_alpha, coef_beta: the line's coefficients from :func:`tversky_preference`.

    Returns:
        beta* with the shape of ``alphas`` (float64); NaN everywhere when
        ``coef_beta`` is 0 (the boundary is vertical or the losses never differ).

    Example:
        >>> crossing_beta([0.2, 0.5], coef_alpha=-1.0, coef_beta=2.0)
        array([0.1 , 0.25])
    """
    a = np.asarray(alphas, dtype=float)
    if coef_beta == 0:
        return np.full_like(a, np.nan)
    return -float(coef_alpha) / float(coef_beta) * a


def tversky_preference(y_true, pred_a, pred_b, alphas, betas, smooth: float = 1e-6) -> dict:
    r"""Which of two candidate predictions the Tversky loss prefers, over the alpha x beta square.

    Typically A is over-segmented (false positives only) and B
    under-segmented (false negatives only), for instance from
    :func:`make_candidates`. Both losses are computed for every grid point in
    one call. Because the loss is closed-form in alpha and beta,

    .. math:: L_A < L_B \iff c_\alpha\,\alpha + c_\beta\,\beta > 0,\quad
        c_\alpha = (TP_A + s) FP_B - (TP_B + s) FP_A,\;
        c_\beta = (TP_A + s) FN_B - (TP_B + s) FN_A

    (cross-multiply the two indices; the (TP_A + s)(TP_B + s) terms cancel),
    so the boundary is a straight line through the origin.

    Args:
        y_true: ground truth in [0, 1], any shape.
        pred_a: candidate A, same shape.
        pred_b: candidate B, same shape.
        alphas: weights of false positives, >= 0, shape (A,).
        betas: weights of false negatives, >= 0, shape (Bt,).
        smooth: s >= 0.

    Returns:
        dict with ``"alpha"`` (A,), ``"beta"`` (Bt,), ``"loss_a"``, ``"loss_b"``,
        ``"diff"`` (loss_a - loss_b) and ``"a_preferred"`` (loss_a < loss_b,
        bool), all (Bt, A) with rows following beta as in
        :func:`losses.analysis.tversky_grid`; ``"counts_a"``, ``"counts_b"``
        (``{"TP", "FP", "FN"}``); ``"coef_alpha"``, ``"coef_beta"`` (floats, the
        line above); ``"slope"`` (-coef_alpha / coef_beta, NaN if coef_beta is 0);
        ``"beta_star"`` (A,) = :func:`crossing_beta` at ``alphas``; and
        ``"a_preferred_above"`` (True when A wins for beta above the line,
        i.e. coef_beta > 0).
    """
    a = _vector("alphas", alphas, 0.0)
    b = _vector("betas", betas, 0.0)
    smooth = check_param("smooth", smooth, 0.0)
    t0, pa = check_pair(y_true, pred_a)
    _, pb = check_pair(y_true, pred_b)
    t = tf.reshape(t0, [1, -1])
    p = tf.stack([tf.reshape(pa, [-1]), tf.reshape(pb, [-1])])  # (2, N)
    tp, fp, fn, _ = core.counts_rows(t, p)  # each (2,)
    aa, bb = np.meshgrid(a, b)  # (Bt, A)
    col = lambda x: tf.reshape(x, [2, 1])  # noqa: E731
    grid = core.tversky_from_counts(
        col(tp), col(fp), col(fn), aa.reshape(-1), bb.reshape(-1), smooth
    )  # (2, Bt * A)
    grid = grid.numpy().astype(float).reshape((2,) + aa.shape)
    tp_, fp_, fn_ = (x.numpy().astype(float) for x in (tp, fp, fn))
    ca = (tp_[0] + smooth) * fp_[1] - (tp_[1] + smooth) * fp_[0]
    cb = (tp_[0] + smooth) * fn_[1] - (tp_[1] + smooth) * fn_[0]
    return {
        "alpha": a.astype(float),
        "beta": b.astype(float),
        "loss_a": grid[0],
        "loss_b": grid[1],
        "diff": grid[0] - grid[1],
        "a_preferred": grid[0] < grid[1],
        "counts_a": _counts_dict(tp_[0], fp_[0], fn_[0]),
        "counts_b": _counts_dict(tp_[1], fp_[1], fn_[1]),
        "coef_alpha": float(ca),
        "coef_beta": float(cb),
        "slope": float(-ca / cb) if cb != 0 else float("nan"),
        "beta_star": crossing_beta(a.astype(float), ca, cb),
        "a_preferred_above": bool(cb > 0),
    }


# --------------------------------------------------------------------------
# Focal Tversky
# --------------------------------------------------------------------------
def blog_gamma_from_paper(gamma_paper):
    """The blog's exponent for the paper's: gamma_blog = 1 / gamma_paper (4/3 -> 0.75).

    Args:
        gamma_paper: the paper's gamma (> 0), scalar or array.

    Returns:
        1 / gamma_paper, a float for a scalar or a float64 array.

    Example:
        >>> blog_gamma_from_paper(4 / 3)
        0.75
    """
    g = np.asarray(gamma_paper, dtype=float)
    if np.any(g <= 0) or not np.isfinite(g).all():
        raise ValueError("gamma_paper must be finite and > 0.")
    out = 1.0 / g
    return float(out) if out.ndim == 0 else out


def focal_tversky_curve(tversky_index, gammas) -> dict[str, np.ndarray]:
    r"""The Focal Tversky loss against the Tversky index TI, in both exponent conventions.

    Blog (and :func:`losses.focal_tversky`): L = (1 - TI)^gamma.
    Abraham & Khan 2019: L = (1 - TI)^(1/gamma). The same number gamma read in
    the two conventions gives two different losses; the paper's gamma = 4/3
    is the blog's gamma = 0.75 (:func:`blog_gamma_from_paper`). The gradient
    magnitude |dL/dTI| = g (1 - TI)^(g - 1) (g the effective exponent) shows
    where each pushes hardest: g < 1 pushes hardest near TI = 1 (good
    predictions), g > 1 near TI = 0. Values use :func:`losses.core.safe_pow`,
    so at TI = 1 both the loss and the reported gradient are 0; gradients come
    from ``tf.GradientTape``.

    Args:
        tversky_index: TI values in [0, 1], shape (P,).
        gammas: exponents > 0, shape (G,).

    Returns:
        ``{"ti": (P,), "gamma": (G,), "blog": (G, P), "paper": (G, P),
        "blog_grad": (G, P), "paper_grad": (G, P), "paper_as_blog_gamma": (G,)}``
        where ``"paper"`` uses exponent 1/gamma and ``"paper_as_blog_gamma"``
        is 1/gamma.
    """
    ti = _vector("tversky_index", tversky_index, 0.0, 1.0)
    g = _vector("gammas", gammas, 0.0)
    if np.any(g <= 0):
        raise ValueError("gammas must be > 0 (the paper's convention divides by gamma).")
    exps = np.concatenate([g, 1.0 / g]).astype(np.float32)  # blog rows, then paper rows
    k = len(exps)
    x = tf.tile(tf.constant((1.0 - ti)[:, None]), [1, k])  # (P, 2G), one copy per exponent
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = core.safe_pow(x, exps)  # (P, 2G): column j uses exponent j
    grad = tape.gradient(loss, x)  # dL/d(1 - TI); |dL/dTI| is its magnitude
    loss_np = loss.numpy().T.astype(float)  # (2G, P)
    grad_np = np.abs(grad.numpy().T.astype(float))
    G = len(g)
    return {
        "ti": ti.astype(float),
        "gamma": g.astype(float),
        "blog": loss_np[:G],
        "paper": loss_np[G:],
        "blog_grad": grad_np[:G],
        "paper_grad": grad_np[G:],
        "paper_as_blog_gamma": (1.0 / g.astype(float)),
    }


# --------------------------------------------------------------------------
# Combo
# --------------------------------------------------------------------------
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
    _, t, p = _pair(y_true, y_pred)
    pix = core.weighted_ce_pixels(t, p, alpha)  # (1, N)
    n = tf.cast(tf.shape(t)[-1], tf.float32)
    pos = tf.cast(t >= 0.5, tf.float32)
    wce = tf.reduce_mean(pix, axis=-1)
    dsc = 1.0 - core.dice_rows(t, p, smooth)
    total = core.combo_rows(t, p, alpha, ce_ratio, smooth)
    out = _floats(
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
    a = _vector("alphas", alphas, 0.0, 1.0)
    r = _vector("ce_ratios", ce_ratios, 0.0, 1.0)
    smooth = check_param("smooth", smooth, 0.0)
    _, t, p = _pair(y_true, y_pred)
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


# --------------------------------------------------------------------------
# across losses
# --------------------------------------------------------------------------
def _filled(keys, params_by_key) -> dict[str, dict]:
    params_by_key = params_by_key or {}
    unknown = set(params_by_key) - set(keys)
    if unknown:
        raise ValueError(f"params_by_key names unknown loss(es) {sorted(unknown)}.")
    return {k: fill_params(k, dict(params_by_key.get(k, {}))) for k in keys}


def compare_losses(y_true, y_pred, params_by_key: dict | None = None, keys=LOSS_KEYS) -> dict:
    """All losses (and BCE) of the same prediction, raw and on one shared scale.

    Raw values live on different scales (Combo can be negative, BCE is
    unbounded, Dice is in [0, 1]). To put them side by side each loss is also
    given *relative to a know-nothing prediction*:

        relative = (L(y_pred) - L(perfect)) / (L(all 0.5) - L(perfect))

    where "perfect" predicts y_true itself and "all 0.5" says 0.5 everywhere.
    0 means perfect, 1 means no better than knowing nothing, above 1 worse
    than that. For losses whose perfect value is 0 this is simply
    L / L(all 0.5); subtracting L(perfect) keeps Combo (perfect value
    -(1 - ce_ratio)) on the same footing. The three predictions of each loss
    are evaluated in one call.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        params_by_key: ``{loss key: {param: value}}``; missing ones take the
            registry's blog defaults (focal also accepts ``class_balanced``).
        keys: which losses, default :data:`LOSS_KEYS`.

    Returns:
        ``{"keys": [..], "titles": {k: str}, "params": {k: dict}, "raw": {k: float},
        "perfect": {k: float}, "know_nothing": {k: float}, "relative": {k: float}}``
        (``relative`` is NaN if a loss cannot tell perfect from know-nothing).
    """
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    t0, p0 = check_pair(y_true, y_pred)
    t = tf.reshape(t0, [1, -1])
    p = tf.reshape(p0, [1, -1])
    stack = tf.concat([p, t, tf.fill(tf.shape(p), 0.5)], axis=0)  # (3, N)
    out = {
        "keys": keys,
        "titles": {k: get_spec(k).title for k in keys},
        "params": prm,
        "raw": {},
        "perfect": {},
        "know_nothing": {},
        "relative": {},
    }
    for k in keys:
        cur, best, half = (float(v) for v in rows_fn(k)(t, stack, **prm[k]).numpy())
        out["raw"][k] = cur
        out["perfect"][k] = best
        out["know_nothing"][k] = half
        span = half - best
        out["relative"][k] = (cur - best) / span if abs(span) > 1e-12 else float("nan")
    return out


def rank_candidates(
    y_true, candidates: dict, params_by_key: dict | None = None, keys=LOSS_KEYS
) -> dict:
    """Rank several candidate predictions by each loss and flag where the losses disagree.

    All candidates are stacked as rows and scored in one call per loss. Rank
    1 is the lowest loss; candidates whose values differ by less than 1e-6
    (relative, plus 1e-7 absolute) share a rank, so float32 noise does not
    invent a disagreement.

    Args:
        y_true: ground truth in [0, 1], any shape.
        candidates: ``{name: prediction}``, each the shape of ``y_true``; at least two.
        params_by_key: as in :func:`compare_losses`.
        keys: which losses, default :data:`LOSS_KEYS`.

    Returns:
        ``{"names": [..], "keys": [..], "values": {k: {name: float}},
        "ranks": {k: {name: int}}, "order": {k: [names, best first]},
        "best": {k: name}, "disagree": bool, "disagree_best": bool,
        "conflicts": [{"a", "b", "prefer_a": [keys], "prefer_b": [keys],
        "tie": [keys]}]}``. ``disagree`` is True when the losses do not all give
        the same ranking, ``disagree_best`` when they do not all put the same
        candidate first, and ``conflicts`` lists each pair of candidates that
        some losses prefer one way and others the other way.
    """
    names = list(candidates)
    if len(names) < 2:
        raise ValueError("rank_candidates needs at least two candidates.")
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    preds = []
    for name in names:
        t0, p0 = check_pair(y_true, candidates[name])
        preds.append(tf.reshape(p0, [-1]))
    t = tf.reshape(t0, [1, -1])
    stack = tf.stack(preds)  # (C, N)
    values, ranks, order, best = {}, {}, {}, {}
    for k in keys:
        v = rows_fn(k)(t, stack, **prm[k]).numpy().astype(float)
        tol = 1e-6 * np.maximum(np.abs(v), 1.0) + 1e-7
        beats = v[None, :] < v[:, None] - tol[:, None]  # beats[i, j]: j strictly better than i
        r = 1 + beats.sum(axis=1)
        values[k] = dict(zip(names, v.tolist(), strict=True))
        ranks[k] = {n: int(x) for n, x in zip(names, r, strict=True)}
        order[k] = [names[i] for i in np.lexsort((np.arange(len(names)), r))]
        best[k] = order[k][0]
    rank_rows = {tuple(ranks[k][n] for n in names) for k in keys}
    conflicts = []
    for a, b in itertools.combinations(names, 2):
        prefer_a = [k for k in keys if ranks[k][a] < ranks[k][b]]
        prefer_b = [k for k in keys if ranks[k][b] < ranks[k][a]]
        if prefer_a and prefer_b:
            tie = [k for k in keys if ranks[k][a] == ranks[k][b]]
            conflicts.append(
                {"a": a, "b": b, "prefer_a": prefer_a, "prefer_b": prefer_b, "tie": tie}
            )
    best_sets = {frozenset(n for n in names if ranks[k][n] == 1) for k in keys}
    return {
        "names": names,
        "keys": keys,
        "values": values,
        "ranks": ranks,
        "order": order,
        "best": best,
        "disagree": len(rank_rows) > 1,
        "disagree_best": len(best_sets) > 1,
        "conflicts": conflicts,
    }


def imbalance_masks(
    fractions,
    relative_error: float = 0.2,
    size: int = 256,
    shape: str = "disk",
    confidence: float = 0.9,
) -> dict:
    """Objects of shrinking size, each predicted with the same relative error.

    For each foreground fraction f the object has A = round(f size^2) pixels
    (at least 1): the A pixels nearest the image centre ("disk": Euclidean
    distance; "square": the larger of the two axis distances; ties broken in
    raster order), so the area is exact. The prediction misses the
    k = round(relative_error A) rightmost object pixels (false negatives) and
    adds k background pixels hugging the right side of the object (false
    positives), as if the object were shifted a little to the right. So the
    error is the same share of the object at every size.

    Prediction levels: ``confidence`` on predicted-object pixels (true and
    false positives), 1 - confidence on the missed pixels, and 0 on the rest
    of the background, so the background adds nothing to the soft counts and
    every count scales with A. With confidence 1 the prediction is binary
    (then the BCE and focal gradients on missed pixels come from the 1e-7
    clip, so prefer confidence < 1 for gradients).

    Args:
        fractions: foreground fractions in (0, 0.5], shape (F,).
        relative_error: k / A, in [0, 0.5].
        size: image side in pixels (>= 8).
        shape: ``"disk"`` or ``"square"``.
        confidence: in (0.5, 1].

    Returns:
        ``{"y_true": (F, size, size), "y_pred": (F, size, size)`` (float32),
        ``"object_pixels", "fn_pixels", "fp_pixels"`` (F,) ints and
        ``"fraction"`` (F,) the actual foreground fraction.
    """
    f = _vector("fractions", fractions, 0.0, 0.5)
    if np.any(f <= 0):
        raise ValueError("fractions must be > 0.")
    relative_error = check_param("relative_error", relative_error, 0.0, 0.5)
    confidence = check_param("confidence", confidence, 0.5, 1.0)
    if confidence == 0.5:
        raise ValueError("confidence must be > 0.5 (0.5 would not be a prediction).")
    if isinstance(size, bool) or int(size) != size or size < 8:
        raise ValueError(f"size must be a whole number >= 8, got {size!r}.")
    if shape not in ("disk", "square"):
        raise ValueError(f"shape must be 'disk' or 'square', got {shape!r}.")
    size = int(size)
    n = size * size
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    c = (size - 1) / 2.0
    dy, dx = (yy - c).ravel(), (xx - c).ravel()
    dist = np.hypot(dx, dy) if shape == "disk" else np.maximum(np.abs(dx), np.abs(dy))
    idx = np.arange(n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((idx, dist))] = idx  # position of each pixel in the centre-out order
    area = np.maximum(1, np.rint(f.astype(np.float64) * n)).astype(np.int64)  # (F,)
    k = np.rint(relative_error * area).astype(np.int64)
    obj = rank[None, :] < area[:, None]  # (F, N)
    # false negatives: the k rightmost object pixels (largest x, then farthest)
    fn_key = np.where(obj, -(dx * 1e6 + dist)[None, :], np.inf)
    fn_rank = np.argsort(np.argsort(fn_key, axis=1, kind="stable"), axis=1, kind="stable")
    fn = obj & (fn_rank < k[:, None])
    # false positives: background pixels nearest the centre, right half first
    fp_key = np.where(obj, np.inf, (dist + (dx <= 0) * 4.0 * n)[None, :])
    fp_rank = np.argsort(np.argsort(fp_key, axis=1, kind="stable"), axis=1, kind="stable")
    fp = ~obj & (fp_rank < k[:, None])
    t = obj.astype(np.float32)
    p = np.where(obj & ~fn, confidence, 0.0)
    p = np.where(fn, 1.0 - confidence, p)
    p = np.where(fp, confidence, p).astype(np.float32)
    return {
        "y_true": t.reshape(-1, size, size),
        "y_pred": p.reshape(-1, size, size),
        "object_pixels": area.astype(int),
        "fn_pixels": fn.sum(axis=1).astype(int),
        "fp_pixels": fp.sum(axis=1).astype(int),
        "fraction": area / n,
    }


def imbalance_sweep(
    fractions=DEFAULT_FRACTIONS,
    relative_error: float = 0.2,
    size: int = 256,
    shape: str = "disk",
    confidence: float = 0.9,
    params_by_key: dict | None = None,
    keys=LOSS_KEYS,
) -> dict:
    """The same relative error on ever smaller objects: which losses notice the object shrink?

    Builds the masks of :func:`imbalance_masks` and evaluates every loss on
    all fractions at once (one row per fraction, per-row reduction), together
    with dL/dp from one ``tf.GradientTape`` per loss (each row's loss depends
    only on its own row, so the gradient of the sum is every row's gradient).
    As in :func:`losses.analysis.gradient_map` the prediction is clipped to
    [1e-7, 1 - 1e-7] before differentiating. Pixel-averaged losses (BCE,
    Focal) shrink with the object and so do their gradients; region losses
    (Dice, IoU, Tversky) give the same value at every size and a gradient per
    foreground pixel that grows as the object shrinks.

    Args:
        fractions: foreground fractions in (0, 0.5], shape (F,).
        relative_error, size, shape, confidence: see :func:`imbalance_masks`.
        params_by_key: as in :func:`compare_losses`.
        keys: which losses, default :data:`LOSS_KEYS`.

    Returns:
        ``{"fraction": (F,) requested, "actual_fraction": (F,), "object_pixels",
        "fn_pixels", "fp_pixels": (F,) ints, "keys": [..], "titles": {k: str},
        "loss": {k: (F,)}, "grad_fg": {k: (F,)}, "grad_fg_ratio": {k: (F,)},
        "relative_error", "confidence"}``. ``grad_fg`` is the mean |dL/dp| over
        foreground pixels; ``grad_fg_ratio`` divides it by its value at the
        first fraction.
    """
    f = _vector("fractions", fractions, 0.0, 0.5)
    masks = imbalance_masks(f, relative_error, size, shape, confidence)
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    nf = len(f)
    t = tf.constant(masks["y_true"].reshape(nf, -1))
    p = tf.clip_by_value(tf.constant(masks["y_pred"].reshape(nf, -1)), EPSILON, 1.0 - EPSILON)
    fg_count = tf.reduce_sum(t, axis=-1)
    loss, grad_fg, ratio = {}, {}, {}
    for k in keys:
        fn = rows_fn(k)
        with tf.GradientTape() as tape:
            tape.watch(p)
            vals = fn(t, p, **prm[k])  # (F,)
            total = tf.reduce_sum(vals)
        g = tape.gradient(total, p)
        mean_g = (tf.reduce_sum(tf.abs(g) * t, axis=-1) / fg_count).numpy().astype(float)
        loss[k] = vals.numpy().astype(float)
        grad_fg[k] = mean_g
        ratio[k] = mean_g / mean_g[0] if mean_g[0] != 0 else np.full_like(mean_g, np.nan)
    return {
        "fraction": f.astype(float),
        "actual_fraction": masks["fraction"],
        "object_pixels": masks["object_pixels"],
        "fn_pixels": masks["fn_pixels"],
        "fp_pixels": masks["fp_pixels"],
        "keys": keys,
        "titles": {k: get_spec(k).title for k in keys},
        "loss": loss,
        "grad_fg": grad_fg,
        "grad_fg_ratio": ratio,
        "relative_error": relative_error,
        "confidence": confidence,
    }


def batch_vs_image_dice(
    size: int = 64,
    large_fraction: float = 0.25,
    small_fraction: float = 0.005,
    relative_error: float = 0.2,
    smooth: float = 1e-6,
) -> dict:
    """Why Dice changes with the batch: pooled (per-batch) against per-image Dice.

    A batch of two images, one with a large object and one with a tiny one
    (built as in :func:`imbalance_masks`, binary predictions, each missing
    ``relative_error`` of its object and adding as many false positives).
    Two cases: both objects predicted with that error, and the tiny object
    missed completely (its prediction all 0). Pooled Dice sums TP and areas
    over the whole batch, so the big object dominates and missing the tiny
    one barely moves it; per-image Dice scores each image and averages, so
    the miss costs half the batch. The same image therefore gets a different
    loss depending on what else is in its batch when Dice is pooled.

    Args:
        size: image side in pixels.
        large_fraction: foreground fraction of the large object, in (0, 0.5].
        small_fraction: foreground fraction of the tiny object, in (0, 0.5].
        relative_error: share of each object missed (and added as FP), in [0, 0.5].
        smooth: s >= 0 of the Dice loss.

    Returns:
        ``{"cases": ["both_predicted", "small_missed"], "pooled": (2,),
        "per_image": (2, 2) [case, image], "per_image_mean": (2,),
        "pooled_change": float, "per_image_change": float,
        "object_pixels": (2,) ints [large, small], "counts": (2, 2, 3) soft
        [TP, FP, FN] per case and image, "y_true": (2, size, size),
        "y_pred": (2, 2, size, size) [case, image]}``. The changes are
        small_missed minus both_predicted. ``pooled`` equals
        ``losses.dice(y_true, y_pred[c])`` and ``per_image_mean`` equals
        ``losses.dice(..., per_image=True)``.
    """
    smooth = check_param("smooth", smooth, 0.0)
    m = imbalance_masks([large_fraction, small_fraction], relative_error, size, "disk", 1.0)
    t_img = m["y_true"]  # (2, H, W)
    missed = m["y_pred"].copy()
    missed[1] = 0.0
    preds = np.stack([m["y_pred"], missed])  # (2 cases, 2 images, H, W)
    n = size * size
    t = tf.constant(np.tile(t_img.reshape(1, 2, n), (2, 1, 1)).reshape(4, n))
    p = tf.constant(preds.reshape(4, n))
    per_image = core.dice_rows(t, p, smooth).numpy().astype(float).reshape(2, 2)
    pooled = core.dice_rows(tf.reshape(t, [2, 2 * n]), tf.reshape(p, [2, 2 * n]), smooth)
    pooled = pooled.numpy().astype(float)
    tp, fp, fn, _ = core.counts_rows(t, p)
    counts = np.stack([x.numpy() for x in (tp, fp, fn)], axis=-1).astype(float).reshape(2, 2, 3)
    per_mean = per_image.mean(axis=1)
    return {
        "cases": ["both_predicted", "small_missed"],
        "pooled": pooled,
        "per_image": per_image,
        "per_image_mean": per_mean,
        "pooled_change": float(pooled[1] - pooled[0]),
        "per_image_change": float(per_mean[1] - per_mean[0]),
        "object_pixels": m["object_pixels"],
        "counts": counts,
        "y_true": t_img,
        "y_pred": preds,
    }
