"""The seven segmentation losses (and BCE) as plain TensorFlow functions.

Each public function takes ``y_true`` and ``y_pred`` of the same shape (any
rank; numpy arrays or tensors; probabilities in [0, 1]) and returns a scalar
float32 tensor. By default every element of the whole batch is pooled into one
sum or mean, as in the reference blog post; ``per_image=True`` computes the
loss of each image (axis 0) separately and averages those.

Every loss is written once, in a "rows" form that works on a stack of
flattened images ``t, p`` of shape ``(B, N)`` and on parameters that are
scalars or 1-D tensors of length G. It returns one value per row (or per
parameter value, by broadcasting). The public functions call these, and so
can batched code that evaluates many settings at once (the teaching app's
curves and grids do), so such a point is exactly the value the loss returns.
"""

from __future__ import annotations

from ._tf import tf
from .validation import EPSILON, check_pair, check_param

__all__ = [
    "bce",
    "focal",
    "dice",
    "bce_dice",
    "iou",
    "jaccard",
    "tversky",
    "focal_tversky",
    "combo",
    "unified_focal",
    "soft_counts",
]


# --------------------------------------------------------------------------
# shared pieces
# --------------------------------------------------------------------------
def as_rows(t, p, per_image: bool = False):
    """Flatten a validated pair to (B, N): B = 1 (pooled) or the batch size."""
    if per_image:
        if t.shape.rank is not None and t.shape.rank < 2:
            raise ValueError(
                "per_image=True needs a batch axis: pass arrays of shape "
                "(batch, H, W) or (batch, H, W, 1)."
            )
        b = tf.shape(t)[0]
        return tf.reshape(t, [b, -1]), tf.reshape(p, [b, -1])
    return tf.reshape(t, [1, -1]), tf.reshape(p, [1, -1])


def _vec(x):
    """A parameter as a 1-D float32 tensor (length 1 or G) for region maths."""
    return tf.reshape(tf.cast(x, tf.float32), [-1])


def _col(x):
    """A parameter as a (G, 1) column that broadcasts against (B, N) pixels."""
    return tf.reshape(tf.cast(x, tf.float32), [-1, 1])


_TINY = 1e-37  # smallest argument whose log's slope is used (float32 normal range)


def _value_with_gradient_of(value, surrogate):
    """``value`` exactly, differentiated as if it were ``surrogate``.

    ``surrogate - stop_gradient(surrogate)`` is exactly 0 for a finite
    surrogate, so the sum carries ``value`` bit for bit while the gradient
    flows through ``surrogate`` only.
    """
    return tf.stop_gradient(value) + (surrogate - tf.stop_gradient(surrogate))


def _clipped_pair(p):
    """p and 1 - p, each clipped to [1e-7, 1 - 1e-7] on its own.

    In float32, 1 - 1e-7 rounds to 1 - 2**-23 (about 1 - 1.19e-7), so
    ``1 - clip(p)`` of a prediction of 1 is 1.19e-7, not 1e-7. Clipping
    1 - p itself gives 1e-7 at p = 1 just as clipping p gives 1e-7 at p = 0,
    and 1 - p is exact in float32 for p >= 0.5, where it matters.
    """
    a = tf.clip_by_value(p, EPSILON, 1.0 - EPSILON)
    b = tf.clip_by_value(1.0 - p, EPSILON, 1.0 - EPSILON)
    return a, b


def log_probs(p):
    """log(p) and log(1 - p) as every loss here takes them.

    Values: the logs of the prediction clipped to [1e-7, 1 - 1e-7], as the
    formulas say. Each log is taken of the small side: log(1 - p) of a
    clipped 1 - p, never of 1 - (clipped p), and the log of the side near 1
    comes from ``log1p``. A certain, wrong pixel therefore costs -ln(1e-7)
    = 16.118 whichever class it belongs to (the float32 rounding of
    1 - 1e-7 would otherwise make a false positive cost only 15.94).

    Gradients: those of the unclipped logs, 1/p and -1/(1 - p) (arguments
    floored at 1e-37). A plain clip has zero slope outside its range, so a
    sigmoid output that fell below 1e-7 could never be pulled back. With the
    true slope, the chain rule through the sigmoid gives the well-known
    p - t, however small p is.
    """
    a, b = _clipped_pair(p)
    upper = p > 0.5
    log_p = tf.where(upper, tf.math.log1p(-b), tf.math.log(a))
    log_q = tf.where(upper, tf.math.log(b), tf.math.log1p(-a))
    raw_p = tf.math.log(tf.maximum(p, _TINY))
    raw_q = tf.math.log(tf.maximum(1.0 - p, _TINY))
    return _value_with_gradient_of(log_p, raw_p), _value_with_gradient_of(log_q, raw_q)


