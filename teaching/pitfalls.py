"""Common mistakes with segmentation losses, each demonstrated live with numbers.

Every pitfall is a function that runs the mistake (on the installed
TensorFlow and Keras) next to the correct computation from :mod:`losses` and
returns a dict::

    {"key": stable id,
     "wrong": the mistaken value (float) or the error message it raises (str),
     "right": the correct value,
     "texts": {"title", "wrong_label", "right_label", "explanation"}: catalog keys,
     "values": {placeholder: text}: the numbers those texts show, already formatted,
     "references": [where the mistake is found or the formula is defined],
     "details": {more numbers for a table or a chart}}

This module knows no language: the sentences live in the app's catalogs
(``assets/i18n/<lang>.toml``, under ``pitfalls.items.<key>`` and
``pitfalls.faq.<key>``), and the page fills them with ``values``. Numbers are
formatted here, so they read the same in every language. References (paper and
source titles) are facts and stay as they are.

:func:`all_pitfalls` returns them in order and :func:`all_faq` answers three
questions students ask, as data ({"key", "texts" with "title" and "answer",
"values", "references", "details"}). The code that reproduces a mistake is
written here in our own minimal form; it is never the original post's code.
"""

from __future__ import annotations

import re

import numpy as np

from losses import core
from losses._tf import keras, tf
from losses.validation import EPSILON, check_pair

from . import candidates
from . import combo as combo_numbers
from . import compare as compare_numbers
from . import focal as focal_numbers
from . import focal_tversky as focal_tversky_numbers
from . import tversky as tversky_numbers
from ._common import pair
from .keras_probe import keras_tversky_convention
from .registry import BLOG

__all__ = [
    "demo_pair",
    "keras_tversky_convention",
    "pitfall_kdot",
    "pitfall_combo_blog",
    "pitfall_focal_scalar_alpha",
    "pitfall_keras_tversky",
    "pitfall_focal_tversky_exponent",
    "pitfall_empty_masks",
    "pitfall_focal_mean_bce",
    "pitfall_logits",
    "pitfall_keras_bce_clip",
    "faq_negative_loss",
    "faq_dice_batch_size",
    "faq_which_penalises_fn",
    "all_pitfalls",
    "all_faq",
]

BLOG_NAME = BLOG  # the reference blog, cited as the registry cites it
LIN = "Lin et al. 2017, Focal Loss for Dense Object Detection"
SALEHI = "Salehi et al. 2017, Tversky loss function for image segmentation"
ABRAHAM = "Abraham & Khan 2019, A Novel Focal Tversky Loss Function"
TAGHANAKI = "Taghanaki et al. 2019, Combo loss"
KERAS_TVERSKY = (
    "Keras 3 keras.losses.Tversky source (keras/src/losses/losses.py), releases up to 3.15"
)
KERAS_DICE = "Keras 3 keras.losses.dice source (keras/src/losses/losses.py)"
KERAS_BCE = (
    "Keras 3 keras.losses.binary_crossentropy, TensorFlow backend "
    "(keras/src/backend/tensorflow/nn.py: clip_by_value(output, epsilon, 1 - epsilon), "
    "then log(1 - output))"
)
KERAS_ISSUE_15249 = "keras-team/keras issue #15249 (15.942 in float32)"
TF_PR_41595 = "tensorflow/tensorflow pull request #41595 (-ln(1e-7) = 16.118)"
MILLETARI = "Milletari et al. 2016, V-Net: the Dice loss"
PER_IMAGE = "losses: per_image=True"
VALIDATION = "losses.validation"
KERAS_FROM_LOGITS = "Keras keras.losses.BinaryCrossentropy(from_logits=...) docs"
TEXT_FIELDS = ("title", "wrong_label", "right_label", "explanation")

def demo_pair() -> tuple[np.ndarray, np.ndarray]:
    """A 16 x 16 example with easy and hard pixels of both classes.

    The object is a 6 x 6 square (36 of 256 pixels, 14 %). The prediction
    is 0.9 inside it except its left column (0.3: six hard positives), 0.05
    on the background except three pixels right of the object (0.7: hard
    negatives).

    Returns:
        ``(y_true, y_pred)``, float32 arrays of shape (16, 16).
    """
    t = np.zeros((16, 16), np.float32)
    t[5:11, 5:11] = 1.0
    p = np.full((16, 16), 0.05, np.float32)
    p[5:11, 5:11] = 0.9
    p[5:11, 5] = 0.3
    p[6:9, 11] = 0.7
    return t, p


