"""Focal loss (Lin et al. 2017): what gamma does to easy and hard pixels, and the two alphas.

Every function evaluates all its variants in one batched call of the rows
forms in :mod:`losses.core`, so each number is what :func:`losses.focal`
returns for that variant.
"""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import check_param

from ._common import column, pair, vector


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
    pt = vector("p_t", p_t, 0.0, 1.0)
    g = vector("gammas", gammas, 0.0)
    p = tf.constant(pt[None, :])
    t = tf.ones_like(p)
    loss = core.focal_pixels(t, p, 1.0, g, False)  # (G, P)
    modulating = core.one_minus_pt(t, p) ** column(g)  # (G, P)
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
    g = vector("gammas", gammas, 0.0)
    shape, t, p = pair(y_true, y_pred)
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
    g = vector("gamma", gamma, 0.0)
    shape, t, p = pair(y_true, y_pred)
    w = (core.one_minus_pt(t, p) ** column(g)).numpy().astype(float)  # (G, N)
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
    _, t, p = pair(y_true, y_pred)
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
