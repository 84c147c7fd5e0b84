"""The Unified Focal loss against a float64 transcription of the paper's equations.

The reference is written from Yeung, Sala, Schönlieb, Rundo (2022), binary segmentation
with the background and the foreground as two classes (one-hot channels), and shares
nothing with ``losses``: per class c a cross-entropy -t_c log p_c weighted by 1 - delta
(background) or delta (foreground), times (1 - p_c) ** gamma on the classes the form
suppresses; per class a modified Tversky index (TP_c + s) / (TP_c + delta FN_c +
(1 - delta) FP_c + s), the class's term raised to 1 - gamma where the form enhances it;
lambda on the cross-entropy part, 1 - lambda on the sum of the region terms.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses._tf import keras, tf
from teaching import analysis
from teaching.registry import get

CLIP = 1e-7


def reference(t, p, lambda_=0.5, delta=0.6, gamma=0.5, symmetric=False, smooth=1e-6):
    """The paper's binary Unified Focal loss in float64, channel by channel."""
    t = np.asarray(t, np.float64).reshape(-1)
    p = np.asarray(p, np.float64).reshape(-1)
    T = np.stack([1.0 - t, t])  # one-hot ground truth: background, foreground
    P = np.stack([1.0 - p, p])  # the two class probabilities (for the counts)
    Pc = np.clip(P, CLIP, 1.0 - CLIP)  # the logs and powers see clipped probabilities
    class_weight = np.array([1.0 - delta, delta])[:, None]
    suppressed = np.array([True, symmetric])[:, None]  # background always, foreground if sym.
    focal = np.where(suppressed, (1.0 - Pc) ** gamma, 1.0)
    ce = np.mean(np.sum(class_weight * focal * -T * np.log(Pc), axis=0))
    tp = np.sum(T * P, axis=1)
    fn = np.sum(T * (1.0 - P), axis=1)
    fp = np.sum((1.0 - T) * P, axis=1)
    mti = (tp + smooth) / (tp + delta * fn + (1.0 - delta) * fp + smooth)
    enhanced = np.array([symmetric, True])  # foreground always, background if symmetric
    one_minus = 1.0 - mti
    region = np.where(enhanced, np.where(one_minus > 0, one_minus, 0.0) ** (1.0 - gamma), one_minus)
    return float(lambda_ * ce + (1.0 - lambda_) * np.sum(region))


def masks(kind: str, seed: int = 0, shape=(2, 16, 16)):
    """random (a 0/1 mask and a soft prediction), empty, full, saturated (0/1 with errors)."""
    rng = np.random.default_rng(seed)
    if kind == "random":
        t = (rng.random(shape) < 0.3).astype(np.float32)
        p = rng.random(shape).astype(np.float32)
    elif kind == "soft":
        t = (np.round(rng.random(shape) * 4) / 4).astype(np.float32)
        p = rng.random(shape).astype(np.float32)
    elif kind == "empty":
        t = np.zeros(shape, np.float32)
        p = np.zeros(shape, np.float32)
    elif kind == "empty_truth":
        t = np.zeros(shape, np.float32)
        p = (rng.random(shape) * 0.3).astype(np.float32)
    elif kind == "full":
        t = np.ones(shape, np.float32)
        p = np.ones(shape, np.float32)
    elif kind == "saturated":
        t = (rng.random(shape) < 0.3).astype(np.float32)
        p = (rng.random(shape) < 0.5).astype(np.float32)  # certain everywhere, often wrong
    else:
        raise ValueError(kind)
    return t, p


KINDS = ["random", "soft", "empty", "empty_truth", "full", "saturated"]
SETTINGS = [
    {},
    {"lambda_": 0.0, "delta": 0.5, "gamma": 0.0},
    {"lambda_": 1.0, "delta": 0.25, "gamma": 0.9},
    {"lambda_": 0.3, "delta": 0.8, "gamma": 0.2, "smooth": 1.0},
    {"lambda_": 0.7, "delta": 0.1, "gamma": 0.75},
]


