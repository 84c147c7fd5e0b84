"""Identities between the losses, checked on random masks and on hand-built pairs."""

from __future__ import annotations

import numpy as np
import pytest

import losses

SHAPES = [(7,), (4, 6), (2, 5, 5), (3, 4, 4, 1)]


def cases():
    rng = np.random.default_rng(1234)
    out = []
    for i, shape in enumerate(SHAPES):
        t = (rng.random(shape) < 0.35).astype(np.float32)
        p = rng.random(shape).astype(np.float32)
        out.append((t, p))
        if i == 1:  # soft targets too
            out.append((rng.random(shape).astype(np.float32), p))
    return out


CASES = cases()


def f(value):
    return float(value)


def eq(a, b, rel=1e-6, abs_=1e-6):
    assert f(a) == pytest.approx(f(b), rel=rel, abs=abs_), (f(a), f(b))


@pytest.mark.parametrize("smooth", [1e-6, 1e-2, 1.0, 10.0])
def test_tversky_half_half_is_dice(smooth):
    # (TP + s) / (TP + FP/2 + FN/2 + s) = (2TP + 2s) / (sum t + sum p + 2s): Dice with smooth 2s
    for t, p in CASES:
        eq(
            losses.tversky(t, p, alpha=0.5, beta=0.5, smooth=smooth),
            losses.dice(t, p, smooth=2 * smooth),
        )
    # with the tiny default smooth the factor 2 is invisible
    for t, p in CASES:
        eq(losses.tversky(t, p, alpha=0.5, beta=0.5), losses.dice(t, p), abs_=1e-5)


@pytest.mark.parametrize("smooth", [1e-6, 1e-2, 1.0, 10.0])
def test_tversky_one_one_is_iou(smooth):
    for t, p in CASES:
        eq(
            losses.tversky(t, p, alpha=1.0, beta=1.0, smooth=smooth),
            losses.iou(t, p, smooth=smooth),
        )


@pytest.mark.parametrize("alpha, beta", [(0.5, 0.5), (0.3, 0.7), (0.9, 0.2)])
def test_focal_tversky_gamma_one_is_tversky(alpha, beta):
    for t, p in CASES:
        eq(
            losses.focal_tversky(t, p, alpha=alpha, beta=beta, gamma=1.0),
            losses.tversky(t, p, alpha=alpha, beta=beta),
        )


def test_focal_tversky_is_a_power_of_tversky():
    for t, p in CASES:
        tv = f(losses.tversky(t, p, alpha=0.3, beta=0.7))
        eq(losses.focal_tversky(t, p, alpha=0.3, beta=0.7, gamma=0.75), tv**0.75)
        eq(losses.focal_tversky(t, p, alpha=0.3, beta=0.7, gamma=2.5), tv**2.5)


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.8, 1.0])
def test_focal_gamma_zero_is_alpha_bce(alpha):
    for t, p in CASES:
        eq(losses.focal(t, p, alpha=alpha, gamma=0.0), alpha * f(losses.bce(t, p)))


def test_focal_class_balanced_half_is_half_scalar():
    for t, p in CASES:
        eq(
            losses.focal(t, p, alpha=0.5, gamma=2.0, class_balanced=True),
            losses.focal(t, p, alpha=0.5, gamma=2.0),
        )


def test_bce_dice_is_bce_plus_dice():
    for smooth in (1e-6, 1.0):
        for t, p in CASES:
            eq(
                losses.bce_dice(t, p, smooth=smooth),
                f(losses.bce(t, p)) + f(losses.dice(t, p, smooth=smooth)),
            )


def test_combo_extremes_of_ce_ratio():
    for t, p in CASES:
        # ce_ratio 1, alpha .5: half of BCE; ce_ratio 0: minus the Dice coefficient
        eq(losses.combo(t, p, alpha=0.5, ce_ratio=1.0), 0.5 * f(losses.bce(t, p)))
        eq(losses.combo(t, p, ce_ratio=0.0), f(losses.dice(t, p)) - 1.0)


