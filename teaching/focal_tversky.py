"""Focal Tversky loss (Abraham and Khan 2019): the exponent in both conventions."""

from __future__ import annotations

import numpy as np

from losses import core
from losses._tf import tf

from ._common import vector


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
    ti = vector("tversky_index", tversky_index, 0.0, 1.0)
    g = vector("gammas", gammas, 0.0)
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
