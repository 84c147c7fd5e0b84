"""Hand-computed values on masks of a few pixels, and agreement with float64 references.

The expected numbers are written from counts done by hand in the comments,
never from the package's own output.
"""

from __future__ import annotations

from math import log

import numpy as np
import pytest

import losses
from losses._tf import tf
from tests import _ref

# Four pixels: two foreground, two background.
#   t = 1 1 0 0
#   p = .75 .75 .5 .25
# TP = .75 + .75 = 1.5, FP = .5 + .25 = .75, FN = .25 + .25 = .5
# sum t = 2, sum p = 2.25
T4 = np.array([[1.0, 1.0], [0.0, 0.0]], dtype=np.float32)  # any rank works; 2x2 here
P4 = np.array([[0.75, 0.75], [0.5, 0.25]], dtype=np.float32)
S = 1e-6  # the default smooth
# -log of the clipped probabilities at the exact 0 / 1 ends (clip to [1e-7, 1 - 1e-7])
LOG_LO = -log(_ref.CLIP_LO)  # about 16.118: a certain, wrong pixel
LOG_HI = -log(_ref.CLIP_HI)  # about 1e-7: a certain, right pixel


def close(value, expected, rtol=1e-5, atol=1e-6):
    got = float(value)
    assert got == pytest.approx(expected, rel=rtol, abs=atol), (got, expected)


def test_returns_scalar_float32_tensor_for_every_loss():
    for key in _ref.KEYS:
        value = getattr(losses, key)(T4, P4)
        assert tf.is_tensor(value)
        assert value.dtype == tf.float32
        assert value.shape == ()


# ------------------------------------------------------------------ BCE and focal
def test_bce_by_hand():
    # -(log .75 + log .75 + log(1 - .5) + log(1 - .25)) / 4
    close(losses.bce(T4, P4), -(3 * log(0.75) + log(0.5)) / 4)


def test_focal_scalar_alpha_gamma_2_by_hand():
    # (1 - p_t)^2 per pixel: .25^2, .25^2, .5^2, .25^2 ; BCE: -log .75, -log .75, -log .5, -log .75
    terms = 0.0625 * -log(0.75) * 3 + 0.25 * -log(0.5)
    close(losses.focal(T4, P4, alpha=0.8, gamma=2.0), 0.8 * terms / 4)


def test_focal_class_balanced_gamma_2_by_hand():
    # positives weigh alpha = .25, negatives 1 - alpha = .75
    pos = 0.25 * (2 * 0.0625 * -log(0.75))
    neg = 0.75 * (0.25 * -log(0.5) + 0.0625 * -log(0.75))
    close(losses.focal(T4, P4, alpha=0.25, gamma=2.0, class_balanced=True), (pos + neg) / 4)


def test_focal_gamma_0_by_hand():
    bce = -(3 * log(0.75) + log(0.5)) / 4
    close(losses.focal(T4, P4, alpha=0.8, gamma=0.0), 0.8 * bce)
    # class balanced: .25 on the two positives, .75 on the two negatives
    balanced = (0.25 * 2 * -log(0.75) + 0.75 * (-log(0.5) - log(0.75))) / 4
    close(losses.focal(T4, P4, alpha=0.25, gamma=0.0, class_balanced=True), balanced)


def test_focal_scalar_alpha_does_not_balance_classes():
    # The blog's scalar alpha only rescales; the paper's per-class alpha changes the balance.
    one = float(losses.focal(T4, P4, alpha=1.0))
    assert float(losses.focal(T4, P4, alpha=0.25)) == pytest.approx(0.25 * one, rel=1e-6)
    a = float(losses.focal(T4, P4, alpha=0.25, class_balanced=True))
    b = float(losses.focal(T4, P4, alpha=0.75, class_balanced=True))
    # positives' focal terms (0.0078) are smaller than negatives' (0.191)
    assert a > b


def test_focal_gamma_turns_easy_pixels_down():
    # one easy pixel (p_t = .9): gamma 2 multiplies its BCE by (1 - .9)^2 = .01
    close(losses.focal([1.0], [0.9], alpha=1.0, gamma=2.0), 0.01 * -log(0.9))
    close(losses.focal([0.0], [0.9], alpha=1.0, gamma=2.0), 0.81 * -log(0.1))


# ------------------------------------------------------------------ region losses
@pytest.mark.parametrize(
    "smooth, expected",
    [
        (1e-6, 1 - (3 + 1e-6) / (4.25 + 1e-6)),  # 1 - 2*1.5 / (2 + 2.25)
        (1.0, 1 - 4.0 / 5.25),
        (10.0, 1 - 13.0 / 14.25),
    ],
)
def test_dice_by_hand(smooth, expected):
    close(losses.dice(T4, P4, smooth=smooth), expected)