@pytest.mark.parametrize("symmetric", [False, True], ids=["asymmetric", "symmetric"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_the_loss_is_the_papers_equations(kind, setting, symmetric):
    t, p = masks(kind)
    prm = {**setting, "symmetric": symmetric}
    got = float(losses.unified_focal(t, p, **prm))
    assert got == pytest.approx(reference(t, p, **prm), rel=2e-5, abs=2e-6)


@pytest.mark.parametrize("symmetric", [False, True])
def test_per_image_averages_the_images(symmetric):
    t, p = masks("random", seed=4, shape=(3, 9, 9))
    prm = {"lambda_": 0.4, "delta": 0.7, "gamma": 0.3, "symmetric": symmetric}
    want = np.mean([reference(t[i], p[i], **prm) for i in range(3)])
    got = float(losses.unified_focal(t, p, per_image=True, **prm))
    assert got == pytest.approx(want, rel=2e-5)
    # pooled differs: the region part is computed over the whole batch at once
    assert float(losses.unified_focal(t, p, **prm)) == pytest.approx(reference(t, p, **prm), 2e-5)


def test_a_perfect_prediction_costs_almost_nothing_and_errors_cost_more():
    t, _ = masks("random", seed=2)
    assert float(losses.unified_focal(t, t)) < 1e-6
    for prm in ({}, {"symmetric": True}, {"gamma": 0.0}):
        worse = np.clip(t + 0.2 * (1 - 2 * t), 0, 1)
        assert float(losses.unified_focal(t, worse, **prm)) > float(losses.unified_focal(t, t))


def test_gamma_one_makes_each_imperfect_class_cost_one_in_the_region_part():
    t, p = masks("random", seed=5)
    # lambda_ = 0, gamma = 1, symmetric: (1 - mTI) ** 0 for both classes
    assert float(losses.unified_focal(t, p, lambda_=0.0, gamma=1.0, symmetric=True)) == 2.0
    # a perfect class scores 0 at every exponent (the package's safe power), not 0 ** 0 = 1
    assert float(losses.unified_focal(t, t, lambda_=0.0, gamma=1.0, symmetric=True)) == 0.0


def test_a_certain_wrong_pixel_costs_the_same_clipped_log_on_either_class():
    # delta = 0.5, gamma = 0, lambda_ = 1: half the BCE; a certain FP and a certain FN
    fp = float(losses.unified_focal([0.0], [1.0], lambda_=1.0, delta=0.5, gamma=0.0))
    fn = float(losses.unified_focal([1.0], [0.0], lambda_=1.0, delta=0.5, gamma=0.0))
    assert fp == pytest.approx(fn, rel=1e-6)
    assert fp == pytest.approx(-0.5 * np.log(1e-7), rel=1e-6)


@pytest.mark.parametrize("symmetric", [False, True])
def test_gradient_is_finite_on_saturated_and_empty_masks(symmetric):
    for kind in ("saturated", "empty", "full", "random"):
        t, p = masks(kind)
        pv = tf.Variable(p)
        with tf.GradientTape() as tape:
            value = losses.unified_focal(t, pv, symmetric=symmetric)
        g = tape.gradient(value, pv).numpy()
        assert np.isfinite(g).all(), kind


def test_the_gradient_pushes_the_right_way():
    t = np.array([[1.0, 0.0]], np.float32)
    pv = tf.Variable(np.array([[0.4, 0.6]], np.float32))
    with tf.GradientTape() as tape:
        value = losses.unified_focal(t, pv)
    g = tape.gradient(value, pv).numpy()[0]
    assert g[0] < 0 < g[1]  # raise the foreground pixel, lower the background one


def test_the_value_is_a_scalar_float32_for_any_rank():
    for shape in ((5,), (4, 4), (2, 4, 4, 1)):
        t, p = masks("random", shape=shape)
        v = losses.unified_focal(t, p)
        assert v.shape == () and v.dtype == tf.float32


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    "name, bad",
    [("lambda_", 1.5), ("lambda_", -0.1), ("delta", 2.0), ("gamma", 1.2), ("smooth", -1.0)],
)
def test_out_of_range_parameters_say_the_range(name, bad):
    t, p = masks("random")
    with pytest.raises(ValueError, match=name):
        losses.unified_focal(t, p, **{name: bad})


def test_misuse_of_the_inputs_gets_the_package_messages():
    t, p = masks("random")
    with pytest.raises(ValueError, match="same shape"):
        losses.unified_focal(t, p[:1])
    with pytest.raises(ValueError, match="255"):
        losses.unified_focal(t * 255, p)
    with pytest.raises(ValueError, match="sigmoid"):
        losses.unified_focal(t, p * 3 - 1)
    with pytest.raises(ValueError, match="batch axis"):
        losses.unified_focal([1.0, 0.0], [0.5, 0.5], per_image=True)


def test_the_keras_class_names_the_closest_parameter_and_checks_ranges():
    with pytest.raises(ValueError, match="lambda_"):
        losses.UnifiedFocalLoss(lamda=0.5)
    with pytest.raises(ValueError, match="delta"):
        losses.UnifiedFocalLoss(delta=1.5)
    with pytest.raises(ValueError, match="True or False"):
        losses.UnifiedFocalLoss(symmetric="yes")


# ------------------------------------------------------------------ the registry and helpers
def test_registry_has_the_papers_values_and_ranges():
    spec = get("unified_focal")
    assert spec.defaults("paper") == {
        "lambda_": 0.5,
        "delta": 0.6,
        "gamma": 0.5,
        "symmetric": False,
        "smooth": 1e-6,
    }
    for name in ("lambda_", "delta", "gamma"):
        assert (spec.param(name).lo, spec.param(name).hi) == (0.0, 1.0)
    assert spec.kind == "mixed"


def test_the_analysis_parts_rebuild_the_loss():
    """rows form = lambda_ x mean pixel term + (1 - lambda_) x region term of the counts."""
    t, p = masks("random", seed=7)
    prm = {"lambda_": 0.35, "delta": 0.65, "gamma": 0.4, "symmetric": True, "smooth": 1e-6}
    pixel_mean = float(np.mean(analysis.pixel_loss_map("unified_focal", t, p, **prm)))
    zero = float(losses.unified_focal(t, p, **{**prm, "lambda_": 0.0}))
    assert pixel_mean + 0.65 * zero == pytest.approx(float(losses.unified_focal(t, p, **prm)), 1e-5)


@pytest.mark.parametrize("symmetric", [False, True])
def test_batched_curves_and_grids_are_the_public_function(symmetric):
    t, p = masks("random", seed=8, shape=(12, 12))
    prm = {"lambda_": 0.4, "delta": 0.7, "gamma": 0.3, "symmetric": symmetric, "smooth": 1e-6}
    one = lambda q, **kw: float(losses.unified_focal(t, q, **{**prm, **kw}))  # noqa: E731
    levels = np.linspace(0.0, 1.0, 6)
    conf = analysis.confidence_curve("unified_focal", t, p, levels, **prm)
    np.testing.assert_allclose(conf["loss"], [one(c * p / p.max()) for c in levels], 2e-5, 2e-6)
    shifts = [-3, 0, 2, 5]
    sh = analysis.shift_curve("unified_focal", t, p, shifts, **prm)
    stack = analysis.shift_stack(p, shifts)
    np.testing.assert_allclose(sh["loss"], [one(q) for q in stack], 2e-5, 2e-6)
    lams, deltas = [0.0, 0.5, 1.0], [0.1, 0.6]
    rest = {k: v for k, v in prm.items() if k not in ("lambda_", "delta")}
    grid = analysis.param_grid("unified_focal", t, p, ("lambda_", lams), ("delta", deltas), **rest)
    want = [[one(p, lambda_=lam, delta=d) for lam in lams] for d in deltas]
    np.testing.assert_allclose(grid, want, 2e-5, 2e-6)
    gammas = [0.0, 0.5, 1.0]
    curve = analysis.param_curve(
        "unified_focal", t, p, "gamma", gammas, **{k: v for k, v in prm.items() if k != "gamma"}
    )
    np.testing.assert_allclose(curve, [one(p, gamma=g) for g in gammas], 2e-5, 2e-6)


# ------------------------------------------------------------------ Keras
def _batch(seed=0, n=8):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 8, 8, 1)).astype(np.float32)
    return x, (x > 0.7).astype(np.float32)


