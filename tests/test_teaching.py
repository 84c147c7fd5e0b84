"""teaching: every number of the teaching views against float64 numpy or the public losses."""

from __future__ import annotations

import numpy as np
import pytest

import losses
import teaching.candidates
import teaching.combo
import teaching.compare
import teaching.focal
import teaching.focal_tversky
import teaching.registry
import teaching.tversky
from losses._tf import tf

LO = 1e-7  # the clip bounds of the formulas, exactly (no float32 rounding of 1 - 1e-7)
HI = 1.0 - 1e-7


# ---------------------------------------------------------------- float64 references
def f64(x):
    return np.asarray(x, dtype=np.float64)


def clip(p):
    return np.clip(f64(p), LO, HI)


def p_true(t, p):
    return f64(t) * f64(p) + (1 - f64(t)) * (1 - f64(p))


def bce_px(t, p):
    t, pc = f64(t), clip(p)
    return -(t * np.log(pc) + (1 - t) * np.log(1 - pc))


def focal_px(t, p, alpha, gamma, balanced=False):
    t, pc = f64(t), clip(p)
    one_minus = t * (1 - pc) + (1 - t) * pc
    w = alpha * t + (1 - alpha) * (1 - t) if balanced else alpha
    return w * one_minus**gamma * bce_px(t, p)


def counts(t, p):
    t, p = f64(t), f64(p)
    return np.sum(t * p), np.sum((1 - t) * p), np.sum(t * (1 - p))


def tversky_ref(t, p, a, b, s=1e-6):
    tp, fp, fn = counts(t, p)
    return 1 - (tp + s) / (tp + a * fp + b * fn + s)


def dice_ref(t, p, s=1e-6):
    t, p = f64(t), f64(p)
    return 1 - (2 * np.sum(t * p) + s) / (np.sum(t) + np.sum(p) + s)


def wce_px(t, p, alpha):
    t, pc = f64(t), clip(p)
    return -(alpha * t * np.log(pc) + (1 - alpha) * (1 - t) * np.log(1 - pc))


def disk(size, r, cy=None, cx=None):
    yy, xx = np.mgrid[0:size, 0:size]
    cy = (size - 1) / 2 if cy is None else cy
    cx = (size - 1) / 2 if cx is None else cx
    return ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r).astype(np.float32)


@pytest.fixture(scope="module")
def pair():
    """A disk and a soft prediction with easy and hard pixels of both classes."""
    rng = np.random.default_rng(7)
    t = disk(24, 6)
    p = np.where(t > 0, rng.uniform(0.2, 1.0, t.shape), rng.uniform(0.0, 0.7, t.shape))
    return t, p.astype(np.float32)


# ---------------------------------------------------------------- focal
def test_focal_curve_family_matches_formula():
    pt = np.array([0.0, 0.05, 0.3, 0.5, 0.8, 0.99, 1.0])
    gammas = [0.0, 0.5, 2.0, 5.0]
    out = teaching.focal.focal_curve_family(pt, gammas)
    assert out["loss"].shape == (4, 7) and out["modulating"].shape == (4, 7)
    pc = clip(pt)
    for i, g in enumerate(gammas):
        np.testing.assert_allclose(out["modulating"][i], (1 - pc) ** g, rtol=1e-5, atol=1e-12)
        np.testing.assert_allclose(
            out["loss"][i], -((1 - pc) ** g) * np.log(pc), rtol=1e-5, atol=1e-12
        )
    np.testing.assert_allclose(out["loss"][0], out["ce"], rtol=1e-6)
    # gamma turns the easy end down: at p_t = 0.8 the loss falls monotonically with gamma
    assert np.all(np.diff(out["loss"][:, 4]) < 0)