def test_per_image_of_a_single_image_is_pooled():
    for key in ("bce", "focal", "dice", "bce_dice", "iou", "tversky", "focal_tversky", "combo"):
        fn = getattr(losses, key)
        for t, p in CASES[1:]:
            eq(fn(t[None], p[None], per_image=True), fn(t, p))


# ------------------------------------------------------------------ perfect prediction
@pytest.mark.parametrize("key", ["dice", "iou", "tversky", "focal_tversky"])
def test_perfect_prediction_is_zero(key):
    fn = getattr(losses, key)
    for t, _ in CASES:
        m = (t > 0.5).astype(np.float32)
        assert f(fn(m, m)) == pytest.approx(0.0, abs=1e-6)
    assert f(fn(np.zeros(5), np.zeros(5))) == pytest.approx(0.0, abs=1e-6)
    assert f(fn(np.ones(5), np.ones(5))) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    "key", ["dice", "iou", "tversky", "focal_tversky", "bce", "focal", "bce_dice"]
)
def test_perfect_prediction_is_the_minimum(key):
    fn = getattr(losses, key)
    rng = np.random.default_rng(5)
    m = (rng.random((4, 6)) < 0.4).astype(np.float32)
    best = f(fn(m, m))
    assert best == pytest.approx(0.0, abs=1e-5)
    for _ in range(10):
        p = np.clip(m + rng.normal(0, 0.3, m.shape), 0, 1).astype(np.float32)
        assert f(fn(m, p)) >= best - 1e-7


@pytest.mark.parametrize("ce_ratio", [0.0, 0.3, 0.5, 1.0])
def test_combo_perfect_prediction_is_minus_one_minus_ce_ratio(ce_ratio):
    rng = np.random.default_rng(7)
    m = (rng.random((4, 6)) < 0.4).astype(np.float32)
    best = f(losses.combo(m, m, alpha=0.7, ce_ratio=ce_ratio))
    assert best == pytest.approx(-(1 - ce_ratio), abs=1e-5)
    for _ in range(10):
        p = np.clip(m + rng.normal(0, 0.3, m.shape), 0, 1).astype(np.float32)
        assert f(losses.combo(m, p, alpha=0.7, ce_ratio=ce_ratio)) >= best - 1e-7


# ------------------------------------------------------------------ FP / FN mirror
def _from_counts(n_tp, n_fp, n_fn, n_tn, rng):
    """A binary (mask, prediction) pair with exactly these TP, FP, FN and TN counts."""
    t = np.array([1] * n_tp + [0] * n_fp + [1] * n_fn + [0] * n_tn, np.float32)
    p = np.array([1] * n_tp + [1] * n_fp + [0] * n_fn + [0] * n_tn, np.float32)
    order = rng.permutation(t.size)
    return t[order], p[order]


def test_mirror_hand_built_pair():
    # A: TP 2, FP 1, FN 2 ; B: TP 2, FP 2, FN 1 (so the masks differ: 4 and 3 foreground pixels)
    ta = np.array([1, 1, 1, 1, 0, 0, 0, 0], np.float32)
    pa = np.array([1, 1, 0, 0, 1, 0, 0, 0], np.float32)
    tb = np.array([1, 1, 1, 0, 0, 0, 0, 0], np.float32)
    pb = np.array([1, 1, 0, 1, 1, 0, 0, 0], np.float32)
    assert losses.soft_counts(ta, pa) == {"TP": 2.0, "FP": 1.0, "FN": 2.0, "TN": 3.0}
    assert losses.soft_counts(tb, pb) == {"TP": 2.0, "FP": 2.0, "FN": 1.0, "TN": 3.0}
    for alpha, beta in [(0.3, 0.7), (0.9, 0.1), (0.0, 1.0)]:
        eq(
            losses.tversky(ta, pa, alpha=alpha, beta=beta),
            losses.tversky(tb, pb, alpha=beta, beta=alpha),
        )
        eq(
            losses.focal_tversky(ta, pa, alpha=alpha, beta=beta, gamma=0.75),
            losses.focal_tversky(tb, pb, alpha=beta, beta=alpha, gamma=0.75),
        )
        # and the asymmetry is real: the same (alpha, beta) scores the two differently
        same = f(losses.tversky(tb, pb, alpha=alpha, beta=beta))
        assert abs(f(losses.tversky(ta, pa, alpha=alpha, beta=beta)) - same) > 0.01
    # by hand: A under (.3, .7) = 1 - (2 + s) / (2 + .3 * 1 + .7 * 2 + s)
    eq(losses.tversky(ta, pa, alpha=0.3, beta=0.7), 1 - (2 + 1e-6) / (2 + 0.3 + 1.4 + 1e-6))