def _pair(y_true, y_pred):
    if y_true is None and y_pred is None:
        return demo_pair()
    if y_true is None or y_pred is None:
        raise ValueError("pass both y_true and y_pred, or neither (to use demo_pair()).")
    t, p = check_pair(y_true, y_pred)
    return t.numpy(), p.numpy()


def _message(exc: BaseException) -> str:
    """An exception as 'Type: message', without TensorFlow's {{function_node ...}} prefix."""
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", str(exc)).strip()
    return f"{type(exc).__name__}: {text}"


def _attempt(key: str, fn) -> dict:
    """Run ``fn``; ``key`` names the attempt (``pitfalls.attempts.<key>`` in the catalogs)."""
    try:
        value = fn()
    except Exception as exc:  # the point is to show what it raises
        return {"attempt": key, "ok": False, "error": _message(exc), "raw_error": str(exc)}
    return {"attempt": key, "ok": True, "value": float(np.asarray(value))}


def _entry(key, wrong, right, references, details, values=None, variants=None):
    """A pitfall dict; ``variants`` maps a text field to a suffix of its catalog key."""
    variants = variants or {}
    return {
        "key": key,
        "wrong": wrong,
        "right": right,
        "texts": {f: f"pitfalls.items.{key}.{f}{variants.get(f, '')}" for f in TEXT_FIELDS},
        "values": dict(values or {}),
        "references": list(references),
        "details": details,
    }


def _faq(key, references, details, values=None):
    """A FAQ dict: its title and answer are ``pitfalls.faq.<key>.*`` in the catalogs."""
    return {
        "key": key,
        "texts": {f: f"pitfalls.faq.{key}.{f}" for f in ("title", "answer")},
        "values": dict(values or {}),
        "references": list(references),
        "details": details,
    }


# --------------------------------------------------------------------------
# (a) K.dot on flattened tensors
# --------------------------------------------------------------------------
def pitfall_kdot(y_true=None, y_pred=None) -> dict:
    """The blog's intersection ``K.dot(K.flatten(t), K.flatten(p))`` fails.

    In tf.keras 2 ``K.dot`` called ``tf.matmul``, which needs matrices (rank
    2); flattened masks are rank 1. This runs the same ``tf.linalg.matmul`` on
    the installed TensorFlow and shows the error it really raises. For
    completeness it also tries ``keras.backend.dot`` (gone in Keras 3) and
    ``keras.ops.dot`` (Keras 3 follows NumPy: on rank-1 inputs it is the
    inner product, so it happens to work). The correct intersection is
    ``reduce_sum(t * p)``, the soft TP.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`).

    Returns:
        The pitfall dict; ``wrong`` is the matmul error message (or its value
        if it ever stops failing), ``right`` the intersection, and
        ``details`` has ``"attempts"`` (list of {attempt, ok, error | value}),
        ``"dice"`` (losses.dice) and ``"dice_from_intersection"``.
    """
    t_np, p_np = _pair(y_true, y_pred)
    t = tf.reshape(tf.constant(t_np), [-1])
    p = tf.reshape(tf.constant(p_np), [-1])
    attempts = [
        _attempt("matmul", lambda: tf.linalg.matmul(t, p)),
        _attempt("backend_dot", lambda: keras.backend.dot(t, p)),
        _attempt("ops_dot", lambda: keras.ops.dot(t, p)),
    ]
    inter = float(tf.reduce_sum(t * p))
    s = 1e-6
    dice_manual = 1.0 - (2.0 * inter + s) / (float(tf.reduce_sum(t)) + float(tf.reduce_sum(p)) + s)
    first = attempts[0]
    wrong = first["error"] if not first["ok"] else first["value"]
    return _entry(
        "kdot_rank1",
        wrong,
        inter,
        [BLOG_NAME],
        {
            "attempts": attempts,
            "dice": float(core.dice(t_np, p_np)),
            "dice_from_intersection": dice_manual,
            "keras_version": keras.__version__,
            "tensorflow_version": tf.__version__,
        },
    )