@pytest.mark.parametrize("balanced", [False, True])
def test_focal_easy_hard_split_sums_to_focal(pair, balanced):
    t, p = pair
    gammas = [0.0, 1.0, 2.0, 4.0]
    out = teaching.focal.focal_easy_hard_split(t, p, gammas, alpha=0.3, class_balanced=balanced)
    np.testing.assert_allclose(out["easy"] + out["hard"], out["total"], rtol=1e-5)
    easy = p_true(t, p) > 0.5
    n = t.size
    for i, g in enumerate(gammas):
        public = float(losses.focal(t, p, alpha=0.3, gamma=g, class_balanced=balanced))
        np.testing.assert_allclose(out["total"][i], public, rtol=1e-6)
        px = focal_px(t, p, 0.3, g, balanced)
        np.testing.assert_allclose(out["easy"][i], px[easy].sum() / n, rtol=1e-4)
        np.testing.assert_allclose(out["hard"][i], px[~easy].sum() / n, rtol=1e-4)
        np.testing.assert_allclose(out["hard_share"][i], px[~easy].sum() / px.sum(), rtol=1e-4)
    assert out["n_easy"] == int(easy.sum()) and out["n_hard"] == int((~easy).sum())
    assert out["n_pixels"] == n
    np.testing.assert_array_equal(out["easy_mask"], easy)
    # focusing moves the loss towards the hard pixels
    assert np.all(np.diff(out["hard_share"]) > 0)


def test_focal_weight_map(pair):
    t, p = pair
    w = teaching.focal.focal_weight_map(t, p, 2.0)
    assert w.shape == t.shape
    pc = clip(p)
    ref = (t * (1 - pc) + (1 - t) * pc) ** 2.0
    np.testing.assert_allclose(w, ref, rtol=1e-5, atol=1e-12)
    stack = teaching.focal.focal_weight_map(t[None, ..., None], p[None, ..., None], [0.0, 2.0])
    assert stack.shape == (2, 1) + t.shape + (1,)
    np.testing.assert_allclose(stack[0], 1.0)
    np.testing.assert_allclose(stack[1].reshape(t.shape), ref, rtol=1e-5, atol=1e-12)


def test_focal_alpha_comparison(pair):
    t, p = pair
    alpha, gamma = 0.25, 2.0
    out = teaching.focal.focal_alpha_comparison(t, p, alpha=alpha, gamma=gamma)
    np.testing.assert_allclose(out["scalar_ratio"], alpha, rtol=1e-6)
    np.testing.assert_allclose(
        out["scalar"]["positive_share"], out["unweighted"]["positive_share"], rtol=1e-6
    )
    for name, a, bal in (
        ("unweighted", 1.0, False),
        ("scalar", alpha, False),
        ("class_balanced", alpha, True),
    ):
        d = out[name]
        np.testing.assert_allclose(d["positive"] + d["negative"], d["total"], rtol=1e-5)
        public = float(losses.focal(t, p, alpha=a, gamma=gamma, class_balanced=bal))
        np.testing.assert_allclose(d["total"], public, rtol=1e-6)
        px = focal_px(t, p, a, gamma, bal)
        np.testing.assert_allclose(d["positive_share"], px[t > 0.5].sum() / px.sum(), rtol=1e-4)
    # the class-balanced alpha really moves the share (0.25 on positives lowers it)
    assert out["class_balanced"]["positive_share"] < out["scalar"]["positive_share"] - 0.05
    assert out["n_positive"] == int(t.sum()) and out["n_negative"] == t.size - int(t.sum())


# ---------------------------------------------------------------- tversky
def test_tversky_weighted_terms(pair):
    t, p = pair
    d = teaching.tversky.tversky_weighted_terms(t, p, alpha=0.3, beta=0.7, smooth=1e-3)
    tp, fp, fn = counts(t, p)
    np.testing.assert_allclose([d["TP"], d["FP"], d["FN"]], [tp, fp, fn], rtol=1e-5)
    np.testing.assert_allclose([d["alpha_FP"], d["beta_FN"]], [0.3 * fp, 0.7 * fn], rtol=1e-5)
    np.testing.assert_allclose(d["denominator"], tp + 0.3 * fp + 0.7 * fn + 1e-3, rtol=1e-5)
    np.testing.assert_allclose(d["index"], 1 - tversky_ref(t, p, 0.3, 0.7, 1e-3), rtol=1e-5)
    np.testing.assert_allclose(
        d["loss"], float(losses.tversky(t, p, alpha=0.3, beta=0.7, smooth=1e-3)), rtol=1e-6
    )


def _dilate_ref(m, r):
    """Square dilation by shifting (written independently of max_pool)."""
    h, w = m.shape
    pad = np.pad(m, r)
    out = np.zeros_like(m)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            out = np.maximum(out, pad[r + dy : r + dy + h, r + dx : r + dx + w])
    return out


