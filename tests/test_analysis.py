"""The batched analysis helpers equal the public functions evaluated point by point."""

from __future__ import annotations

from math import log

import numpy as np
import pytest

import losses
from teaching import analysis
from tests import _ref

PUBLIC_PARAMS = {
    "bce": {},
    "focal": {"alpha": 0.25, "gamma": 2.0, "class_balanced": True},
    "dice": {"smooth": 1e-6},
    "bce_dice": {"smooth": 1e-2},
    "iou": {"smooth": 1.0},
    "tversky": {"alpha": 0.3, "beta": 0.7, "smooth": 1e-6},
    "focal_tversky": {"alpha": 0.3, "beta": 0.7, "gamma": 0.75, "smooth": 1e-6},
    "combo": {"alpha": 0.7, "ce_ratio": 0.4, "smooth": 1e-6},
}
KEYS = tuple(PUBLIC_PARAMS)


def example(seed=0, shape=(6, 6), lo=0.05, hi=0.95, kind="float"):
    """A mask and a prediction. kind: "float" (every p distinct), "8bit" (p = k / 255 with
    many repeats, as the app's canvases and presets give), "soft" (soft targets too),
    "hard" (exact 0 / 1 predictions)."""
    rng = np.random.default_rng(seed)
    t = (rng.random(shape) < 0.4).astype(np.float32)
    p = (lo + (hi - lo) * rng.random(shape)).astype(np.float32)
    if kind == "8bit":
        p = (np.round(p * 8) * 31 / 255).astype(np.float32)  # 9 distinct values
    elif kind == "soft":
        t = (np.round(rng.random(shape) * 4) / 4).astype(np.float32)
    elif kind == "hard":
        p = (rng.random(shape) < 0.5).astype(np.float32)
    return t, p


KINDS = ["float", "8bit", "soft", "hard"]


def public(key, t, p, **params):
    return float(getattr(losses, key)(t, p, **params))


def assert_close(got, want, rel=1e-5, abs_=2e-6):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=rel, atol=abs_)


# ------------------------------------------------------------------ values
@pytest.mark.parametrize("key", KEYS)
def test_loss_value_is_the_public_function(key):
    t, p = example(1)
    params = PUBLIC_PARAMS[key]
    assert analysis.loss_value(key, t, p, **params) == pytest.approx(
        public(key, t, p, **params), rel=1e-6
    )


def test_loss_values_share_one_validation():
    t, p = example(2)
    out = analysis.loss_values(KEYS, t, p, PUBLIC_PARAMS)
    assert set(out) == set(KEYS)
    for key in KEYS:
        assert out[key] == pytest.approx(public(key, t, p, **PUBLIC_PARAMS[key]), rel=1e-6)


def test_defaults_are_the_blog_defaults():
    t, p = example(3)
    for key in KEYS:
        assert analysis.loss_value(key, t, p) == pytest.approx(public(key, t, p), rel=1e-6)


# ------------------------------------------------------------------ curves and grids
@pytest.mark.parametrize("key", KEYS)
def test_pixel_curve_point_by_point(key):
    probs = np.linspace(0.0, 1.0, 11)
    params = PUBLIC_PARAMS[key]
    out = analysis.pixel_curve(key, probs, **params)
    assert_close(out["p"], probs)
    assert_close(out["positive"], [public(key, [1.0], [q], **params) for q in probs])
    assert_close(out["negative"], [public(key, [0.0], [q], **params) for q in probs])


def test_pixel_curve_by_hand():
    out = analysis.pixel_curve("bce", [0.25, 0.5])
    assert_close(out["positive"], [-log(0.25), -log(0.5)])
    assert_close(out["negative"], [-log(0.75), -log(0.5)])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", KEYS)
def test_confidence_curve_point_by_point(key, kind):
    t, p = example(4, (2, 5, 5), kind=kind)
    params = PUBLIC_PARAMS[key]
    levels = np.linspace(0.0, 1.0, 9)
    out = analysis.confidence_curve(key, t, p, levels, **params)
    peak = np.float32(p.max())
    assert out["current"] == pytest.approx(float(peak))
    assert_close(out["level"], levels)
    want = [public(key, t, np.float32(c) * (p / peak), **params) for c in levels]
    assert_close(out["loss"], want)


def test_confidence_curve_of_an_empty_prediction():
    t, _ = example(5)
    z = np.zeros_like(t)
    out = analysis.confidence_curve("dice", t, z, [0.0, 0.5, 1.0])
    assert out["current"] == 0.0
    assert_close(out["loss"], [public("dice", t, z)] * 3)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("shape, axis", [((6, 7), -1), ((6, 7), 0), ((2, 3, 5), 1)])