def test_smooth_large_flattens_a_missed_small_object():
    # one foreground pixel, nothing predicted: tiny smooth says "completely wrong" (1),
    # smooth 10 says 1 - 10 / 11: the miss barely costs anything.
    t, p = [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]
    close(losses.dice(t, p, smooth=1e-6), 1 - 1e-6 / (1 + 1e-6))
    close(losses.dice(t, p, smooth=10.0), 1 - 10 / 11)
    close(losses.iou(t, p, smooth=10.0), 1 - 10 / 11)


def test_empty_masks_smoothed_dice_is_zero():
    z = np.zeros((2, 3), np.float32)
    for key in ("dice", "iou", "tversky", "focal_tversky"):
        close(getattr(losses, key)(z, z), 0.0)


def test_iou_by_hand():
    # union = 2 + 2.25 - 1.5 = 2.75
    close(losses.iou(T4, P4, smooth=S), 1 - (1.5 + S) / (2.75 + S))
    close(losses.iou(T4, P4, smooth=1.0), 1 - 2.5 / 3.75)
    assert losses.jaccard is losses.iou


@pytest.mark.parametrize(
    "alpha, beta, expected",
    [
        (0.3, 0.7, 1 - (1.5 + S) / (1.5 + 0.3 * 0.75 + 0.7 * 0.5 + S)),  # FP .75, FN .5
        (0.7, 0.3, 1 - (1.5 + S) / (1.5 + 0.7 * 0.75 + 0.3 * 0.5 + S)),
        (1.0, 0.0, 1 - (1.5 + S) / (1.5 + 0.75 + S)),  # only FP count
        (0.0, 1.0, 1 - (1.5 + S) / (1.5 + 0.5 + S)),  # only FN count
    ],
)
def test_tversky_asymmetric_by_hand(alpha, beta, expected):
    close(losses.tversky(T4, P4, alpha=alpha, beta=beta), expected)


def test_tversky_alpha_weighs_false_positives():
    # t = 1 0 ; p = 1 1: one TP, one FP, no FN
    close(losses.tversky([1.0, 0.0], [1.0, 1.0], alpha=1.0, beta=0.0), 1 - (1 + S) / (2 + S))
    close(losses.tversky([1.0, 0.0], [1.0, 1.0], alpha=0.0, beta=1.0), 0.0)
    # t = 1 1 ; p = 1 0: one TP, one FN, no FP
    close(losses.tversky([1.0, 1.0], [1.0, 0.0], alpha=0.0, beta=1.0), 1 - (1 + S) / (2 + S))


@pytest.mark.parametrize("gamma", [0.75, 1.0, 2.0])
def test_focal_tversky_by_hand(gamma):
    base = 1 - (1.5 + S) / (1.5 + 0.3 * 0.75 + 0.7 * 0.5 + S)  # = .575 / 2.075
    close(losses.focal_tversky(T4, P4, alpha=0.3, beta=0.7, gamma=gamma), base**gamma)


def test_near_perfect_prediction_keeps_its_digits():
    # four foreground pixels predicted 1 - 2**-22 (exact in float32): TP = 4 - 4e, FN = 4e, FP = 0
    e = 2.0**-22
    t, p = np.ones(4, np.float32), np.full(4, 1 - e, np.float32)
    tv = 0.7 * 4 * e / (4 - 4 * e + 0.7 * 4 * e + S)  # = (a FP + b FN) / (TP + a FP + b FN + s)
    close(losses.tversky(t, p, alpha=0.3, beta=0.7), tv, rtol=1e-5, atol=0)
    # gamma 0.1 magnifies any absolute error of the Tversky value near 0 (1 - ratio in
    # float32 would be off by about 6e-8, i.e. by a third of tv, here)
    close(losses.focal_tversky(t, p, alpha=0.3, beta=0.7, gamma=0.1), tv**0.1, rtol=1e-5, atol=0)
    close(losses.dice(t, p), 4 * e / (2 * (4 - 4 * e) + 4 * e + S), rtol=1e-5, atol=0)
    close(losses.iou(t, p), 4 * e / (4 - 4 * e + 4 * e + S), rtol=1e-5, atol=0)


def test_bce_dice_by_hand():
    close(
        losses.bce_dice(T4, P4, smooth=1.0),
        -(3 * log(0.75) + log(0.5)) / 4 + 1 - 4.0 / 5.25,
    )