def _model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 1))
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(inputs)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("symmetric", [False, True])
def test_a_small_model_trains_saves_and_loads(tmp_path, symmetric):
    x, y = _batch()
    loss = losses.UnifiedFocalLoss(lambda_=0.4, delta=0.7, gamma=0.3, symmetric=symmetric)
    model = _model()
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=loss)
    before = float(model.evaluate(x, y, verbose=0))
    model.fit(x, y, epochs=15, batch_size=8, verbose=0)
    after = float(model.evaluate(x, y, verbose=0))
    assert np.isfinite(after) and after < before
    path = tmp_path / "unified.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.loss, losses.UnifiedFocalLoss)
    assert loaded.loss.params == loss.params
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert float(loaded.evaluate(x, y, verbose=0)) == pytest.approx(after, rel=1e-6)


def test_the_class_is_the_function():
    x, y = _batch(1)
    prm = {"lambda_": 0.2, "delta": 0.3, "gamma": 0.9, "symmetric": True, "per_image": True}
    via_class = float(losses.UnifiedFocalLoss(**prm)(y, x))
    assert via_class == pytest.approx(float(losses.unified_focal(y, x, **prm)), rel=1e-6)
    made = losses.make_loss("unified_focal", lambda_=0.2)
    assert isinstance(made, losses.UnifiedFocalLoss) and made.lambda_ == 0.2