def test_shift_curve_point_by_point(key, shape, axis, kind):
    t, p = example(6, shape, kind=kind)
    params = PUBLIC_PARAMS[key]
    shifts = [-8, -3, -1, 0, 1, 2, 5, 7]  # includes shifts off the image
    out = analysis.shift_curve(key, t, p, shifts, axis=axis, **params)
    assert list(out["shift"]) == shifts
    want = [public(key, t, _ref.shift_zero_fill(p, k, axis), **params) for k in shifts]
    assert_close(out["loss"], want)


def test_shift_stack_by_hand():
    out = analysis.shift_stack(np.array([[0.1, 0.2, 0.3]]), [1, -1, 0, 5])
    assert_close(out[:, 0], [[0, 0.1, 0.2], [0.2, 0.3, 0], [0.1, 0.2, 0.3], [0, 0, 0]], abs_=1e-7)


PARAM_SWEEPS = [
    ("focal", "alpha", np.linspace(0, 1, 6)),
    ("focal", "gamma", np.linspace(0, 5, 6)),
    ("dice", "smooth", [1e-6, 1e-2, 1.0, 10.0]),
    ("bce_dice", "smooth", [1e-6, 1.0]),
    ("iou", "smooth", [1e-6, 0.1, 10.0]),
    ("tversky", "alpha", np.linspace(0, 1, 5)),
    ("tversky", "beta", np.linspace(0, 1, 5)),
    ("tversky", "smooth", [1e-6, 1.0]),
    ("focal_tversky", "gamma", np.linspace(0.1, 3, 7)),
    ("focal_tversky", "beta", [0.0, 0.7, 1.0]),
    ("combo", "alpha", np.linspace(0, 1, 5)),
    ("combo", "ce_ratio", np.linspace(0, 1, 5)),
    ("combo", "smooth", [1e-6, 10.0]),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key, name, values", PARAM_SWEEPS)
def test_param_curve_point_by_point(key, name, values, kind):
    t, p = example(7, (3, 4, 4), kind=kind)
    params = dict(PUBLIC_PARAMS[key])
    got = analysis.param_curve(
        key, t, p, name, values, **{k: v for k, v in params.items() if k != name}
    )
    want = []
    for v in values:
        params[name] = float(np.float32(v))
        want.append(public(key, t, p, **params))
    assert got.shape == (len(values),)
    assert_close(got, want)


def test_param_curve_rejects_non_numeric_names():
    t, p = example(8)
    with pytest.raises(ValueError, match="class_balanced"):
        analysis.param_curve("focal", t, p, "class_balanced", [0, 1])
    with pytest.raises(ValueError, match="beta"):
        analysis.param_curve("dice", t, p, "beta", [0.1])


@pytest.mark.parametrize(
    "key, x, y",
    [
        ("focal_tversky", ("alpha", [0.0, 0.3, 1.0]), ("gamma", [0.1, 0.75, 1.0, 2.0])),
        ("combo", ("alpha", [0.2, 0.8]), ("ce_ratio", [0.0, 0.5, 1.0])),
        ("focal", ("gamma", [0.0, 2.0, 4.0]), ("alpha", [0.25, 0.75])),
    ],
)
@pytest.mark.parametrize("kind", ["float", "soft"])
def test_param_grid_point_by_point(key, x, y, kind):
    t, p = example(9, (5, 5), kind=kind)
    (xn, xv), (yn, yv) = x, y
    base = {k: v for k, v in PUBLIC_PARAMS[key].items() if k not in (xn, yn)}
    got = analysis.param_grid(key, t, p, x, y, **base)
    assert got.shape == (len(yv), len(xv))  # rows follow y
    for i, yval in enumerate(yv):
        for j, xval in enumerate(xv):
            want = public(key, t, p, **base, **{xn: xval, yn: yval})
            assert got[i, j] == pytest.approx(want, rel=1e-5, abs=2e-6)


def test_tversky_grid_point_by_point():
    t, p = example(10, (2, 6, 6))
    alphas = np.linspace(0, 1, 5)
    betas = np.linspace(0, 1, 4)
    for smooth in (1e-6, 1.0):
        got = analysis.tversky_grid(t, p, alphas, betas, smooth=smooth)
        assert got.shape == (4, 5)
        for i, b in enumerate(betas):
            for j, a in enumerate(alphas):
                want = public("tversky", t, p, alpha=float(a), beta=float(b), smooth=smooth)
                assert got[i, j] == pytest.approx(want, rel=1e-5, abs=2e-6)


# ------------------------------------------------------------------ pixel maps and counts
def test_soft_counts_by_hand():
    # t = 1 1 0 ; p = .9 .2 .4 -> TP .9 + .2, FP .4, FN .1 + .8, TN .6
    c = losses.soft_counts([1.0, 1.0, 0.0], [0.9, 0.2, 0.4])
    assert c == pytest.approx({"TP": 1.1, "FP": 0.4, "FN": 0.9, "TN": 0.6}, abs=1e-6)


def test_pixel_loss_map_by_hand():
    t = np.array([[1.0, 0.0]], np.float32)
    p = np.array([[0.5, 0.25]], np.float32)
    m = analysis.pixel_loss_map("focal", t, p, alpha=0.25, gamma=2.0, class_balanced=True)
    assert m.shape == (1, 2)
    assert_close(m, [[0.25 * 0.25 * -log(0.5), 0.75 * 0.0625 * -log(0.75)]])
    assert_close(analysis.pixel_loss_map("bce", t, p), [[-log(0.5), -log(0.75)]])


@pytest.mark.parametrize("key", ["bce", "focal", "bce_dice", "combo"])
def test_pixel_loss_map_means_to_the_loss(key):
    t, p = example(11, (2, 6, 6))
    params = PUBLIC_PARAMS[key]
    m = analysis.pixel_loss_map(key, t, p, **params)
    assert m.shape == t.shape
    total = public(key, t, p, **params)
    if key == "bce_dice":  # the map is the BCE part; Dice is a region term
        total -= public("dice", t, p, smooth=params["smooth"])
    if key == "combo":  # the map is ce_ratio * wCE; the Dice coefficient is a region term
        dsc = 1 - public("dice", t, p, smooth=params["smooth"])
        total += (1 - params["ce_ratio"]) * dsc
    assert float(m.mean()) == pytest.approx(total, rel=1e-5, abs=1e-6)
    assert_close(m.sum() / m.size, total)


@pytest.mark.parametrize("key", ["dice", "iou", "tversky", "focal_tversky"])
def test_pixel_loss_map_refuses_region_losses(key):
    t, p = example(12)
    with pytest.raises(ValueError, match="gradient_map"):
        analysis.pixel_loss_map(key, t, p)


# ------------------------------------------------------------------ gradients
GRAD_CASES = list(PUBLIC_PARAMS.items()) + [
    ("focal", {"alpha": 0.8, "gamma": 2.0, "class_balanced": False}),
    ("focal_tversky", {"alpha": 0.7, "beta": 0.3, "gamma": 2.0, "smooth": 1.0}),
]


@pytest.mark.parametrize("key, params", GRAD_CASES, ids=lambda v: str(v))
def test_gradient_map_matches_finite_differences(key, params):
    t, p = example(13, (6, 6), lo=0.1, hi=0.9)
    got = analysis.gradient_map(key, t, p, **params)
    want = _ref.finite_difference(key, t, p, **params)
    assert got.shape == (6, 6)
    scale = np.abs(want).max()
    assert scale > 0
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3 * scale)
    # the sign says which way to move: negative means "raise this pixel"
    assert (np.sign(got) == np.sign(want))[np.abs(want) > 1e-2 * scale].all()


