"""Tversky loss (Salehi et al. 2017): what alpha and beta multiply, and where the loss
changes its mind between an over- and an under-segmentation.
"""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import check_pair, check_param

from ._common import counts_dict, floats, pair, vector


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
    _, t, p = pair(y_true, y_pred)
    tp, fp, fn, _ = core.counts_rows(t, p)
    loss = core.tversky_from_counts(tp, fp, fn, alpha, beta, smooth)
    num = tp + smooth
    den = tp + alpha * fp + beta * fn + smooth
    return floats(
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
        :func:`teaching.analysis.tversky_grid`; ``"counts_a"``, ``"counts_b"``
        (``{"TP", "FP", "FN"}``); ``"coef_alpha"``, ``"coef_beta"`` (floats, the
        line above); ``"slope"`` (-coef_alpha / coef_beta, NaN if coef_beta is 0);
        ``"beta_star"`` (A,) = :func:`crossing_beta` at ``alphas``; and
        ``"a_preferred_above"`` (True when A wins for beta above the line,
        i.e. coef_beta > 0).
    """
    a = vector("alphas", alphas, 0.0)
    b = vector("betas", betas, 0.0)
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
        "counts_a": counts_dict(tp_[0], fp_[0], fn_[0]),
        "counts_b": counts_dict(tp_[1], fp_[1], fn_[1]),
        "coef_alpha": float(ca),
        "coef_beta": float(cb),
        "slope": float(-ca / cb) if cb != 0 else float("nan"),
        "beta_star": crossing_beta(a.astype(float), ca, cb),
        "a_preferred_above": bool(cb > 0),
    }


def candidate_losses(preference: dict, alpha: float, beta: float, smooth: float) -> tuple:
    """The Tversky losses of candidates A and B of :func:`tversky_preference` at one setting.

    The same closed form the loss uses, on the candidates' soft counts (no pass over pixels).
    """
    out = []
    for c in (preference["counts_a"], preference["counts_b"]):
        value = core.tversky_from_counts(c["TP"], c["FP"], c["FN"], alpha, beta, smooth)
        out.append(float(value[0]))
    return tuple(out)