def _erode_ref(m, r):
    h, w = m.shape
    pad = np.pad(m, r, constant_values=1.0)  # outside the image does not erode
    out = np.ones_like(m)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            out = np.minimum(out, pad[r + dy : r + dy + h, r + dx : r + dx + w])
    return out


@pytest.mark.parametrize("amount", [0, 1, 3])
def test_make_candidates(amount):
    t = disk(32, 8)
    t[0:3, 0:5] = 1.0  # an object touching the border
    c = teaching.candidates.make_candidates(t, amount)
    np.testing.assert_array_equal(c["over"], _dilate_ref(t, amount))
    np.testing.assert_array_equal(c["under"], _erode_ref(t, amount))
    assert np.all(c["over"] >= t) and np.all(c["under"] <= t)
    assert c["fp"] == float(((c["over"] == 1) & (t == 0)).sum())
    assert c["fn"] == float(((c["under"] == 0) & (t == 1)).sum())
    if amount:
        assert 0.5 < c["fn"] / c["fp"] < 1.0  # comparable, dilation slightly larger
    batch = teaching.candidates.make_candidates(np.stack([t, t])[..., None], amount)
    assert batch["over"].shape == (2, 32, 32, 1)
    np.testing.assert_array_equal(batch["over"][1, ..., 0], c["over"])


def test_make_candidates_rejects_bad_amount():
    with pytest.raises(ValueError, match="amount"):
        teaching.candidates.make_candidates(disk(8, 2), -1)


@pytest.fixture(scope="module")
def candidates():
    t = disk(32, 8)
    c = teaching.candidates.make_candidates(t, 2)
    return t, c["over"], c["under"]


def test_tversky_preference_grid_equals_public_loss(candidates):
    t, over, under = candidates
    alphas, betas = [0.0, 0.3, 0.9], [0.1, 0.5, 0.7, 1.0]
    out = teaching.tversky.tversky_preference(t, over, under, alphas, betas, smooth=1e-6)
    assert out["loss_a"].shape == (4, 3)
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            la = float(losses.tversky(t, over, alpha=a, beta=b))
            lb = float(losses.tversky(t, under, alpha=a, beta=b))
            np.testing.assert_allclose(out["loss_a"][i, j], la, rtol=1e-6, atol=1e-7)
            np.testing.assert_allclose(out["loss_b"][i, j], lb, rtol=1e-6, atol=1e-7)
            assert out["a_preferred"][i, j] == (la < lb)
    np.testing.assert_allclose(out["diff"], out["loss_a"] - out["loss_b"])
    tp_a, fp_a, fn_a = counts(t, over)
    tp_b, fp_b, fn_b = counts(t, under)
    s = 1e-6
    np.testing.assert_allclose(out["coef_alpha"], (tp_a + s) * fp_b - (tp_b + s) * fp_a, rtol=1e-6)
    np.testing.assert_allclose(out["coef_beta"], (tp_a + s) * fn_b - (tp_b + s) * fn_a, rtol=1e-6)
    # over-segmented wins when misses cost more: above the line
    assert out["a_preferred_above"] and out["slope"] > 0


def test_tversky_preference_flips_exactly_at_the_crossing(candidates):
    t, over, under = candidates
    alphas = np.array([0.1, 0.3, 0.5])
    out = teaching.tversky.tversky_preference(t, over, under, alphas, [0.5])
    np.testing.assert_allclose(
        out["beta_star"],
        teaching.tversky.crossing_beta(alphas, out["coef_alpha"], out["coef_beta"]),
    )
    for a, b_star in zip(alphas, out["beta_star"], strict=True):
        assert 0 < b_star < 2
        delta = 1e-3 * b_star
        diff = {}
        for side, b in (("below", b_star - delta), ("at", b_star), ("above", b_star + delta)):
            diff[side] = float(losses.tversky(t, over, alpha=a, beta=b)) - float(
                losses.tversky(t, under, alpha=a, beta=b)
            )
        assert diff["below"] > 0 > diff["above"]  # B preferred below, A above
        assert abs(diff["at"]) < 1e-6 < abs(diff["below"])


def test_crossing_beta_degenerate():
    assert np.isnan(teaching.tversky.crossing_beta([0.1, 0.2], 1.0, 0.0)).all()