def test_gradient_map_at_exact_zero_and_one_still_points():
    # pixels painted exactly 0 / 1 and wrong: the map must still push them
    t = np.array([[1.0, 0.0, 1.0, 0.0]], np.float32)
    p = np.array([[0.0, 1.0, 1.0, 0.0]], np.float32)
    for key in ("bce", "focal", "combo"):
        g = analysis.gradient_map(key, t, p)
        assert g[0, 0] < 0 and g[0, 1] > 0, (key, g)
        assert np.isfinite(g).all()


def test_analysis_helpers_validate_their_inputs():
    t = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)
    p = np.array([[0.8, 0.1], [0.6, 0.3]], np.float32)

    def raises(fn, *args, words=(), **kwargs):
        with pytest.raises(ValueError) as info:
            fn(*args, **kwargs)
        message = str(info.value).lower()
        for word in words:
            assert word.lower() in message, (word, message)

    raises(analysis.gradient_map, "dice", t * 255, p, words=("255",))
    raises(analysis.pixel_loss_map, "dice", t, p, words=("region", "gradient_map"))
    raises(analysis.loss_value, "tversky", t, p, words=("no parameter", "gamma"), gamma=2.0)
    raises(analysis.param_curve, "dice", t, p, "alpha", [0.1], words=("alpha",))
    raises(analysis.param_curve, "focal", t, p, "class_balanced", [0.0], words=("numeric",))
    raises(analysis.loss_value, "nope", t, p, words=("unknown",))