# --------------------------------------------------------------------------
# (b) the blog's Combo loss
# --------------------------------------------------------------------------
_BLOG_ALPHA = 0.5
_BLOG_CE_RATIO = 0.5


def _transcribed_combo(targets, inputs, eps=1e-9):
    """Our minimal transcription of the blog's Combo loss, mistakes kept.

    ``smooth`` is used but never defined, the clip uses ``e`` although the
    argument is called ``eps``, and a bracket puts the second term inside
    the ALPHA product.
    """
    t = tf.reshape(targets, [-1])
    p = tf.reshape(inputs, [-1])
    inter = tf.reduce_sum(t * p)
    dsc = (2.0 * inter + smooth) / (tf.reduce_sum(t) + tf.reduce_sum(p) + smooth)  # noqa: F821
    p = tf.clip_by_value(p, e, 1.0 - e)  # noqa: F821
    ce = -(_BLOG_ALPHA * (t * tf.math.log(p) + (1 - _BLOG_ALPHA) * (1 - t) * tf.math.log(1 - p)))
    return _BLOG_CE_RATIO * tf.reduce_mean(ce) - (1 - _BLOG_CE_RATIO) * dsc


def _transcribed_clip(inputs, eps=1e-9):
    """The blog's clip line alone, to show the second undefined name once smooth is fixed."""
    return tf.clip_by_value(inputs, e, 1.0 - e)  # noqa: F821


def _bracket_wce(t, p, alpha):
    """Weighted CE with the blog's bracket: -mean(alpha (t log p + (1 - alpha)(1 - t) log(1 - p)))."""
    log_p, log_q = core.log_probs(p)
    inner = t * log_p + (1.0 - alpha) * (1.0 - t) * log_q
    return -tf.reduce_mean(alpha * inner)


def pitfall_combo_blog(y_true=None, y_pred=None, alpha: float = 0.5, ce_ratio: float = 0.5) -> dict:
    """The blog's Combo loss: two undefined names and a misplaced bracket.

    Run literally, the function stops at the first undefined name
    (``smooth``); with that fixed it stops at ``e``. With both fixed, the
    bracket makes the weight on negative pixels alpha (1 - alpha) instead of
    1 - alpha (positives keep alpha). The wrong value here uses our clip
    (1e-7) so that the bracket is the only difference from
    :func:`losses.combo`.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`).
        alpha: weight of positives in [0, 1].
        ce_ratio: share of the cross-entropy in [0, 1].

    Returns:
        The pitfall dict; ``wrong`` is the bracket-misplaced Combo value,
        ``right`` is :func:`losses.combo`. ``details``: ``"name_errors"`` (the
        two messages), ``"negative_weight_wrong"`` (alpha (1 - alpha)),
        ``"negative_weight_right"`` (1 - alpha), ``"negative_weight_measured"``
        (wrong wCE / BCE on an all-background image), ``"wce_wrong"``,
        ``"wce_right"``, ``"eps_1e9_is_lost_in_float32"`` (1 - 1e-9 rounds to 1
        in float32, so the blog's clip would not protect log(1 - p)).
    """
    t_np, p_np = _pair(y_true, y_pred)
    t, p = core.as_rows(*check_pair(t_np, p_np))
    errors = [
        _attempt("combo_as_written", lambda: _transcribed_combo(t_np, p_np))["error"],
        _attempt("combo_clip_line", lambda: _transcribed_clip(p_np))["error"],
    ]
    s = 1e-6
    wce_wrong = _bracket_wce(t, p, alpha)
    dsc = 1.0 - core.dice_rows(t, p, s)[0]
    wrong = float(ce_ratio * wce_wrong - (1.0 - ce_ratio) * dsc)
    right = float(core.combo(t_np, p_np, alpha=alpha, ce_ratio=ce_ratio, smooth=s))
    wce_right = float(tf.reduce_mean(core.weighted_ce_pixels(t, p, alpha)))
    # the weight the bracket really puts on negatives, measured on background pixels only
    neg_p = tf.reshape(tf.constant(p_np), [1, -1])
    neg_t = tf.zeros_like(neg_p)
    measured = float(
        _bracket_wce(neg_t, neg_p, alpha) / tf.reduce_mean(core.bce_pixels(neg_t, neg_p))
    )
    lost = bool(np.float32(1.0) - np.float32(1e-9) == np.float32(1.0))
    return _entry(
        "combo_blog",
        wrong,
        right,
        [BLOG_NAME, TAGHANAKI],
        {
            "name_errors": errors,
            "alpha": float(alpha),
            "ce_ratio": float(ce_ratio),
            "positive_weight": float(alpha),
            "negative_weight_wrong": float(alpha * (1 - alpha)),
            "negative_weight_right": float(1 - alpha),
            "negative_weight_measured": measured,
            "wce_wrong": float(wce_wrong),
            "wce_right": wce_right,
            "eps_1e9_is_lost_in_float32": lost,
        },
        values={
            "weight_wrong": f"{alpha * (1 - alpha):.4g}",
            "weight_right": f"{1 - alpha:.4g}",
        },
    )


