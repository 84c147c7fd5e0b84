"""losses.pitfalls: each mistake really happens on the installed stack, with the numbers it claims."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses._tf import keras, tf
from teaching import pitfalls as P
from ui import i18n

# the clip of the formulas, exactly (no float32 rounding of 1 - 1e-7)
LO = 1e-7
HI = 1.0 - 1e-7

KEYS = [
    "kdot_rank1",
    "combo_blog",
    "focal_scalar_alpha",
    "keras_tversky_swap",
    "focal_tversky_exponent",
    "empty_masks_dice",
    "focal_mean_bce",
    "logits_as_probs",
    "keras_bce_clip",
]
FIELDS = {"key", "wrong", "right", "texts", "values", "references", "details"}
TEXTS = {"title", "wrong_label", "right_label", "explanation"}


def english(d: dict, field: str) -> str:
    """A pitfall's text as the page shows it in English (from the catalog, numbers filled in)."""
    return i18n.text(d["texts"][field], "en", **d["values"])


def f64(x):
    return np.asarray(x, dtype=np.float64)


def bce_px(t, p):
    t, pc = f64(t), np.clip(f64(p), LO, HI)
    return -(t * np.log(pc) + (1 - t) * np.log(1 - pc))


def focal_px(t, p, alpha, gamma):
    t, pc = f64(t), np.clip(f64(p), LO, HI)
    return alpha * (t * (1 - pc) + (1 - t) * pc) ** gamma * bce_px(t, p)


def tversky_ref(t, p, a, b, s=1e-6):
    t, p = f64(t), f64(p)
    tp, fp, fn = np.sum(t * p), np.sum((1 - t) * p), np.sum(t * (1 - p))
    return 1 - (tp + s) / (tp + a * fp + b * fn + s)


@pytest.fixture(scope="module")
def everything():
    return P.all_pitfalls()


@pytest.fixture(scope="module")
def demo():
    return P.demo_pair()


def test_all_pitfalls_order_and_fields(everything):
    assert [d["key"] for d in everything] == KEYS
    for d in everything:
        assert set(d) == FIELDS
        assert set(d["texts"]) == TEXTS
        assert english(d, "title") and english(d, "explanation") and d["references"]
        if d["key"] != "keras_bce_clip" or d["details"]["keras_asymmetric"]:
            assert d["wrong"] != d["right"]
        assert isinstance(d["details"], dict)


def test_kdot_really_raises(everything, demo):
    d = everything[0]
    t, p = demo
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.linalg.matmul(tf.constant(t.ravel()), tf.constant(p.ravel()))
    assert (
        isinstance(d["wrong"], str)
        and "InvalidArgumentError" in d["wrong"]
        and "ndims" in d["wrong"]
    )
    assert "function_node" not in d["wrong"]
    np.testing.assert_allclose(d["right"], np.sum(f64(t) * f64(p)), rtol=1e-6)
    # each attempt is named by its catalog key; its English label starts with the call tried
    attempts = {
        i18n.text(f"pitfalls.attempts.{a['attempt']}", "en").split("(")[0].strip(): a
        for a in d["details"]["attempts"]
    }
    assert not attempts["tf.linalg.matmul"]["ok"]
    if not hasattr(keras.backend, "dot"):
        assert "AttributeError" in attempts["keras.backend.dot"]["error"]
    if attempts["keras.ops.dot"]["ok"]:  # Keras 3 dot is NumPy's inner product on vectors
        np.testing.assert_allclose(attempts["keras.ops.dot"]["value"], d["right"], rtol=1e-5)
    np.testing.assert_allclose(
        d["details"]["dice_from_intersection"], d["details"]["dice"], rtol=1e-5
    )


@pytest.mark.parametrize("alpha", [0.5, 0.3])
def test_combo_blog_bracket_and_names(demo, alpha):
    t, p = demo
    d = P.pitfall_combo_blog(alpha=alpha, ce_ratio=0.4)
    errors = d["details"]["name_errors"]
    assert errors == [
        "NameError: name 'smooth' is not defined",
        "NameError: name 'e' is not defined",
    ]
    det = d["details"]
    assert det["negative_weight_wrong"] == pytest.approx(alpha * (1 - alpha))
    assert det["negative_weight_right"] == pytest.approx(1 - alpha)
    np.testing.assert_allclose(det["negative_weight_measured"], alpha * (1 - alpha), rtol=1e-5)
    # float64 reference of the misplaced bracket and of the corrected formula
    tt, pc = f64(t), np.clip(f64(p), LO, HI)
    pos, neg = tt * np.log(pc), (1 - tt) * np.log(1 - pc)
    wce_wrong = -np.mean(alpha * (pos + (1 - alpha) * neg))
    wce_right = -np.mean(alpha * pos + (1 - alpha) * neg)
    dsc = (2 * np.sum(tt * f64(p)) + 1e-6) / (tt.sum() + f64(p).sum() + 1e-6)
    np.testing.assert_allclose(det["wce_wrong"], wce_wrong, rtol=1e-5)
    np.testing.assert_allclose(det["wce_right"], wce_right, rtol=1e-5)
    np.testing.assert_allclose(d["wrong"], 0.4 * wce_wrong - 0.6 * dsc, rtol=1e-5)
    np.testing.assert_allclose(d["right"], 0.4 * wce_right - 0.6 * dsc, rtol=1e-5)
    np.testing.assert_allclose(
        d["right"], float(losses.combo(t, p, alpha=alpha, ce_ratio=0.4)), rtol=1e-6
    )
    assert det["eps_1e9_is_lost_in_float32"] is True