def bce_pixels(t, p):
    """Per-pixel binary cross-entropy with the prediction clipped before logs."""
    log_p, log_q = log_probs(p)
    return -(t * log_p + (1.0 - t) * log_q)


def one_minus_pt(t, p):
    """1 - p_t, where p_t is the probability given to the true class.

    Written as t (1 - p) + (1 - t) p with p and 1 - p each clipped to
    [1e-7, 1 - 1e-7] (see :func:`log_probs`), so it never reaches 0 and
    (1 - p_t) ** gamma has a finite gradient for every gamma. The gradient
    is that of the unclipped expression.
    """
    a, b = _clipped_pair(p)
    return _value_with_gradient_of(t * b + (1.0 - t) * a, t * (1.0 - p) + (1.0 - t) * p)


def counts_rows(t, p):
    """Soft TP, FP, FN, TN per row: sums of t p, (1-t) p, t (1-p), (1-t)(1-p)."""
    tp = tf.reduce_sum(t * p, axis=-1)
    fp = tf.reduce_sum((1.0 - t) * p, axis=-1)
    fn = tf.reduce_sum(t * (1.0 - p), axis=-1)
    tn = tf.reduce_sum((1.0 - t) * (1.0 - p), axis=-1)
    return tp, fp, fn, tn


def _unit(x):
    """Keep a ratio-based loss inside [0, 1] despite float32 rounding."""
    return tf.clip_by_value(x, 0.0, 1.0)


# --------------------------------------------------------------------------
# row forms: (B, N) pixels, scalar or (G,) parameters -> (max(B, G),) values
# --------------------------------------------------------------------------
def bce_rows(t, p):
    return tf.reduce_mean(bce_pixels(t, p), axis=-1)


def focal_weights(t, alpha, class_balanced):
    a = _col(alpha)
    if class_balanced:
        return a * t + (1.0 - a) * (1.0 - t)
    return a * tf.ones_like(t)


def focal_pixels(t, p, alpha, gamma, class_balanced):
    w = focal_weights(t, alpha, class_balanced)
    return w * one_minus_pt(t, p) ** _col(gamma) * bce_pixels(t, p)


def focal_rows(t, p, alpha, gamma, class_balanced=False):
    return tf.reduce_mean(focal_pixels(t, p, alpha, gamma, class_balanced), axis=-1)


# The region losses are written as "errors / total" rather than the textbook
# "1 - agreement / total". The two are equal, but near a perfect prediction
# 1 - ratio cancels in float32 (every digit below 1e-7 is lost), which a
# focal Tversky exponent below 1 then magnifies: with gamma = 0.1 a true loss
# of 0.201 would come out as 0.189. FP and FN are summed pixel by pixel
# (never as sum(p) - TP), so they keep float32's relative precision.
#
# Each region loss is a function of the soft counts only (``*_from_counts``),
# so code that obtains the counts by a cheaper route (closed forms,
# correlations) can feed them in and the formula itself lives in one place.
def tp_fp_fn_rows(t, p):
    """Soft TP, FP and FN per row, each summed pixel by pixel."""
    tp = tf.reduce_sum(t * p, axis=-1)
    fp = tf.reduce_sum((1.0 - t) * p, axis=-1)
    fn = tf.reduce_sum(t * (1.0 - p), axis=-1)
    return tp, fp, fn


def dice_from_counts(tp, fp, fn, smooth):
    # 1 - (2 TP + s) / (sum t + sum p + s) = (FP + FN) / (2 TP + FP + FN + s)
    s = _vec(smooth)
    err = fp + fn
    return _unit(tf.math.divide_no_nan(err, 2.0 * tp + err + s))


def iou_from_counts(tp, fp, fn, smooth):
    # 1 - (TP + s) / (sum t + sum p - TP + s) = (FP + FN) / (TP + FP + FN + s)
    s = _vec(smooth)
    err = fp + fn
    return _unit(tf.math.divide_no_nan(err, tp + err + s))


def tversky_from_counts(tp, fp, fn, alpha, beta, smooth):
    # 1 - (TP + s) / (TP + a FP + b FN + s) = (a FP + b FN) / (TP + a FP + b FN + s)
    a, b, s = _vec(alpha), _vec(beta), _vec(smooth)
    weighted = a * fp + b * fn
    return _unit(tf.math.divide_no_nan(weighted, tp + weighted + s))