# --------------------------------------------------------------------------
# (c) scalar focal alpha
# --------------------------------------------------------------------------
def pitfall_focal_scalar_alpha(
    y_true=None, y_pred=None, alpha: float = 0.25, gamma: float = 2.0
) -> dict:
    """A scalar focal alpha does not balance classes; it only rescales the loss.

    Uses :func:`losses.focal_numbers.focal_alpha_comparison`.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`).
        alpha: in [0, 1] (the paper's 0.25 by default).
        gamma: focusing exponent >= 0.

    Returns:
        The pitfall dict; ``wrong`` is the positive pixels' share of the loss
        with the scalar alpha (the same as with no alpha at all), ``right`` the
        share with the class-balanced alpha. ``details`` holds the full
        comparison (``"comparison"``), ``"unweighted_share"`` and
        ``"scalar_ratio"`` (= alpha).
    """
    t_np, p_np = _pair(y_true, y_pred)
    cmp_ = focal_numbers.focal_alpha_comparison(t_np, p_np, alpha=alpha, gamma=gamma)
    return _entry(
        "focal_scalar_alpha",
        cmp_["scalar"]["positive_share"],
        cmp_["class_balanced"]["positive_share"],
        [LIN, BLOG_NAME],
        {
            "comparison": cmp_,
            "unweighted_share": cmp_["unweighted"]["positive_share"],
            "scalar_ratio": cmp_["scalar_ratio"],
        },
        values={"alpha": f"{alpha:g}", "rest": f"{1 - alpha:g}"},
    )


# --------------------------------------------------------------------------
# (d) keras.losses.Tversky swaps FP and FN
# --------------------------------------------------------------------------
def pitfall_keras_tversky() -> dict:
    """Keras 3's ``keras.losses.Tversky`` weighs FN with alpha and FP with beta (up to 3.15).

    The probe: ground truth [1, 1, 0, 0] and a prediction with only false
    positives [1, 1, 1, 1]. With alpha = 1, beta = 0 the paper's loss is
    1 - 2 / (2 + 2) = 0.5; a Keras that swapped the terms sees no false
    positive to weigh and returns 0.

    Returns:
        The pitfall dict; ``wrong`` is the installed Keras's value, ``right``
        :func:`losses.tversky`. ``details``: ``"keras_version"``,
        ``"convention"`` ("swapped" or "paper", measured), ``"keras_fn_only"``
        and ``"ours_fn_only"`` (the same check on a prediction with only false
        negatives), ``"swapped"`` (bool).
    """
    y_true = np.array([[1.0, 1.0, 0.0, 0.0]], np.float32)
    fp_only = np.array([[1.0, 1.0, 1.0, 1.0]], np.float32)
    fn_only = np.array([[1.0, 0.0, 0.0, 0.0]], np.float32)
    kloss = keras.losses.Tversky(alpha=1.0, beta=0.0)
    k_fp = float(np.asarray(kloss(y_true, fp_only)))
    k_fn = float(np.asarray(kloss(y_true, fn_only)))
    ours_fp = float(core.tversky(y_true, fp_only, alpha=1.0, beta=0.0))
    ours_fn = float(core.tversky(y_true, fn_only, alpha=1.0, beta=0.0))
    convention = keras_tversky_convention()
    swapped = convention == "swapped"
    return _entry(
        "keras_tversky_swap",
        k_fp,
        ours_fp,
        [KERAS_TVERSKY, SALEHI],
        {
            "keras_version": keras.__version__,
            "convention": convention,
            "swapped": swapped,
            "keras_fp_only": k_fp,
            "ours_fp_only": ours_fp,
            "keras_fn_only": k_fn,
            "ours_fn_only": ours_fn,
        },
        values={"keras_version": keras.__version__},
        variants={"explanation": "_swapped" if swapped else "_paper"},
    )