# ---------------------------------------------------------------- focal tversky
def test_focal_tversky_curve():
    ti = np.array([0.0, 0.2, 0.5, 0.9, 0.999, 1.0])
    gammas = np.array([0.75, 1.0, 4 / 3, 2.0])
    out = teaching.focal_tversky.focal_tversky_curve(ti, gammas)
    x = 1 - ti
    inner = x < 1 - 1e-9
    for i, g in enumerate(gammas):
        np.testing.assert_allclose(out["blog"][i], x**g, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(out["paper"][i], x ** (1 / g), rtol=1e-5, atol=1e-7)
        live = x > 0
        np.testing.assert_allclose(out["blog_grad"][i][live], g * x[live] ** (g - 1), rtol=1e-4)
        np.testing.assert_allclose(
            out["paper_grad"][i][live], (1 / g) * x[live] ** (1 / g - 1), rtol=1e-4
        )
        assert out["blog_grad"][i][-1] == 0 and out["paper_grad"][i][-1] == 0  # TI = 1: safe_pow
    assert inner.any()
    # the paper's 4/3 is the blog's 0.75
    np.testing.assert_allclose(out["paper"][2], out["blog"][0], rtol=1e-6)
    assert teaching.focal_tversky.blog_gamma_from_paper(4 / 3) == pytest.approx(0.75)
    np.testing.assert_allclose(out["paper_as_blog_gamma"], 1 / gammas)
    # gamma < 1 pushes hardest near a good prediction, gamma > 1 near a bad one
    assert out["blog_grad"][0][3] > out["blog_grad"][0][1]
    assert out["blog_grad"][3][3] < out["blog_grad"][3][1]


def test_focal_tversky_curve_matches_public_loss(pair):
    t, p = pair
    ti = 1 - float(losses.tversky(t, p, alpha=0.3, beta=0.7))
    out = teaching.focal_tversky.focal_tversky_curve([ti], [0.75, 2.0])
    for i, g in enumerate([0.75, 2.0]):
        public = float(losses.focal_tversky(t, p, alpha=0.3, beta=0.7, gamma=g))
        np.testing.assert_allclose(out["blog"][i, 0], public, rtol=1e-5)


# ---------------------------------------------------------------- combo
def test_combo_parts(pair):
    t, p = pair
    d = teaching.combo.combo_parts(t, p, alpha=0.7, ce_ratio=0.4, smooth=1e-6)
    np.testing.assert_allclose(d["ce_term"] + d["dice_term"], d["total"], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(d["wce_positive"] + d["wce_negative"], d["wce"], rtol=1e-5)
    np.testing.assert_allclose(
        d["total"], float(losses.combo(t, p, alpha=0.7, ce_ratio=0.4)), rtol=1e-6
    )
    wce = wce_px(t, p, 0.7)
    np.testing.assert_allclose(d["wce"], wce.mean(), rtol=1e-5)
    np.testing.assert_allclose(d["wce_positive"], wce[t > 0.5].sum() / t.size, rtol=1e-5)
    np.testing.assert_allclose(d["dsc"], 1 - dice_ref(t, p), rtol=1e-5)
    assert d["minimum"] == pytest.approx(-0.6)
    assert d["negative"] == (d["total"] < 0)
    best = teaching.combo.combo_parts(t, t, alpha=0.7, ce_ratio=0.4)
    assert best["total"] == pytest.approx(best["minimum"], abs=1e-5)
    assert best["negative"] and d["total"] > best["total"]


def test_combo_grid_equals_public_loss(pair):
    t, p = pair
    alphas, ratios = [0.0, 0.5, 0.9], [0.0, 0.3, 1.0]
    out = teaching.combo.combo_grid(t, p, alphas, ratios)
    assert out["loss"].shape == (3, 3)
    for i, r in enumerate(ratios):
        for j, a in enumerate(alphas):
            np.testing.assert_allclose(
                out["loss"][i, j],
                float(losses.combo(t, p, alpha=a, ce_ratio=r)),
                rtol=1e-5,
                atol=1e-7,
            )
    np.testing.assert_allclose(out["minimum"], [-1.0, -0.7, 0.0])
    np.testing.assert_allclose(out["wce"], [wce_px(t, p, a).mean() for a in alphas], rtol=1e-5)
    np.testing.assert_allclose(out["dsc"], 1 - dice_ref(t, p), rtol=1e-5)


# ---------------------------------------------------------------- compare
PARAMS = {"focal": {"alpha": 0.25, "class_balanced": True}, "tversky": {"alpha": 0.3, "beta": 0.7}}


def _public(key, t, p, params):
    return float(getattr(losses, key)(t, p, **params.get(key, {})))


def test_compare_losses_equals_individual_functions(pair):
    t, p = pair
    out = teaching.compare.compare_losses(t, p, PARAMS)
    assert out["keys"] == list(teaching.registry.ALL_KEYS)
    half = np.full_like(p, 0.5)
    for k in out["keys"]:
        np.testing.assert_allclose(out["raw"][k], _public(k, t, p, PARAMS), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(
            out["perfect"][k], _public(k, t, t, PARAMS), rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(
            out["know_nothing"][k], _public(k, t, half, PARAMS), rtol=1e-5, atol=1e-7
        )
        rel = (out["raw"][k] - out["perfect"][k]) / (out["know_nothing"][k] - out["perfect"][k])
        np.testing.assert_allclose(out["relative"][k], rel, rtol=1e-9)
    np.testing.assert_allclose(out["perfect"]["combo"], -0.5, atol=1e-5)
    assert out["params"]["focal"]["class_balanced"] is True
    same = teaching.compare.compare_losses(t, t)
    np.testing.assert_allclose(list(same["relative"].values()), 0.0, atol=1e-6)
    know = teaching.compare.compare_losses(t, np.full_like(t, 0.5))
    np.testing.assert_allclose(list(know["relative"].values()), 1.0, rtol=1e-6)


def test_compare_losses_rejects_unknown_names(pair):
    t, p = pair
    with pytest.raises(ValueError):
        teaching.compare.compare_losses(t, p, {"dice": {"alpha": 0.3}})
    with pytest.raises(ValueError):
        teaching.compare.compare_losses(t, p, {"nope": {}})


def test_rank_candidates(candidates):
    t, over, under = candidates
    cands = {"over": over, "under": under, "perfect": t}
    # Tversky weighted towards FP prefers the eroded mask, Focal Tversky weighted towards FN
    # the dilated one: L_under = b FN / (A - FN + b FN), L_over = a FP / (A + a FP)
    params = {
        "tversky": {"alpha": 0.9, "beta": 0.1},
        "focal_tversky": {"alpha": 0.1, "beta": 0.9, "gamma": 0.75},
    }
    out = teaching.compare.rank_candidates(t, cands, params)
    for k in out["keys"]:
        for name, pred in cands.items():
            np.testing.assert_allclose(
                out["values"][k][name], _public(k, t, pred, params), rtol=1e-5, atol=1e-6
            )
        assert out["ranks"][k]["perfect"] == 1 and out["best"][k] == "perfect"
        vals = out["values"][k]
        assert [vals[n] for n in out["order"][k]] == sorted(vals.values())
    assert out["ranks"]["tversky"]["under"] < out["ranks"]["tversky"]["over"]
    assert out["ranks"]["focal_tversky"]["over"] < out["ranks"]["focal_tversky"]["under"]
    assert out["disagree"] and not out["disagree_best"]
    (conflict,) = out["conflicts"]
    assert (conflict["a"], conflict["b"]) == ("over", "under")
    assert "focal_tversky" in conflict["prefer_a"] and "tversky" in conflict["prefer_b"]
    agree = teaching.compare.rank_candidates(
        t, {"perfect": t, "empty": np.zeros_like(t)}, keys=("dice", "iou", "tversky")
    )
    assert not agree["disagree"] and not agree["conflicts"]


# ---------------------------------------------------------------- imbalance
def test_imbalance_masks_have_exact_counts():
    m = teaching.compare.imbalance_masks(
        [0.3, 0.05, 0.004], relative_error=0.2, size=40, shape="disk", confidence=0.9
    )
    t, p = m["y_true"], m["y_pred"]
    assert t.shape == p.shape == (3, 40, 40)
    area = np.rint(np.array([0.3, 0.05, 0.004]) * 1600).astype(int)
    np.testing.assert_array_equal(m["object_pixels"], area)
    np.testing.assert_array_equal(t.reshape(3, -1).sum(1), area)
    k = np.rint(0.2 * area).astype(int)
    np.testing.assert_array_equal(m["fn_pixels"], k)
    np.testing.assert_array_equal(m["fp_pixels"], k)
    flat_t, flat_p = t.reshape(3, -1), p.reshape(3, -1)
    np.testing.assert_array_equal(((flat_t == 1) & np.isclose(flat_p, 0.1)).sum(1), k)
    np.testing.assert_array_equal(((flat_t == 0) & np.isclose(flat_p, 0.9)).sum(1), k)
    levels = np.unique(p)
    assert np.isclose(levels[:, None], [0.0, 0.1, 0.9]).any(axis=1).all()
    sq = teaching.compare.imbalance_masks([0.25], size=16, shape="square", confidence=1.0)
    ys, xs = np.nonzero(sq["y_true"][0])
    assert ys.max() - ys.min() == 7 and xs.max() - xs.min() == 7  # a 8 x 8 square
    with pytest.raises(ValueError):
        teaching.compare.imbalance_masks([0.6])


def test_imbalance_sweep_matches_per_fraction_tape():
    fractions = [0.3, 0.05, 0.01]
    out = teaching.compare.imbalance_sweep(
        fractions, relative_error=0.2, size=40, params_by_key=PARAMS
    )
    m = teaching.compare.imbalance_masks(fractions, relative_error=0.2, size=40)
    for k in out["keys"]:
        for i in range(len(fractions)):
            t = m["y_true"][i]
            p = tf.clip_by_value(tf.constant(m["y_pred"][i]), 1e-7, 1 - 1e-7)
            with tf.GradientTape() as tape:
                tape.watch(p)
                value = getattr(losses, k)(t, p, **PARAMS.get(k, {}))
            g = tape.gradient(value, p).numpy()
            np.testing.assert_allclose(out["loss"][k][i], float(value), rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(out["grad_fg"][k][i], np.abs(g)[t > 0].mean(), rtol=1e-4)
        np.testing.assert_allclose(
            out["grad_fg_ratio"][k], out["grad_fg"][k] / out["grad_fg"][k][0]
        )
    # pixel-averaged losses fade with the object; Dice keeps its value and sharpens its gradient
    assert out["loss"]["bce"][2] < 0.1 * out["loss"]["bce"][0]
    np.testing.assert_allclose(out["loss"]["dice"], out["loss"]["dice"][0], rtol=0.1)
    assert out["grad_fg"]["dice"][2] > 10 * out["grad_fg"]["dice"][0]


def test_batch_vs_image_dice_by_hand():
    s = 1e-6
    out = teaching.compare.batch_vs_image_dice(
        size=40, large_fraction=0.25, small_fraction=0.01, relative_error=0.2, smooth=s
    )
    a1, a2 = 400, 16
    k1, k2 = 80, 3  # round(0.2 * 400), round(0.2 * 16)
    np.testing.assert_array_equal(out["object_pixels"], [a1, a2])
    # binary predictions with k missed and k added: TP = A - k, sum t = sum p = A
    d1 = 1 - (2 * (a1 - k1) + s) / (2 * a1 + s)
    d2 = 1 - (2 * (a2 - k2) + s) / (2 * a2 + s)
    pooled = 1 - (2 * (a1 - k1 + a2 - k2) + s) / (2 * (a1 + a2) + s)
    missed2 = 1 - s / (a2 + s)
    pooled_missed = 1 - (2 * (a1 - k1) + s) / (2 * a1 + a2 + s)
    np.testing.assert_allclose(out["per_image"], [[d1, d2], [d1, missed2]], rtol=1e-5)
    np.testing.assert_allclose(out["pooled"], [pooled, pooled_missed], rtol=1e-5)
    np.testing.assert_allclose(
        out["per_image_mean"], [(d1 + d2) / 2, (d1 + missed2) / 2], rtol=1e-5
    )
    np.testing.assert_allclose(out["pooled_change"], pooled_missed - pooled, rtol=1e-4)
    np.testing.assert_allclose(out["counts"][1, 1], [0, 0, a2])
    for c in range(2):
        np.testing.assert_allclose(
            out["pooled"][c], float(losses.dice(out["y_true"], out["y_pred"][c])), rtol=1e-6
        )
        np.testing.assert_allclose(
            out["per_image_mean"][c],
            float(losses.dice(out["y_true"], out["y_pred"][c], per_image=True)),
            rtol=1e-6,
        )
    assert out["per_image_change"] > 10 * out["pooled_change"] > 0