@pytest.mark.parametrize(
    "alpha, ce_ratio",
    [(0.5, 0.5), (0.7, 0.4), (0.2, 1.0), (0.9, 0.0)],
)
def test_combo_by_hand(alpha, ce_ratio):
    # wCE = -(alpha * (log .75 + log .75) + (1 - alpha) * (log .5 + log .75)) / 4
    wce = -(alpha * 2 * log(0.75) + (1 - alpha) * (log(0.5) + log(0.75))) / 4
    dsc = (3 + S) / (4.25 + S)
    close(
        losses.combo(T4, P4, alpha=alpha, ce_ratio=ce_ratio), ce_ratio * wce - (1 - ce_ratio) * dsc
    )


def test_combo_can_be_negative():
    # a perfect prediction: DSC = 1, wCE ~ 1e-7 -> about -(1 - ce_ratio)
    close(losses.combo([1.0, 0.0], [1.0, 0.0], ce_ratio=0.25), -0.75, atol=1e-5)


# ------------------------------------------------------------------ per image
# batch of two images of three pixels
#   image 1: t = 1 1 0, p = .5 1 0   -> TP 1.5, FP 0,  FN .5, sum t 2, sum p 1.5
#   image 2: t = 0 0 1, p = .5 0 0   -> TP 0,   FP .5, FN 1,  sum t 1, sum p .5
#   pooled:                             TP 1.5, FP .5, FN 1.5, sum t 3, sum p 2
TB = np.array([[1, 1, 0], [0, 0, 1]], dtype=np.float32)
PB = np.array([[0.5, 1.0, 0.0], [0.5, 0.0, 0.0]], dtype=np.float32)


def _bce_batch():
    # pixel by pixel: t=1 p=.5 | t=1 p=1 | t=0 p=0 | t=0 p=.5 | t=0 p=0 | t=1 p=0
    neg0 = -log(1 - _ref.CLIP_LO)  # t = 0 and p = 0 (clipped to 1e-7)
    return (-log(0.5) + LOG_HI + neg0 - log(0.5) + neg0 + LOG_LO) / 6


PER_IMAGE_CASES = {
    "dice": ({}, 1 - (3 + S) / (5 + S), ((1 - (3 + S) / (3.5 + S)) + (1 - S / (1.5 + S))) / 2),
    "iou": ({}, 1 - (1.5 + S) / (3.5 + S), ((1 - (1.5 + S) / (2 + S)) + (1 - S / (1.5 + S))) / 2),
    "tversky": (
        {"alpha": 0.3, "beta": 0.7},
        1 - (1.5 + S) / (1.5 + 0.3 * 0.5 + 0.7 * 1.5 + S),
        ((1 - (1.5 + S) / (1.5 + 0.7 * 0.5 + S)) + (1 - S / (0.3 * 0.5 + 0.7 + S))) / 2,
    ),
    "focal_tversky": (
        {"alpha": 0.3, "beta": 0.7, "gamma": 2.0},
        (1 - (1.5 + S) / (1.5 + 0.3 * 0.5 + 0.7 * 1.5 + S)) ** 2,
        ((1 - (1.5 + S) / (1.5 + 0.7 * 0.5 + S)) ** 2 + (1 - S / (0.3 * 0.5 + 0.7 + S)) ** 2) / 2,
    ),
}


@pytest.mark.parametrize("key", sorted(PER_IMAGE_CASES))
def test_per_image_versus_pooled_by_hand(key):
    params, pooled, per_image = PER_IMAGE_CASES[key]
    fn = getattr(losses, key)
    close(fn(TB, PB, **params), pooled)
    close(fn(TB, PB, per_image=True, **params), per_image)
    assert abs(pooled - per_image) > 0.05  # the two modes really differ here


def test_per_image_pixelwise_losses_equal_pooled():
    bce = _bce_batch()
    close(losses.bce(TB, PB), bce)
    close(losses.bce(TB, PB, per_image=True), bce)
    for kw in ({}, {"class_balanced": True, "alpha": 0.25}):
        pooled = float(losses.focal(TB, PB, **kw))
        close(losses.focal(TB, PB, per_image=True, **kw), pooled)


