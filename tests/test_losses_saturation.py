"""The log-based losses at the clip: certain predictions cost the same on either class.

The formulas clip p to [1e-7, 1 - 1e-7] before the logs, so a certain and wrong
pixel costs -ln(1e-7) = 16.118 whether it is a false positive (t = 0, p = 1) or
a false negative (t = 1, p = 0). In float32, 1 - 1e-7 rounds to 1 - 2**-23, and
taking log(1 - clipped p) would charge a false positive only 15.94. These tests
compare the package with float64 transcriptions (``tests/_ref.py``) that clip
at exactly 1e-7 and 1 - 1e-7, on inputs where every pixel sits at or beyond the
clip.
"""

from __future__ import annotations

from math import log

import numpy as np
import pytest

import losses
from tests import _ref

NEG_LOG_EPS = -log(1e-7)  # 16.118095650958319

LOG_LOSSES = [
    ("bce", {}),
    ("focal", {"alpha": 0.8, "gamma": 2.0}),
    ("focal", {"alpha": 0.8, "gamma": 0.1}),
    ("focal", {"alpha": 0.5, "gamma": 0.5}),
    ("focal", {"alpha": 1.0, "gamma": 0.0}),
    ("focal", {"alpha": 0.3, "gamma": 5.0}),
    ("focal", {"alpha": 0.25, "gamma": 2.0, "class_balanced": True}),
    ("focal", {"alpha": 0.25, "gamma": 0.1, "class_balanced": True}),
    ("focal", {"alpha": 0.75, "gamma": 1.0, "class_balanced": True}),
    ("bce_dice", {"smooth": 1e-6}),
    ("bce_dice", {"smooth": 1.0}),
    ("combo", {"alpha": 0.5, "ce_ratio": 0.5, "smooth": 1e-6}),
    ("combo", {"alpha": 0.9, "ce_ratio": 0.8, "smooth": 1e-6}),
    ("combo", {"alpha": 0.1, "ce_ratio": 1.0, "smooth": 1e-2}),
]

SHAPE = (2, 32, 32)  # large enough for beta(0.3, 0.3) to pass the clip on both sides
# Below float32's normal range the loss is flushed to 0; the clip has nothing to do with it
# (focal with gamma = 5 on certain, right pixels is 0.3 * 1e-35 * 1e-7 = 3e-43).
FLOAT32_TINY = float(np.finfo(np.float32).tiny)


def _f32(x):
    return np.asarray(x, dtype=np.float32)


def saturated_cases():
    """(name, y_true, y_pred) float32 pairs where the predictions sit at or beyond the clip."""
    rng = np.random.default_rng(2024)
    t = _f32(rng.random(SHAPE) < 0.4)
    zeros, ones = np.zeros(SHAPE, np.float32), np.ones(SHAPE, np.float32)
    hard = _f32(rng.random(SHAPE) < 0.5)
    # 1 - 1e-9 rounds to exactly 1 in float32; 1e-9 stays 1e-9 (below the clip)
    tiny = _f32(np.where(rng.random(SHAPE) < 0.5, 1e-9, 1.0 - 1e-9))
    noise = _f32(rng.beta(0.3, 0.3, SHAPE))  # piles up at 0 and 1, some exactly
    return [
        ("exact 0/1 at random", t, hard),
        ("all certain and wrong", t, 1.0 - t),
        ("all certain and right", t, t.copy()),
        ("1e-9 and 1 - 1e-9", t, tiny),
        ("beta(0.3, 0.3) noise", t, noise),
        ("empty mask, exact 0/1", zeros, hard),
        ("empty mask, noise", zeros, noise),
        ("empty mask, all ones", zeros, ones),
        ("full mask, exact 0/1", ones, hard),
        ("full mask, noise", ones, noise),
        ("full mask, all zeros", ones, zeros),
        ("soft targets, noise", _f32(rng.beta(0.3, 0.3, SHAPE)), noise),
    ]


CASES = saturated_cases()