# --------------------------------------------------------------------------
# (e) Focal Tversky exponent convention
# --------------------------------------------------------------------------
def pitfall_focal_tversky_exponent(
    y_true=None, y_pred=None, gamma_paper: float = 4.0 / 3.0, alpha: float = 0.3, beta: float = 0.7
) -> dict:
    """The paper's gamma = 4/3 typed into the blog's exponent is a different loss.

    Abraham & Khan write (1 - TI)^(1/gamma) with gamma = 4/3; the blog and
    :func:`losses.focal_tversky` write (1 - TI)^gamma, so the paper's setting
    is gamma = 0.75 here.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`).
        gamma_paper: the paper's gamma (> 0).
        alpha, beta: Tversky weights (the paper's 0.3 / 0.7 by default).

    Returns:
        The pitfall dict; ``wrong`` is focal_tversky with gamma = gamma_paper,
        ``right`` with gamma = 1 / gamma_paper. ``details``: ``"tversky_loss"``,
        ``"gamma_wrong"``, ``"gamma_right"``, and ``"grad_wrong"`` /
        ``"grad_right"`` (|dL/dTI| at this prediction's TI).
    """
    t_np, p_np = _pair(y_true, y_pred)
    g_right = focal_tversky_numbers.blog_gamma_from_paper(gamma_paper)
    wrong = float(core.focal_tversky(t_np, p_np, alpha=alpha, beta=beta, gamma=gamma_paper))
    right = float(core.focal_tversky(t_np, p_np, alpha=alpha, beta=beta, gamma=g_right))
    tl = float(core.tversky(t_np, p_np, alpha=alpha, beta=beta))
    curve = focal_tversky_numbers.focal_tversky_curve([1.0 - tl], [gamma_paper])
    return _entry(
        "focal_tversky_exponent",
        wrong,
        right,
        [ABRAHAM, BLOG_NAME],
        {
            "tversky_loss": tl,
            "gamma_wrong": float(gamma_paper),
            "gamma_right": float(g_right),
            "grad_wrong": float(curve["blog_grad"][0, 0]),
            "grad_right": float(curve["paper_grad"][0, 0]),
        },
        values={"gamma_wrong": f"{gamma_paper:.4g}", "gamma_right": f"{g_right:.4g}"},
    )


# --------------------------------------------------------------------------
# (f) two empty masks
# --------------------------------------------------------------------------
def pitfall_empty_masks(shape=(8, 8)) -> dict:
    """Dice of an empty prediction on an empty target: Keras says 1, a smoothed Dice says 0.

    ``keras.losses.dice`` adds its epsilon only to the denominator, so
    0 / (0 + eps) = 0 and the loss is 1 - 0 = 1 (the worst value) for what is
    a perfect answer. Adding ``smooth`` to numerator and denominator gives
    s / s = 1 and a loss of 0.

    Args:
        shape: shape of the two all-zero masks.

    Returns:
        The pitfall dict; ``wrong`` is keras.losses.dice, ``right``
        :func:`losses.dice`. ``details``: ``"keras_epsilon"``, ``"keras_version"``.
    """
    z = np.zeros(shape, np.float32)
    wrong = float(np.asarray(keras.losses.dice(z, z)))
    right = float(core.dice(z, z))
    return _entry(
        "empty_masks_dice",
        wrong,
        right,
        [KERAS_DICE, BLOG_NAME],
        {"keras_epsilon": float(keras.config.epsilon()), "keras_version": keras.__version__},
    )