def test_focal_scalar_alpha(everything, demo):
    d = everything[2]
    t, p = demo
    for a in (1.0, 0.25):
        px = focal_px(t, p, a, 2.0)
        share = px[t > 0.5].sum() / px.sum()
        np.testing.assert_allclose(d["wrong"], share, rtol=1e-5)  # unchanged by the scalar
    cb = focal_px(t, p, 1.0, 2.0) * np.where(t > 0.5, 0.25, 0.75)
    np.testing.assert_allclose(d["right"], cb[t > 0.5].sum() / cb.sum(), rtol=1e-5)
    np.testing.assert_allclose(d["details"]["scalar_ratio"], 0.25, rtol=1e-6)
    assert abs(d["right"] - d["wrong"]) > 0.1


def test_keras_tversky_swap(everything):
    d = everything[3]
    det = d["details"]
    y_true = np.array([[1.0, 1.0, 0.0, 0.0]], np.float32)
    fp_only = np.ones_like(y_true)
    direct = float(np.asarray(keras.losses.Tversky(alpha=1.0, beta=0.0)(y_true, fp_only)))
    assert d["wrong"] == pytest.approx(direct)
    assert d["right"] == pytest.approx(tversky_ref(y_true, fp_only, 1.0, 0.0), rel=1e-5)
    assert det["keras_version"] == keras.__version__
    expected = "paper" if direct > 0.25 else "swapped"
    assert det["convention"] == expected and det["swapped"] == (expected == "swapped")
    if expected == "swapped":  # Keras 3 up to 3.15: FP ignored at beta = 0, FN weighed by alpha
        assert d["wrong"] == pytest.approx(0.0, abs=1e-6)
        assert det["keras_fn_only"] == pytest.approx(0.5, abs=1e-6)
        assert det["ours_fn_only"] == pytest.approx(0.0, abs=1e-6)


def test_focal_tversky_exponent(everything, demo):
    d = everything[4]
    t, p = demo
    tl = tversky_ref(t, p, 0.3, 0.7)
    np.testing.assert_allclose(d["details"]["tversky_loss"], tl, rtol=1e-5)
    np.testing.assert_allclose(d["wrong"], tl ** (4 / 3), rtol=1e-5)
    np.testing.assert_allclose(d["right"], tl**0.75, rtol=1e-5)
    np.testing.assert_allclose(d["details"]["grad_right"], 0.75 * tl**-0.25, rtol=1e-4)
    np.testing.assert_allclose(d["details"]["grad_wrong"], 4 / 3 * tl ** (1 / 3), rtol=1e-4)


def test_empty_masks(everything):
    d = everything[5]
    z = np.zeros((3, 3), np.float32)
    assert d["wrong"] == pytest.approx(1.0)
    assert float(np.asarray(keras.losses.dice(z, z))) == pytest.approx(1.0)
    assert d["right"] == pytest.approx(0.0, abs=1e-7)
    assert float(losses.dice(z, z)) == pytest.approx(0.0, abs=1e-7)


def test_focal_mean_bce_is_a_uniform_rescale(everything, demo):
    d = everything[6]
    t, p = demo
    det = d["details"]
    bce = bce_px(t, p).mean()
    factor = 0.8 * (1 - np.exp(-bce)) ** 2
    np.testing.assert_allclose(det["bce"], bce, rtol=1e-5)
    np.testing.assert_allclose(d["wrong"], factor * bce, rtol=1e-4)
    np.testing.assert_allclose(det["uniform_factor"], factor, rtol=1e-4)
    np.testing.assert_allclose(d["right"], focal_px(t, p, 0.8, 2.0).mean(), rtol=1e-5)
    hard = (f64(t) * p + (1 - f64(t)) * (1 - p)) <= 0.5
    b = bce_px(t, p)
    np.testing.assert_allclose(det["hard_share_bce"], b[hard].sum() / b.sum(), rtol=1e-5)
    np.testing.assert_allclose(det["hard_share_wrong"], det["hard_share_bce"], rtol=1e-5)
    assert det["hard_share_focal"] > det["hard_share_bce"] + 0.3
    assert det["pixel_factor_max"] > 100 * det["pixel_factor_min"]