def test_the_reference_itself_clips_at_exactly_1e_7():
    # (1 - (1 - 1e-7) in float64 is 1e-7 to about 1e-10 relative)
    assert _ref.bce([0.0], [1.0]) == pytest.approx(NEG_LOG_EPS, rel=1e-9)
    assert _ref.bce([1.0], [0.0]) == pytest.approx(NEG_LOG_EPS, rel=1e-9)


def test_confident_false_positive_and_false_negative_cost_the_same():
    fp = float(losses.bce([0.0], [1.0]))
    fn = float(losses.bce([1.0], [0.0]))
    assert fp == pytest.approx(NEG_LOG_EPS, rel=1e-6)
    assert fn == pytest.approx(NEG_LOG_EPS, rel=1e-6)
    assert fp == fn
    # the certain and right pixels cost -log(1 - 1e-7) ~ 1e-7 on both classes too
    right_pos = float(losses.bce([1.0], [1.0]))
    right_neg = float(losses.bce([0.0], [0.0]))
    assert right_pos == right_neg == pytest.approx(-np.log1p(-1e-7), rel=1e-6)


@pytest.mark.parametrize("gamma", [0.1, 0.5, 2.0])
def test_focal_is_symmetric_at_the_clip(gamma):
    # with class-balancing at alpha = 0.5 the two classes are weighed alike
    kw = {"alpha": 0.5, "gamma": gamma, "class_balanced": True}
    fp = float(losses.focal([0.0], [1.0], **kw))
    fn = float(losses.focal([1.0], [0.0], **kw))
    want = 0.5 * (1 - 1e-7) ** gamma * NEG_LOG_EPS
    assert fp == pytest.approx(want, rel=1e-6)
    assert fn == pytest.approx(want, rel=1e-6)
    # and a certain, right pixel: (1 - p_t) is 1e-7 on either class, not 1.19e-7
    right = 0.5 * 1e-7**gamma * -np.log1p(-1e-7)
    assert float(losses.focal([1.0], [1.0], **kw)) == pytest.approx(right, rel=1e-5)
    assert float(losses.focal([0.0], [0.0], **kw)) == pytest.approx(right, rel=1e-5)


def test_swapping_the_classes_swaps_nothing_at_the_clip():
    # bce(1 - t, 1 - p) = bce(t, p); combo and focal with alpha <-> 1 - alpha likewise
    for _, t, p in CASES:
        hard = _f32(p > 0.5)
        mt, mp = 1.0 - t, 1.0 - hard
        assert float(losses.bce(mt, mp)) == pytest.approx(float(losses.bce(t, hard)), rel=1e-6)
        for gamma in (0.1, 2.0):
            a = float(losses.focal(t, hard, alpha=0.3, gamma=gamma, class_balanced=True))
            b = float(losses.focal(mt, mp, alpha=0.7, gamma=gamma, class_balanced=True))
            assert a == pytest.approx(b, rel=1e-6)
        a = float(losses.combo(t, hard, alpha=0.3, ce_ratio=1.0))
        b = float(losses.combo(mt, mp, alpha=0.7, ce_ratio=1.0))
        assert a == pytest.approx(b, rel=1e-6)


@pytest.mark.parametrize("per_image", [False, True])
@pytest.mark.parametrize("key, params", LOG_LOSSES, ids=lambda v: str(v))
def test_agrees_with_float64_reference_at_the_clip(key, params, per_image):
    for name, t, p in CASES:
        got = float(getattr(losses, key)(t, p, per_image=per_image, **params))
        want = _ref.ref_loss(key, t, p, per_image=per_image, **params)
        assert got == pytest.approx(want, rel=2e-4, abs=FLOAT32_TINY), (name, got, want)


def test_the_cases_really_saturate():
    # guard against a case that silently stopped reaching the clip
    for name, _, p in CASES:
        low, high = int(np.sum(p < 1e-7)), int(np.sum(p > 1 - 1e-7))
        if "noise" in name:
            assert low >= 5 and high >= 5, (name, low, high)
        elif "exact" in name or "1e-9" in name:
            assert low > 0.3 * p.size and high > 0.3 * p.size, (name, low, high)
