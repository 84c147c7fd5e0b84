"""The family tree's maths: every exact place is the named loss, every other place is
labelled with a reason and its gap is what the relation says, and the dials land where
the "take me to" controls promise."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import losses
from teaching import family
from tests import _ref

DIALS = [
    {"lambda_": 0.5, "delta": 0.6, "gamma": 0.5, "symmetric": False},
    {"lambda_": 0.5, "delta": 0.6, "gamma": 0.5, "symmetric": True},
    {"lambda_": 0.2, "delta": 0.3, "gamma": 0.8, "symmetric": True},
    {"lambda_": 0.9, "delta": 0.75, "gamma": 0.0, "symmetric": False},
    {"lambda_": 1.0, "delta": 0.25, "gamma": 1.0, "symmetric": True},
    {"lambda_": 0.0, "delta": 0.5, "gamma": 0.0, "symmetric": False, "smooth": 1.0},
]


def random_masks(seed: int, shape=(2, 24, 24), fg=0.15):
    rng = np.random.default_rng(seed)
    t = (rng.random(shape) < fg).astype(np.float32)
    p = np.clip(t * 0.7 + rng.random(shape) * 0.4 - 0.05, 0.0, 1.0).astype(np.float32)
    return t, p


def own_function(key, t, p, **params):
    return float(getattr(losses, key)(t, p, **params))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dials", DIALS, ids=str)
def test_every_exact_place_is_the_named_loss_by_its_own_function(seed, dials):
    t, p = random_masks(seed)
    evaluated = family.evaluate(t, p, dials)
    exact = [k for k, e in evaluated.items() if e["exact"]]
    for key in exact:
        pl = evaluated[key]["place"]
        unified = float(losses.unified_focal(t, p, **pl.setting))
        assert unified == pytest.approx(own_function(key, t, p, **pl.params), rel=1e-5, abs=1e-6)
        assert evaluated[key]["gap"] == pytest.approx(0.0, abs=1e-5)


def test_which_places_are_exact():
    """Focal in the symmetric form (or at gamma = 0); Combo only at ce_ratio = 1."""
    t, p = random_masks(0)

    def exact_keys(**dials):
        return {k for k, e in family.evaluate(t, p, dials).items() if e["exact"]}

    assert exact_keys(symmetric=True) == {"focal"}
    assert exact_keys(symmetric=False) == set()
    assert exact_keys(symmetric=False, gamma=0.0) == {"focal"}
    assert exact_keys(lambda_=1.0, gamma=0.0) == {"focal", "combo"}
    soft = np.round(t * 0.75 + 0.1, 2)  # a soft ground truth: focal's p_t form differs
    assert not family.evaluate(soft, p, {"symmetric": True})["focal"]["exact"]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dials", DIALS, ids=str)
def test_every_approximate_place_is_labelled_and_its_gap_is_explained(seed, dials):
    t, p = random_masks(seed)
    for key, e in family.evaluate(t, p, dials).items():
        pl = e["place"]
        unified = float(losses.unified_focal(t, p, **pl.setting))
        named = own_function(key, t, p, **pl.params)
        assert e["unified"] == pytest.approx(unified, rel=1e-5, abs=1e-6)
        assert e["named"] == pytest.approx(named, rel=1e-5, abs=1e-6)
        if e["exact"]:
            continue
        assert pl.reason, key
        assert e["gap"] == pytest.approx(unified - named, abs=2e-5)
        assert abs(e["gap"]) > 1e-4, (key, "an approximate place with no visible gap")
        if pl.relation is not None:
            # the gap is made of named losses computed by their own functions
            assert e["explained"] == pytest.approx(unified, rel=1e-5, abs=2e-6), key


def test_the_background_terms_are_the_named_losses_of_the_inverted_masks():
    """Dice / Tversky / Focal Tversky: unified = loss(t, p) + loss(1 - t, 1 - p)."""
    t, p = random_masks(4)
    tb, pb = 1.0 - t, 1.0 - p
    s = 1e-6
    for form in (False, True):
        d = {"delta": 0.7, "gamma": 0.25, "symmetric": form}
        ft = dict(alpha=0.3, beta=0.7, gamma=0.75, smooth=s)
        bg = (
            own_function("focal_tversky", tb, pb, **ft)
            if form
            else own_function("tversky", tb, pb, alpha=0.3, beta=0.7, smooth=s)
        )
        unified = float(losses.unified_focal(t, p, lambda_=0.0, **d))
        assert unified == pytest.approx(own_function("focal_tversky", t, p, **ft) + bg, rel=1e-5)
    dice_sum = own_function("dice", t, p, smooth=2 * s) + own_function("dice", tb, pb, smooth=2 * s)
    unified = float(losses.unified_focal(t, p, lambda_=0.0, delta=0.5, gamma=0.0))
    assert unified == pytest.approx(dice_sum, rel=1e-5)


def test_the_exact_focal_place_matches_the_float64_focal_formula():
    """Not only the package against itself: against the float64 transcription of Focal."""
    t, p = random_masks(5)
    for delta, gamma in itertools.product((0.25, 0.6), (0.0, 0.5, 1.0)):
        pl = family.place("focal", {"delta": delta, "gamma": gamma, "symmetric": True})
        unified = float(losses.unified_focal(t, p, **pl.setting))
        want = _ref.focal(t, p, alpha=delta, gamma=gamma, class_balanced=True)
        assert unified == pytest.approx(want, rel=1e-5)


def test_combo_sits_one_minus_ce_ratio_plus_the_background_dice_above_the_family():
    t, p = random_masks(6)
    for r in (0.0, 0.3, 0.5, 0.9):
        unified = float(losses.unified_focal(t, p, lambda_=r, delta=0.5, gamma=0.0))
        combo = own_function("combo", t, p, alpha=0.5, ce_ratio=r, smooth=2e-6)
        bg = own_function("dice", 1 - t, 1 - p, smooth=2e-6)
        assert unified - combo == pytest.approx((1 - r) * (1 + bg), abs=2e-5)


def test_bce_dice_is_three_times_the_family_at_two_thirds_minus_the_background_dice():
    t, p = random_masks(7)
    unified = float(losses.unified_focal(t, p, lambda_=2 / 3, delta=0.5, gamma=0.0))
    bg = own_function("dice", 1 - t, 1 - p, smooth=2e-6)
    assert 3 * unified - bg == pytest.approx(own_function("bce_dice", t, p, smooth=2e-6), 1e-5)


def test_iou_is_outside_the_family():
    """IoU = 2 D / (1 + D) of the Dice loss D: no setting reproduces it."""
    t, p = random_masks(8)
    d = own_function("dice", t, p)
    assert own_function("iou", t, p) == pytest.approx(2 * d / (1 + d), rel=1e-5)
    pl = family.place("iou")
    assert pl.relation is None and pl.reason == "iou_outside" and not pl.exact


# ------------------------------------------------------------------ nearest and take me to
@pytest.mark.parametrize("key", family.TAKE_ME_TO)
@pytest.mark.parametrize("start", DIALS, ids=str)
def test_take_me_to_lands_on_the_named_loss(key, start):
    t, p = random_masks(9)
    dials = family.take_me_to(key, start)
    assert family.nearest(dials) == key
    shown = family.at_dials(t, p, dials)
    assert shown["nearest"] == key and shown["on_place"]
    pl = family.place(key, dials)
    assert shown["named"] == pytest.approx(own_function(key, t, p, **pl.params), rel=1e-5)
    assert shown["unified"] == pytest.approx(float(losses.unified_focal(t, p, **dials)), 1e-5)
    if key == "focal":
        assert shown["difference"] == pytest.approx(0.0, abs=1e-6)
    else:
        explained = family.evaluate(t, p, dials)[key]["explained"]
        assert shown["unified"] == pytest.approx(explained, rel=1e-5)


def test_take_me_to_moves_only_the_dials_the_loss_fixes():
    start = {"lambda_": 0.3, "delta": 0.65, "gamma": 0.4, "symmetric": False}
    assert family.take_me_to("focal", start) == family.settings(
        {**start, "lambda_": 1.0, "symmetric": True}
    )
    assert family.take_me_to("tversky", start)["delta"] == 0.65
    assert family.take_me_to("tversky", {**start, "delta": 0.5})["delta"] == 0.7
    assert family.take_me_to("focal_tversky", {**start, "gamma": 0.0})["gamma"] == 0.25
    assert family.take_me_to("focal", {**start, "gamma": 0.0})["gamma"] == 0.5
    assert family.take_me_to("combo", {**start, "lambda_": 1.0})["lambda_"] == 0.5
    with pytest.raises(ValueError, match="take me to"):
        family.take_me_to("iou")


@pytest.mark.parametrize(
    "dials, want",
    [
        ({"lambda_": 0.0, "delta": 0.5, "gamma": 0.0}, "dice"),
        ({"lambda_": 0.0, "delta": 0.7, "gamma": 0.0}, "tversky"),
        ({"lambda_": 0.0, "delta": 0.7, "gamma": 0.25}, "focal_tversky"),
        ({"lambda_": 0.05, "delta": 0.7, "gamma": 0.6}, "focal_tversky"),
        ({"lambda_": 1.0, "delta": 0.7, "gamma": 0.6}, "focal"),
        ({"lambda_": 0.65, "delta": 0.5, "gamma": 0.0}, "bce_dice"),
        ({"lambda_": 0.4, "delta": 0.5, "gamma": 0.0}, "combo"),
    ],
)
def test_nearest_prefers_the_most_specific_place_it_reaches(dials, want):
    assert family.nearest(dials) == want


def test_the_grid_is_the_public_function():
    t, p = random_masks(10)
    lams, deltas = [0.0, 0.35, 1.0], [0.2, 0.6]
    dials = {"gamma": 0.3, "symmetric": True}
    grid = family.lambda_delta_grid(t, p, lams, deltas, dials)
    for i, d in enumerate(deltas):
        for j, lam in enumerate(lams):
            want = float(
                losses.unified_focal(t, p, lambda_=lam, delta=d, gamma=0.3, symmetric=True)
            )
            assert grid[i, j] == pytest.approx(want, rel=2e-5, abs=2e-6)


def test_bad_dials_are_refused_or_clamped():
    assert family.settings({"gamma": 7})["gamma"] == 1.0  # a link's 7 comes back in range
    with pytest.raises(ValueError):
        family.settings({"delta": "abc"})
    with pytest.raises(ValueError, match="no parameter"):
        family.settings({"alpha": 0.5})
    with pytest.raises(ValueError, match="seven"):
        family.place("bce")


def test_the_formula_follows_the_form():
    asym = family.formula_tex({"lambda_": 0.3, "delta": 0.7, "gamma": 0.25})
    sym = family.formula_tex({"lambda_": 0.3, "delta": 0.7, "gamma": 0.25, "symmetric": True})
    assert "0.3" in asym and "0.7" in asym and "0.75" in asym
    assert "(1-p)^{0.25}" in sym and "(1-p)^{0.25}" not in asym
    assert sym.count("^{0.75}") == 2 and asym.count("^{0.75}") == 1