# --------------------------------------------------------------------------
# (g) focal loss from the mean BCE
# --------------------------------------------------------------------------
def pitfall_focal_mean_bce(
    y_true=None, y_pred=None, alpha: float = 0.8, gamma: float = 2.0
) -> dict:
    """A "focal" loss built from the mean BCE is BCE times one number.

    The blog computes BCE averaged over the image first, then
    alpha (1 - exp(-BCE))^gamma BCE. exp(-mean BCE) is one number for the
    whole image, so every pixel gets the same factor: the loss is BCE
    rescaled and the easy/hard split of BCE is unchanged. The focal loss
    applies (1 - p_t)^gamma to each pixel before averaging.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`).
        alpha: scalar alpha in [0, 1].
        gamma: focusing exponent >= 0.

    Returns:
        The pitfall dict; ``wrong`` is the mean-BCE version, ``right``
        :func:`losses.focal`. ``details``: ``"bce"``, ``"uniform_factor"``
        (wrong / bce), ``"pixel_factor_min"``, ``"pixel_factor_max"`` (alpha
        (1 - p_t)^gamma over pixels), ``"hard_share_bce"``,
        ``"hard_share_wrong"`` (equal), ``"hard_share_focal"``.
    """
    t_np, p_np = _pair(y_true, y_pred)
    _, t, p = pair(t_np, p_np)
    bce = tf.reduce_mean(core.bce_pixels(t, p))
    wrong = float(alpha * (1.0 - tf.exp(-bce)) ** gamma * bce)
    right = float(core.focal(t_np, p_np, alpha=alpha, gamma=gamma))
    split = focal_numbers.focal_easy_hard_split(t_np, p_np, [0.0, gamma], alpha=alpha)
    factor = alpha * focal_numbers.focal_weight_map(t_np, p_np, gamma)
    share_bce = float(split["hard_share"][0])
    # the mean-BCE version per pixel: one factor times each pixel's BCE
    wrong_pixels = alpha * (1.0 - tf.exp(-bce)) ** gamma * core.bce_pixels(t, p)
    hard = tf.cast(t * p + (1.0 - t) * (1.0 - p) <= 0.5, tf.float32)
    wrong_sum = float(tf.reduce_sum(wrong_pixels))
    share_wrong = float(tf.reduce_sum(wrong_pixels * hard)) / wrong_sum if wrong_sum > 0 else 0.0
    return _entry(
        "focal_mean_bce",
        wrong,
        right,
        [LIN, BLOG_NAME],
        {
            "bce": float(bce),
            "uniform_factor": wrong / float(bce) if float(bce) > 0 else float("nan"),
            "pixel_factor_min": float(factor.min()),
            "pixel_factor_max": float(factor.max()),
            "hard_share_bce": share_bce,
            "hard_share_wrong": share_wrong,
            "hard_share_focal": float(split["hard_share"][1]),
        },
    )


# --------------------------------------------------------------------------
# (h) logits where probabilities are expected
# --------------------------------------------------------------------------
def pitfall_logits(y_true=None, y_pred=None) -> dict:
    """Logits passed as probabilities: a clear error here, a silent wrong value when clipped.

    The logits are log(p / (1 - p)) of the prediction. :func:`losses.bce`
    rejects them with a ValueError that says to apply a sigmoid; code that
    clips them into [0, 1] instead runs without complaint and returns a
    different number.

    Args:
        y_true, y_pred: optional masks (default :func:`demo_pair`); y_pred
            holds probabilities from which the logits are made.

    Returns:
        The pitfall dict; ``wrong`` is BCE on clip(logits, 0, 1), ``right`` BCE
        on sigmoid(logits) (= the original probabilities). ``details``:
        ``"error_message"``, ``"dice_wrong"``, ``"dice_right"``,
        ``"logit_range"``, ``"share_clipped_to_0_or_1"``.
    """
    t_np, p_np = _pair(y_true, y_pred)
    pc = np.clip(p_np.astype(np.float64), EPSILON, 1.0 - EPSILON)
    logits = np.log(pc / (1.0 - pc)).astype(np.float32)
    try:
        core.bce(t_np, logits)
        message = ""  # no error: these logits happen to lie in [0, 1]
    except ValueError as exc:
        message = str(exc)
    clipped = np.clip(logits, 0.0, 1.0)
    probs = tf.sigmoid(tf.constant(logits)).numpy()
    return _entry(
        "logits_as_probs",
        float(core.bce(t_np, clipped)),
        float(core.bce(t_np, probs)),
        [VALIDATION, KERAS_FROM_LOGITS],
        {
            "error_message": message,
            "dice_wrong": float(core.dice(t_np, clipped)),
            "dice_right": float(core.dice(t_np, probs)),
            "logit_range": [float(logits.min()), float(logits.max())],
            "share_clipped_to_0_or_1": float(np.mean((logits <= 0.0) | (logits >= 1.0))),
        },
    )