def dice_rows(t, p, smooth):
    return dice_from_counts(*tp_fp_fn_rows(t, p), smooth)


def iou_rows(t, p, smooth):
    return iou_from_counts(*tp_fp_fn_rows(t, p), smooth)


def tversky_rows(t, p, alpha, beta, smooth):
    return tversky_from_counts(*tp_fp_fn_rows(t, p), alpha, beta, smooth)


def safe_pow(x, gamma):
    """x ** gamma for x in [0, 1] whose value and gradient are finite at x = 0.

    At x = 0 the value is 0 and the gradient 0 (the minimum), instead of the
    infinite slope of x ** gamma for gamma < 1.
    """
    g = _vec(gamma)
    pos = x > 0.0
    safe = tf.where(pos, x, tf.ones_like(x))
    return tf.where(pos, safe**g, tf.zeros_like(safe**g))


def focal_tversky_rows(t, p, alpha, beta, gamma, smooth):
    return safe_pow(tversky_rows(t, p, alpha, beta, smooth), gamma)


def weighted_ce_pixels(t, p, alpha):
    """Combo's weighted cross-entropy per pixel: alpha on positives, 1 - alpha on negatives."""
    log_p, log_q = log_probs(p)
    a = _col(alpha)
    return -(a * t * log_p + (1.0 - a) * (1.0 - t) * log_q)


def combo_rows(t, p, alpha, ce_ratio, smooth):
    wce = tf.reduce_mean(weighted_ce_pixels(t, p, alpha), axis=-1)
    dsc = 1.0 - dice_rows(t, p, smooth)
    r = _vec(ce_ratio)
    return r * wce - (1.0 - r) * dsc


def _probs_with_true_slope(p):
    """p and 1 - p clipped to [1e-7, 1 - 1e-7] (see :func:`log_probs`), with the slopes of the
    unclipped expressions, so a power of either has a finite value and gradient for any exponent.
    """
    a, b = _clipped_pair(p)
    return _value_with_gradient_of(a, p), _value_with_gradient_of(b, 1.0 - p)


# The Unified Focal loss (Yeung et al. 2022) in its binary form: the foreground (p) and
# the background (1 - p) are its two classes. Its cross-entropy part sums the classes pixel
# by pixel; its region part is one modified Tversky term per class, added up.
def unified_focal_pixels(t, p, delta, gamma, symmetric):
    """The cross-entropy part per pixel: delta on foreground pixels, 1 - delta on background.

    A background pixel's term carries the focal factor p ** gamma (that is (1 - p_t) ** gamma);
    a foreground pixel's carries (1 - p) ** gamma in the symmetric form only.
    """
    log_p, log_q = log_probs(p)
    a, b = _probs_with_true_slope(p)
    d, g = _col(delta), _col(gamma)
    fg = d * t * -log_p
    if symmetric:
        fg = fg * b**g
    bg = (1.0 - d) * (1.0 - t) * a**g * -log_q
    return fg + bg


def unified_focal_from_counts(tp, fp, fn, tn, delta, gamma, symmetric, smooth):
    """The region part from the soft counts: a modified Tversky term for each class.

    Each class's index is TP_c / (TP_c + delta FN_c + (1 - delta) FP_c) on its own counts;
    the background's own false negatives are the foreground's false positives. The
    foreground's term is raised to 1 - gamma; the background's too in the symmetric form.
    """
    d = _vec(delta)
    fg = tversky_from_counts(tp, fp, fn, 1.0 - d, d, smooth)
    bg = tversky_from_counts(tf.maximum(tn, 0.0), fn, fp, 1.0 - d, d, smooth)
    e = 1.0 - _vec(gamma)
    return safe_pow(fg, e) + (safe_pow(bg, e) if symmetric else bg)


def unified_focal_rows(t, p, lambda_, delta, gamma, symmetric, smooth):
    ce = tf.reduce_mean(unified_focal_pixels(t, p, delta, gamma, symmetric), axis=-1)
    region = unified_focal_from_counts(*counts_rows(t, p), delta, gamma, symmetric, smooth)
    lam = _vec(lambda_)
    return lam * ce + (1.0 - lam) * region


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------
def _finish(rows):
    return tf.reduce_mean(rows)


