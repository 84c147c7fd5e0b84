"""teaching.challenges: every challenge has a state that solves it and one that does not, and its
numbers are the public losses' values."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from teaching import challenges
from ui.masks import presets

N = 256


def square(lo: int, hi: int) -> np.ndarray:
    m = np.zeros((N, N), np.float32)
    m[lo:hi, lo:hi] = 1.0
    return m


def disk(r: float, cy: float = 128, cx: float = 128) -> np.ndarray:
    yy, xx = np.mgrid[0:N, 0:N]
    return (((yy - cy) ** 2 + (xx - cx) ** 2) <= r * r).astype(np.float32)


def solve(key, t, p, **settings) -> challenges.Result:
    return challenges.check(key, t, p, settings)


def test_there_are_at_least_eight_challenges_and_each_names_real_parameters():
    assert len(challenges.CHALLENGES) >= 8
    for c in challenges.CHALLENGES.values():
        c.defaults()  # every (loss, parameter) pair exists in the registry


def test_dice_good_bce_bad():
    t = square(20, 120)  # 10,000 object pixels
    alarms = np.zeros((N, N), np.float32)
    alarms[150:200, 150:202] = 1.0  # 2,600 certain false alarms
    solved = solve("dice_good_bce_bad", t, np.maximum(t, alarms))
    assert solved.solved
    assert solved.numbers["bce"] == pytest.approx(float(losses.bce(t, np.maximum(t, alarms))))
    assert not solve("dice_good_bce_bad", t, t).solved  # perfect: BCE far below 0.5


def test_tversky_prefers_over_follows_alpha_and_beta():
    t = disk(30)
    assert solve("tversky_prefers_over", t, t, **{"tversky.alpha": 0.2, "tversky.beta": 0.9}).solved
    r = solve("tversky_prefers_over", t, t, **{"tversky.alpha": 0.9, "tversky.beta": 0.2})
    assert not r.solved and r.numbers["over"] > r.numbers["under"]
    tiny = solve("tversky_prefers_over", disk(2), disk(2))
    assert not tiny.solved and tiny.numbers["too_small"]


def test_focal_easy_share_needs_a_large_gamma():
    t = disk(40)
    p = np.where(t > 0, 0.75, 0.25).astype(np.float32)  # every pixel easy but unsure
    p[10:20, 10:30] = 0.95  # 200 hard false alarms
    at_zero = solve("focal_easy_share", t, p, **{"focal.gamma": 0.0, "focal.alpha": 0.8})
    at_five = solve("focal_easy_share", t, p, **{"focal.gamma": 5.0, "focal.alpha": 0.8})
    assert not at_zero.solved and at_zero.numbers["easy_share"] > 0.5
    assert at_five.solved and at_five.numbers["easy_share"] < 0.10


def test_combo_negative():
    t = disk(30)
    assert solve("combo_negative", t, t).solved
    r = solve("combo_negative", t, 1.0 - t)
    assert not r.solved and r.numbers["combo"] == pytest.approx(float(losses.combo(t, 1.0 - t)))


def test_iou_harsher_holds_exactly_when_tp_covers_the_errors():
    t = square(50, 150)
    good = t.copy()
    good[50:60, 50:150] = 0.0  # 1,000 misses of 10,000
    assert solve("iou_harsher", t, good).solved
    poor = np.roll(t, 70, axis=1)  # 3,000 of 10,000 still overlap
    assert not solve("iou_harsher", t, poor).solved


def test_beta_matters_more_on_an_under_segmentation():
    t = disk(40)
    under, over = disk(30), disk(50)
    assert solve("beta_matters_more", t, under).solved
    assert not solve("beta_matters_more", t, over).solved


def test_focal_tversky_higher_needs_gamma_below_one():
    t, p = presets.load_preset("shifted")
    assert solve("focal_tversky_higher", t, p, **{"focal_tversky.gamma": 0.5}).solved
    assert not solve("focal_tversky_higher", t, p, **{"focal_tversky.gamma": 1.0}).solved
    assert not solve("focal_tversky_higher", t, p, **{"focal_tversky.gamma": 2.0}).solved


def test_balanced_foreground_follows_alpha():
    t, p = presets.load_preset("shifted")
    high = solve("balanced_foreground", t, p, **{"focal.alpha": 0.95, "focal.gamma": 2.0})
    low = solve("balanced_foreground", t, p, **{"focal.alpha": 0.05, "focal.gamma": 2.0})
    assert high.numbers["share"] > low.numbers["share"]
    assert high.solved and not low.solved


def test_the_smallest_noticed_radius_is_the_threshold():
    pooled = {r: challenges.missed_object_dice(r)["pooled"] for r in range(1, 25)}
    first = min(r for r, v in pooled.items() if v > challenges.NOTICED)
    empty = np.zeros((N, N), np.float32)
    assert solve("smallest_noticed", empty, empty, radius=float(first)).solved
    assert not solve("smallest_noticed", empty, empty, radius=float(first + 1)).solved
    assert not solve("smallest_noticed", empty, empty, radius=float(first - 1)).solved
    # by hand: pooled Dice of the batch is the missed area over (2 x large area + missed area)
    d = challenges.missed_object_dice(float(first))
    large = float(disk(24.0, 63.5, 63.5)[:128, :128].sum())
    assert d["pooled"] == pytest.approx(d["area"] / (2 * large + d["area"]), rel=1e-5)
    assert d["per_image"] == pytest.approx(0.5, abs=1e-5)  # one image perfect, one a total miss