# --------------------------------------------------------------------------
# (i) Keras's binary cross-entropy at the clip
# --------------------------------------------------------------------------
def pitfall_keras_bce_clip() -> dict:
    """Keras's ``binary_crossentropy``: a certain false positive costs less than a certain miss.

    Both clip the prediction to [1e-7, 1 - 1e-7] before the logs, so a pixel
    that is certain and wrong should cost -ln(1e-7) = 16.118 on either class.
    In float32, 1 - 1e-7 rounds to 1 - 2**-23 (about 1 - 1.19e-7); Keras takes
    log(1 - clipped p), so a false positive (t = 0, p = 1) costs
    -ln(1.19e-7) = 15.94. :func:`losses.bce` clips 1 - p itself. The values are
    measured on the installed Keras, so a release that fixes this shows equal
    values and says so.

    Returns:
        The pitfall dict; ``wrong`` is Keras's cost of the certain false
        positive, ``right`` that of :func:`losses.bce`. ``details``:
        ``"keras_false_positive"``, ``"keras_false_negative"``,
        ``"ours_false_positive"``, ``"ours_false_negative"``,
        ``"neg_log_epsilon"`` (-ln(1e-7) in float64), ``"float32_one_minus_epsilon"``
        (float32 value of 1 - 1e-7), ``"log_float32_one_minus_epsilon"`` (its log),
        ``"float32_gap"`` (1 minus it, 2**-23), ``"neg_log_float32_gap"``,
        ``"keras_epsilon"``, ``"keras_version"``, ``"keras_asymmetric"`` (bool).
    """
    zero, one = np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32)

    def keras_bce(t, p):
        return float(np.asarray(keras.losses.binary_crossentropy(t, p)).reshape(-1)[0])

    k_fp, k_fn = keras_bce(zero, one), keras_bce(one, zero)
    o_fp, o_fn = float(core.bce(zero, one)), float(core.bce(one, zero))
    neg_log_eps = -float(np.log(EPSILON))
    hi32 = np.float32(1.0 - EPSILON)
    gap = float(np.float32(1.0) - hi32)
    asymmetric = abs(k_fn - k_fp) > 1e-4 * neg_log_eps
    version = keras.__version__
    variant = "_asymmetric" if asymmetric else "_equal"
    return _entry(
        "keras_bce_clip",
        k_fp,
        o_fp,
        [KERAS_BCE, KERAS_ISSUE_15249, TF_PR_41595],
        {
            "keras_false_positive": k_fp,
            "keras_false_negative": k_fn,
            "ours_false_positive": o_fp,
            "ours_false_negative": o_fn,
            "neg_log_epsilon": neg_log_eps,
            "float32_one_minus_epsilon": float(hi32),
            "log_float32_one_minus_epsilon": float(np.log(np.float64(hi32))),
            "float32_gap": gap,
            "neg_log_float32_gap": -float(np.log(gap)),
            "keras_epsilon": float(keras.config.epsilon()),
            "keras_version": version,
            "keras_asymmetric": bool(asymmetric),
        },
        values={
            "keras_version": version,
            "keras_fp": f"{k_fp:.4f}",
            "keras_fn": f"{k_fn:.4f}",
            "keras_fp_short": f"{k_fp:.2f}",
            "keras_fn_short": f"{k_fn:.2f}",
            "cheaper": f"{(k_fn - k_fp) / k_fn:.1%}",
            "neg_log_eps": f"{neg_log_eps:.4f}",
            "rounded": f"{float(hi32):.10f}",
            "gap": f"{gap:.3g}",
            "neg_log_gap": f"{-np.log(gap):.4f}",
            "ours_fp": f"{o_fp:.4f}",
            "ours_fn": f"{o_fn:.4f}",
        },
        variants={"title": variant, "explanation": variant},
    )