def test_logits(everything, demo):
    d = everything[7]
    t, p = demo
    pc = np.clip(f64(p), 1e-7, 1 - 1e-7)
    logits = np.log(pc / (1 - pc)).astype(np.float32)
    with pytest.raises(ValueError, match="sigmoid"):
        losses.bce(t, logits)
    assert "sigmoid" in d["details"]["error_message"]
    np.testing.assert_allclose(d["wrong"], bce_px(t, np.clip(logits, 0, 1)).mean(), rtol=1e-5)
    np.testing.assert_allclose(d["right"], bce_px(t, p).mean(), rtol=1e-4)


def test_faq():
    faq = P.all_faq()
    assert [q["key"] for q in faq] == ["negative_loss", "dice_batch_size", "which_penalises_fn"]
    for q in faq:
        assert set(q) == {"key", "texts", "values", "references", "details"}
        assert set(q["texts"]) == {"title", "answer"}
    neg, batch, fn = (q["details"] for q in faq)
    assert neg["minimum"] <= neg["total"] < 0
    assert batch["per_image_change"] > 10 * batch["pooled_change"] > 0
    assert (
        fn["under"]["raise_beta"] > fn["under"]["base"] == pytest.approx(fn["under"]["raise_alpha"])
    )
    assert fn["over"]["raise_alpha"] > fn["over"]["base"] == pytest.approx(fn["over"]["raise_beta"])
    assert fn["counts_under"]["FP"] == 0 and fn["counts_over"]["FN"] == 0


def test_pitfalls_take_user_masks():
    t = np.zeros((6, 6), np.float32)
    t[1:4, 1:4] = 1
    p = np.clip(t * 0.8 + 0.1, 0, 1).astype(np.float32)
    d = P.pitfall_focal_mean_bce(t, p)
    np.testing.assert_allclose(d["right"], focal_px(t, p, 0.8, 2.0).mean(), rtol=1e-5)
    with pytest.raises(ValueError):
        P.pitfall_kdot(t, None)


def keras_bce(t, p):
    value = keras.losses.binary_crossentropy(
        np.full((1, 1), t, np.float32), np.full((1, 1), p, np.float32)
    )
    return float(np.asarray(value).reshape(-1)[0])


def test_keras_bce_clip_numbers_are_measured(everything):
    d = everything[8]
    assert d == P.pitfall_keras_bce_clip()
    det = d["details"]
    neg_log_eps = -np.log(1e-7)
    # Keras's numbers are what the installed Keras computes, whatever they are
    assert det["keras_false_positive"] == keras_bce(0.0, 1.0) == d["wrong"]
    assert det["keras_false_negative"] == keras_bce(1.0, 0.0)
    assert det["keras_version"] == keras.__version__
    assert det["keras_epsilon"] == pytest.approx(1e-7)
    # ours: symmetric, -ln(1e-7) on both classes
    assert det["ours_false_positive"] == float(losses.bce([0.0], [1.0])) == d["right"]
    assert det["ours_false_negative"] == float(losses.bce([1.0], [0.0]))
    assert det["ours_false_positive"] == det["ours_false_negative"]
    assert det["ours_false_positive"] == pytest.approx(neg_log_eps, rel=1e-6)
    # the float32 reason
    assert det["neg_log_epsilon"] == pytest.approx(neg_log_eps, rel=1e-12)
    assert det["float32_one_minus_epsilon"] == float(np.float32(1 - 1e-7)) == 1 - 2.0**-23
    assert det["float32_gap"] == 2.0**-23
    assert det["log_float32_one_minus_epsilon"] == pytest.approx(np.log1p(-(2.0**-23)), rel=1e-9)
    assert det["neg_log_float32_gap"] == pytest.approx(-np.log(2.0**-23), rel=1e-12)
    asymmetric = abs(keras_bce(1.0, 0.0) - keras_bce(0.0, 1.0)) > 1e-3
    assert det["keras_asymmetric"] is asymmetric
    if asymmetric:  # Keras 3 up to 3.15: the false positive gets -ln(2^-23) = 15.94
        assert det["keras_false_positive"] == pytest.approx(det["neg_log_float32_gap"], rel=1e-5)
        assert det["keras_false_negative"] == pytest.approx(neg_log_eps, rel=1e-5)
        assert f"{det['keras_false_positive']:.2f}" in english(d, "title")
        assert "cheaper" in english(d, "explanation")
    else:
        assert "no longer" in english(d, "explanation")
    text = english(d, "explanation")
    assert "0.9999998808" in text and "2^-23" in text and "1.19e-07" in text
    assert f"{det['keras_false_positive']:.4f}" in text
    assert f"{det['keras_false_negative']:.4f}" in text
    assert f"{neg_log_eps:.4f}" in text and "15.9424" in text
    assert keras.__version__ in text