def bce(y_true, y_pred, per_image: bool = False):
    r"""Binary cross-entropy, averaged over every pixel.

    .. math:: \mathrm{BCE} = -\frac{1}{N}\sum_i t_i\log p_i + (1-t_i)\log(1-p_i)

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape as ``y_true``.
        per_image: average per image (axis 0) first; for BCE the result is the same.

    Returns:
        A scalar float32 tensor.

    Example:
        >>> float(bce([1.0, 0.0], [0.5, 0.5]))  # doctest: +ELLIPSIS
        0.693...
    """
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(bce_rows(t, p))


def focal(
    y_true,
    y_pred,
    alpha: float = 0.8,
    gamma: float = 2.0,
    class_balanced: bool = False,
    per_image: bool = False,
):
    r"""Focal loss (Lin et al. 2017, "Focal Loss for Dense Object Detection").

    .. math:: \mathrm{FL} = \frac{1}{N}\sum_i w_i (1-p_{t,i})^\gamma \,\mathrm{BCE}_i

    where p_t is the probability given to the true class. ``gamma`` turns down
    the loss of pixels that are already right (p_t near 1) so the hard ones
    dominate; gamma = 0 gives weighted BCE.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        alpha: with ``class_balanced=False`` (the blog's form) one scalar weight
            on every pixel, so it only rescales the loss. With
            ``class_balanced=True`` (the paper's form) positives get ``alpha``
            and negatives ``1 - alpha``; the paper uses 0.25.
        gamma: focusing exponent >= 0; the paper uses 2.
        class_balanced: choose the paper's per-class alpha.
        per_image: average per image first (same value for this pixel-wise loss).

    Returns:
        A scalar float32 tensor.

    Example:
        >>> round(float(focal([1.0], [0.5], alpha=1.0, gamma=2.0)), 4)
        0.1733
    """
    alpha = check_param("alpha", alpha, 0.0, 1.0)
    gamma = check_param("gamma", gamma, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(focal_rows(t, p, alpha, gamma, bool(class_balanced)))


def dice(y_true, y_pred, smooth: float = 1e-6, per_image: bool = False):
    r"""Dice loss: one minus the soft Dice coefficient.

    .. math:: L = 1 - \frac{2\sum t p + s}{\sum t + \sum p + s}

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        smooth: s >= 0, added to numerator and denominator. It keeps two empty
            masks at loss 0 (a perfect answer) and the gradient finite.
        per_image: compute Dice for each image on axis 0 and average, instead
            of pooling the whole batch.

    Returns:
        A scalar float32 tensor in [0, 1].

    Example:
        >>> round(float(dice([1.0, 1.0, 0.0], [1.0, 0.0, 0.0])), 4)
        0.3333
    """
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(dice_rows(t, p, smooth))


def bce_dice(y_true, y_pred, smooth: float = 1e-6, per_image: bool = False):
    r"""BCE plus Dice loss: a pixel-wise and a region term added with equal weight.

    .. math:: L = \mathrm{BCE} + \left(1 - \frac{2\sum tp + s}{\sum t + \sum p + s}\right)

    The cross-entropy gives every pixel a smooth gradient; the Dice term scores
    the overlap of the whole region.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        smooth: s >= 0 of the Dice term (see :func:`dice`).
        per_image: compute the Dice term for each image on axis 0 and average
            (the BCE term is the same either way).

    Returns:
        A scalar float32 tensor.

    Example:
        >>> round(float(bce_dice([1.0, 0.0], [1.0, 0.0])), 4)
        0.0
    """
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(bce_rows(t, p) + dice_rows(t, p, smooth))


def iou(y_true, y_pred, smooth: float = 1e-6, per_image: bool = False):
    r"""Jaccard (IoU) loss: one minus the soft intersection over union.

    .. math:: L = 1 - \frac{\sum tp + s}{\sum t + \sum p - \sum tp + s}

    Stricter than Dice on a partial overlap (IoU = Dice / (2 - Dice)).

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        smooth: s >= 0, added to numerator and denominator (see :func:`dice`).
        per_image: compute IoU for each image on axis 0 and average, instead
            of pooling the whole batch.

    Returns:
        A scalar float32 tensor in [0, 1].

    Example:
        >>> round(float(iou([1.0, 1.0, 0.0], [1.0, 0.0, 0.0])), 4)
        0.5
    """
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(iou_rows(t, p, smooth))


jaccard = iou


def tversky(
    y_true,
    y_pred,
    alpha: float = 0.5,
    beta: float = 0.5,
    smooth: float = 1e-6,
    per_image: bool = False,
):
    r"""Tversky loss (Salehi et al. 2017).

    .. math:: L = 1 - \frac{TP + s}{TP + \alpha\,FP + \beta\,FN + s}

    with soft counts TP = sum t p, FP = sum (1-t) p, FN = sum t (1-p).
    ``alpha`` weighs false positives and ``beta`` false negatives: raise beta
    to punish missed foreground (the paper uses alpha = 0.3, beta = 0.7).
    alpha = beta = 0.5 is the Dice loss; alpha = beta = 1 is the IoU loss.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        alpha: weight >= 0 of the false positives.
        beta: weight >= 0 of the false negatives.
        smooth: s >= 0, added to numerator and denominator.
        per_image: compute the loss for each image on axis 0 and average,
            instead of pooling the whole batch.

    Returns:
        A scalar float32 tensor in [0, 1].

    Example:
        >>> round(float(tversky([1.0, 0.0], [1.0, 1.0], alpha=1.0, beta=0.0)), 4)
        0.5
    """
    alpha = check_param("alpha", alpha, 0.0)
    beta = check_param("beta", beta, 0.0)
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(tversky_rows(t, p, alpha, beta, smooth))


def focal_tversky(
    y_true,
    y_pred,
    alpha: float = 0.5,
    beta: float = 0.5,
    gamma: float = 1.0,
    smooth: float = 1e-6,
    per_image: bool = False,
):
    r"""Focal Tversky loss (Abraham and Khan 2019): the Tversky loss raised to gamma.

    .. math:: L = \left(1 - \frac{TP + s}{TP + \alpha FP + \beta FN + s}\right)^{\gamma}

    This is the blog's convention. The paper writes the exponent as 1/gamma
    and uses gamma = 4/3, which is gamma = 0.75 here. gamma < 1 makes the loss
    steeper near a good prediction; gamma = 1 is the Tversky loss.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        alpha: weight >= 0 of the false positives.
        beta: weight >= 0 of the false negatives.
        gamma: exponent >= 0 applied to the Tversky loss.
        smooth: s >= 0, added to numerator and denominator.
        per_image: compute the loss for each image on axis 0 and average,
            instead of pooling the whole batch.

    Returns:
        A scalar float32 tensor in [0, 1].

    Example:
        >>> round(float(focal_tversky([1.0, 1.0], [1.0, 0.0], gamma=2.0)), 4)
        0.1111
    """
    alpha = check_param("alpha", alpha, 0.0)
    beta = check_param("beta", beta, 0.0)
    gamma = check_param("gamma", gamma, 0.0)
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(focal_tversky_rows(t, p, alpha, beta, gamma, smooth))


def combo(
    y_true,
    y_pred,
    alpha: float = 0.5,
    ce_ratio: float = 0.5,
    smooth: float = 1e-6,
    per_image: bool = False,
):
    r"""Combo loss (Taghanaki et al. 2019): weighted cross-entropy minus Dice.

    .. math:: L = r\,\mathrm{wCE} - (1-r)\,\mathrm{DSC},\quad
        \mathrm{wCE} = -\frac1N\sum \alpha t\log p + (1-\alpha)(1-t)\log(1-p)

    ``alpha`` weighs the cross-entropy of positives (above 0.5 punishes false
    negatives more), ``ce_ratio`` r shares the loss between cross-entropy and
    the Dice coefficient DSC. Because DSC is subtracted, the value can be
    negative; its minimum is -(1 - r) for a perfect prediction. The blog's
    version leaves ``smooth`` and ``e`` undefined and closes a bracket in the
    wrong place; this is the corrected formula.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities in [0, 1], same shape.
        alpha: weight in [0, 1] of the positives in the cross-entropy
            (negatives get 1 - alpha).
        ce_ratio: share r in [0, 1] of the cross-entropy.
        smooth: s >= 0 of the Dice coefficient.
        per_image: compute the Dice coefficient for each image on axis 0 and
            average (the cross-entropy is the same either way).

    Returns:
        A scalar float32 tensor.

    Example:
        >>> round(float(combo([1.0, 0.0], [1.0, 0.0])), 4)
        -0.5
    """
    alpha = check_param("alpha", alpha, 0.0, 1.0)
    ce_ratio = check_param("ce_ratio", ce_ratio, 0.0, 1.0)
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(combo_rows(t, p, alpha, ce_ratio, smooth))


def unified_focal(
    y_true,
    y_pred,
    lambda_: float = 0.5,
    delta: float = 0.6,
    gamma: float = 0.5,
    symmetric: bool = False,
    smooth: float = 1e-6,
    per_image: bool = False,
):
    r"""Unified Focal loss (Yeung, Sala, Schönlieb, Rundo 2022), binary segmentation.

    One loss with three dials that contains the cross-entropy and the Dice families.
    The foreground (probability p) and the background (1 - p) are its two classes:

    .. math::
        L = \lambda\,\mathcal{L}_{F} + (1-\lambda)\,\mathcal{L}_{FT}

        \mathcal{L}_{F} = -\frac1N\sum_i \delta\,t_i\,(1-p_i)^{\gamma_s}\log p_i
            + (1-\delta)(1-t_i)\,p_i^{\gamma}\log(1-p_i)

        \mathcal{L}_{FT} = (1-\mathrm{mTI}_{fg})^{1-\gamma} + (1-\mathrm{mTI}_{bg})^{1-\gamma_s},
        \quad \mathrm{mTI}_c = \frac{TP_c + s}{TP_c + \delta\,FN_c + (1-\delta)\,FP_c + s}

    with soft counts per class (the background's TP is the foreground's TN, its FN the
    foreground's FP and its FP the foreground's FN). ``gamma_s`` is ``gamma`` in the
    symmetric form and 0 in the asymmetric one (the paper's choice for imbalanced data):
    there the rare foreground is never suppressed (no ``(1 - p) ** gamma`` on its pixels)
    and the background's region term is never enhanced (it keeps exponent 1).

    Special cases (see ``teaching.family`` for the full map): ``lambda_ = 1`` in the
    symmetric form is the class-balanced focal loss with alpha = delta; ``lambda_ = 0``
    and ``gamma = 0`` is the Tversky loss of each class summed (alpha = 1 - delta on
    FP, beta = delta on FN); with ``delta = 0.5`` too, Dice of each class summed.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted foreground probabilities in [0, 1], same shape.
        lambda_: weight in [0, 1] of the cross-entropy part; 1 - lambda_ goes to the
            region part. The paper uses 0.5.
        delta: weight in [0, 1] of the foreground (and of each class's false
            negatives); above 0.5 a missed foreground pixel costs more than a false
            alarm. The paper uses 0.6.
        gamma: focal parameter in [0, 1]: the cross-entropy of a class is multiplied
            by (1 - p_t) ** gamma and its region term raised to 1 - gamma. 0 turns both
            off. The paper uses 0.5.
        symmetric: ``False`` (the default, the asymmetric form) focuses only the
            background's cross-entropy and enhances only the foreground's region term;
            ``True`` treats both classes alike.
        smooth: s >= 0, added to numerator and denominator of each Tversky index.
        per_image: compute the loss for each image on axis 0 and average, instead of
            pooling the whole batch (the cross-entropy part is the same either way).

    Returns:
        A scalar float32 tensor.

    Example:
        >>> round(float(unified_focal([1.0, 0.0], [1.0, 0.0])), 4)
        0.0
        >>> round(float(unified_focal([1.0, 1.0, 0.0, 0.0], [0.9, 0.4, 0.2, 0.0])), 4)
        0.436
    """
    lambda_ = check_param("lambda_", lambda_, 0.0, 1.0)
    delta = check_param("delta", delta, 0.0, 1.0)
    gamma = check_param("gamma", gamma, 0.0, 1.0)
    smooth = check_param("smooth", smooth, 0.0)
    t, p = as_rows(*check_pair(y_true, y_pred), per_image)
    return _finish(unified_focal_rows(t, p, lambda_, delta, gamma, bool(symmetric), smooth))


def soft_counts(y_true, y_pred) -> dict[str, float]:
    """Soft TP, FP, FN and TN of a prediction, as Python floats.

    TP = sum t p, FP = sum (1 - t) p, FN = sum t (1 - p), TN = sum (1 - t)(1 - p),
    over every element of the (validated) pair.

    Example:
        >>> soft_counts([1.0, 0.0], [0.75, 0.25])
        {'TP': 0.75, 'FP': 0.25, 'FN': 0.25, 'TN': 0.75}
    """
    t, p = as_rows(*check_pair(y_true, y_pred))
    values = tf.stack(counts_rows(t, p), axis=0)[:, 0].numpy().astype(float)
    return dict(zip(("TP", "FP", "FN", "TN"), (float(v) for v in values), strict=True))