def test_mirror_random_pairs():
    rng = np.random.default_rng(11)
    for _ in range(15):
        n_tp, x, y, n_tn = (int(v) for v in rng.integers(0, 12, size=4))
        if x == y:
            y += 1
        ta, pa = _from_counts(n_tp, x, y, n_tn, rng)  # FP x, FN y
        tb, pb = _from_counts(n_tp, y, x, n_tn, rng)  # FP y, FN x
        alpha, beta = float(rng.random()), float(rng.random())
        for smooth in (1e-6, 1.0):
            eq(
                losses.tversky(ta, pa, alpha=alpha, beta=beta, smooth=smooth),
                losses.tversky(tb, pb, alpha=beta, beta=alpha, smooth=smooth),
            )


def test_mirror_by_swapping_roles_of_truth_and_prediction():
    # Swapping y_true and y_pred keeps TP and exchanges FP and FN (also for soft values).
    rng = np.random.default_rng(3)
    for _ in range(10):
        t = rng.random((5, 5)).astype(np.float32)
        p = rng.random((5, 5)).astype(np.float32)
        alpha, beta = float(rng.random()), float(rng.random())
        eq(
            losses.tversky(t, p, alpha=alpha, beta=beta),
            losses.tversky(p, t, alpha=beta, beta=alpha),
        )


@pytest.mark.parametrize("key", ["dice", "bce_dice", "iou", "tversky", "focal_tversky", "combo"])
def test_registry_error_weights_rebuild_each_overlap_loss(key):
    """The FP and FN weights the overlap view draws: 1 - TP / (TP + w_FP FP + w_FN FN),
    from float64 numpy counts, is the overlap part of each region loss (smooth 0)."""
    from teaching.registry import LOSSES

    spec = LOSSES[key]
    rng = np.random.default_rng(7)
    t = (rng.random((2, 16, 16)) < 0.3).astype(np.float32)
    p = rng.random((2, 16, 16)).astype(np.float32)
    params = {**spec.defaults("paper"), "smooth": 0.0}
    if "alpha" in params and spec.error_weights == ("alpha", "beta"):
        params.update(alpha=0.2, beta=0.9)  # unequal, so a swapped pair would show
    w = spec.weights_at(params)
    t64, p64 = t.astype(np.float64), p.astype(np.float64)
    tp, fp, fn = (t64 * p64).sum(), ((1 - t64) * p64).sum(), (t64 * (1 - p64)).sum()
    ratio = tp / (tp + w["FP"] * fp + w["FN"] * fn)
    eps = 1e-7
    pc = np.clip(p64, eps, 1 - eps)
    bce = -(t64 * np.log(pc) + (1 - t64) * np.log(1 - pc)).mean()
    value = f(getattr(losses, spec.function)(t, p, **params))
    if key == "focal_tversky":
        want = (1 - ratio) ** params["gamma"]
    elif key == "bce_dice":
        want = bce + 1 - ratio
    elif key == "combo":
        a, r = params["alpha"], params["ce_ratio"]
        wce = -(a * t64 * np.log(pc) + (1 - a) * (1 - t64) * np.log(1 - pc)).mean()
        want = r * wce - (1 - r) * ratio
    else:
        want = 1 - ratio
    assert value == pytest.approx(want, rel=1e-4, abs=1e-5), (key, value, want)


def test_pixelwise_losses_have_no_error_weights():
    from teaching.registry import ALL_SPECS

    assert ALL_SPECS["focal"].weights_at({"alpha": 0.25, "gamma": 2.0}) is None
    assert ALL_SPECS["bce"].weights_at({}) is None