def test_per_image_combo_and_bce_dice_by_hand():
    bce = _bce_batch()
    dice_pooled = 1 - (3 + S) / (5 + S)
    dice_each = ((1 - (3 + S) / (3.5 + S)) + (1 - S / (1.5 + S))) / 2
    close(losses.bce_dice(TB, PB), bce + dice_pooled)
    close(losses.bce_dice(TB, PB, per_image=True), bce + dice_each)
    # combo with alpha = .5: wCE = bce / 2 in both modes
    close(losses.combo(TB, PB, alpha=0.5, ce_ratio=0.5), 0.5 * bce / 2 - 0.5 * (1 - dice_pooled))
    close(
        losses.combo(TB, PB, alpha=0.5, ce_ratio=0.5, per_image=True),
        0.5 * bce / 2 - 0.5 * (1 - dice_each),
    )


def test_per_image_needs_a_batch_axis():
    with pytest.raises(ValueError, match="batch"):
        losses.dice([1.0, 0.0], [1.0, 0.0], per_image=True)


# ------------------------------------------------------------------ soft counts
def test_soft_counts_by_hand():
    c = losses.soft_counts(T4, P4)
    # TN = (1 - .5) + (1 - .25)
    assert c == pytest.approx({"TP": 1.5, "FP": 0.75, "FN": 0.5, "TN": 1.25})


# ------------------------------------------------------------------ inputs
def test_accepts_lists_tensors_bool_and_uint8_masks():
    expected = 1 - (3 + S) / (4.25 + S)
    close(losses.dice(T4.tolist(), P4.tolist()), expected)
    close(losses.dice(tf.constant(T4), tf.constant(P4)), expected)
    close(losses.dice(T4.astype(bool), P4), expected)
    close(losses.dice(T4.astype(np.uint8), P4.astype(np.float64)), expected)


def test_trailing_channel_axis_on_one_side_is_dropped():
    t = TB[..., None]  # (2, 3, 1) against (2, 3)
    close(losses.dice(t, PB), 1 - (3 + S) / (5 + S))
    close(losses.dice(TB, PB[..., None], per_image=True), PER_IMAGE_CASES["dice"][2])


def test_any_rank_gives_the_same_pooled_value():
    flat = float(losses.tversky(T4.reshape(-1), P4.reshape(-1), alpha=0.3, beta=0.7))
    for shape in [(4, 1), (1, 2, 2), (2, 1, 2, 1)]:
        close(losses.tversky(T4.reshape(shape), P4.reshape(shape), alpha=0.3, beta=0.7), flat)


# ------------------------------------------------------------------ float64 references
def _random_case(seed, shape=(3, 5, 7)):
    rng = np.random.default_rng(seed)
    t = (rng.random(shape) < 0.3).astype(np.float32)
    p = rng.random(shape).astype(np.float32)
    return t, p


REF_PARAMS = [
    ("bce", {}),
    ("focal", {"alpha": 0.8, "gamma": 2.0}),
    ("focal", {"alpha": 0.25, "gamma": 2.0, "class_balanced": True}),
    ("focal", {"alpha": 0.6, "gamma": 0.0, "class_balanced": True}),
    ("focal", {"alpha": 0.3, "gamma": 4.5}),
    ("dice", {"smooth": 1e-6}),
    ("dice", {"smooth": 10.0}),
    ("bce_dice", {"smooth": 1e-4}),
    ("iou", {"smooth": 1e-6}),
    ("iou", {"smooth": 1.0}),
    ("tversky", {"alpha": 0.3, "beta": 0.7, "smooth": 1e-6}),
    ("tversky", {"alpha": 0.9, "beta": 0.1, "smooth": 0.1}),
    ("focal_tversky", {"alpha": 0.3, "beta": 0.7, "gamma": 0.75, "smooth": 1e-6}),
    ("focal_tversky", {"alpha": 0.5, "beta": 0.5, "gamma": 3.0, "smooth": 1.0}),
    ("combo", {"alpha": 0.5, "ce_ratio": 0.5, "smooth": 1e-6}),
    ("combo", {"alpha": 0.8, "ce_ratio": 0.2, "smooth": 1e-2}),
]


@pytest.mark.parametrize("per_image", [False, True])
@pytest.mark.parametrize("key, params", REF_PARAMS, ids=lambda v: str(v))
def test_agrees_with_float64_reference(key, params, per_image):
    for seed in range(3):
        t, p = _random_case(seed)
        if seed == 2:  # soft targets and exact 0 / 1 predictions too
            t = np.round(np.random.default_rng(9).random(t.shape) * 4).astype(np.float32) / 4
            p[0, 0, :3] = [0.0, 1.0, 0.0]
        got = float(getattr(losses, key)(t, p, per_image=per_image, **params))
        want = _ref.ref_loss(key, t, p, per_image=per_image, **params)
        assert got == pytest.approx(want, rel=1e-5, abs=1e-6), (seed, got, want)