# --------------------------------------------------------------------------
# FAQ
# --------------------------------------------------------------------------
def faq_negative_loss(y_true=None, y_pred=None, alpha: float = 0.5, ce_ratio: float = 0.5) -> dict:
    """Why is my loss negative? (Combo.)

    Returns:
        ``{"key", "texts", "values", "references", "details"}``; details is
        :func:`teaching.combo.combo_parts` of the example.
    """
    t_np, p_np = _pair(y_true, y_pred)
    parts = combo_numbers.combo_parts(t_np, p_np, alpha=alpha, ce_ratio=ce_ratio)
    values = {
        "ratio": f"{ce_ratio:g}",
        "rest": f"{1 - ce_ratio:g}",
        "wce": f"{parts['wce']:.4f}",
        "dsc": f"{parts['dsc']:.4f}",
        "total": f"{parts['total']:.4f}",
        "minimum": f"{parts['minimum']:g}",
    }
    return _faq("negative_loss", [TAGHANAKI, BLOG_NAME], parts, values)


def faq_dice_batch_size(**kwargs) -> dict:
    """Why does Dice change with the batch size?

    Args:
        **kwargs: passed to :func:`teaching.compare.batch_vs_image_dice`.

    Returns:
        ``{"key", "texts", "values", "references", "details"}``; details is the
        result of batch_vs_image_dice without the mask arrays.
    """
    r = compare_numbers.batch_vs_image_dice(**kwargs)
    details = {k: v for k, v in r.items() if k not in ("y_true", "y_pred")}
    values = {
        "pooled_change": f"{r['pooled_change']:+.4f}",
        "per_image_change": f"{r['per_image_change']:+.4f}",
    }
    return _faq("dice_batch_size", [MILLETARI, PER_IMAGE], details, values)


def faq_which_penalises_fn(amount: int = 1) -> dict:
    """Which of alpha and beta penalises false negatives? Answered with numbers.

    An under-segmented prediction (false negatives only) and an
    over-segmented one (false positives only) from
    :func:`teaching.candidates.make_candidates` on a 16 x 16 square, scored by
    the Tversky loss at alpha, beta in {0.5, 0.7}.

    Returns:
        ``{"key", "texts", "values", "references", "details"}``; details:
        ``"under"`` and ``"over"`` each ``{"base", "raise_alpha", "raise_beta"}``
        (losses at (0.5, 0.5), (0.7, 0.5), (0.5, 0.7)), and their counts.
    """
    t, _ = demo_pair()
    cand = candidates.make_candidates(t, amount)
    pref = tversky_numbers.tversky_preference(
        t, cand["under"], cand["over"], [0.5, 0.7], [0.5, 0.7]
    )

    # grid rows follow beta, columns alpha: [0, 0] = (0.5, 0.5), [0, 1] = alpha 0.7, [1, 0] = beta 0.7
    def pick(grid):
        return {
            "base": float(grid[0, 0]),
            "raise_alpha": float(grid[0, 1]),
            "raise_beta": float(grid[1, 0]),
        }

    under, over = pick(pref["loss_a"]), pick(pref["loss_b"])
    details = {
        "under": under,
        "over": over,
        "counts_under": pref["counts_a"],
        "counts_over": pref["counts_b"],
    }
    values = {
        "under_base": f"{under['base']:.4f}",
        "under_beta": f"{under['raise_beta']:.4f}",
        "under_alpha": f"{under['raise_alpha']:.4f}",
        "over_base": f"{over['base']:.4f}",
        "over_alpha": f"{over['raise_alpha']:.4f}",
    }
    return _faq("which_penalises_fn", [SALEHI, KERAS_TVERSKY], details, values)


def all_pitfalls() -> list[dict]:
    """Every pitfall, in teaching order, each with a stable ``key`` and its catalog ``texts``.

    Returns:
        A list of pitfall dicts (see the module docstring) with keys, in order:
        kdot_rank1, combo_blog, focal_scalar_alpha, keras_tversky_swap,
        focal_tversky_exponent, empty_masks_dice, focal_mean_bce, logits_as_probs,
        keras_bce_clip.
    """
    return [
        pitfall_kdot(),
        pitfall_combo_blog(),
        pitfall_focal_scalar_alpha(),
        pitfall_keras_tversky(),
        pitfall_focal_tversky_exponent(),
        pitfall_empty_masks(),
        pitfall_focal_mean_bce(),
        pitfall_logits(),
        pitfall_keras_bce_clip(),
    ]


def all_faq() -> list[dict]:
    """The FAQ answers, in order: negative_loss, dice_batch_size, which_penalises_fn.

    Returns:
        A list of ``{"key", "texts", "values", "references", "details"}`` dicts.
    """
    return [faq_negative_loss(), faq_dice_batch_size(), faq_which_penalises_fn()]
