"""Every entry of a live slider's slice is the public loss function at that step.

The slices are what the browser shows while a slider is dragged; on release
the page shows the public function's value. Both must agree, entry by entry,
for every loss and every numeric parameter, with the other parameters away
from their defaults (a slice that ignored them would fail).
"""

from __future__ import annotations

import numpy as np
import pytest

import losses
from teaching import slices
from teaching.registry import ALL_SPECS, get

RNG = np.random.default_rng(14)
Y_TRUE = (RNG.random((2, 12, 12)) > 0.7).astype(np.float32)
Y_PRED = np.clip(0.6 * Y_TRUE + 0.5 * RNG.random((2, 12, 12)), 0.0, 1.0).astype(np.float32)

# The other parameters at a setting that is neither the blog's nor the paper's.
OFF_DEFAULT = {
    "alpha": 0.35,
    "beta": 0.65,
    "gamma": 1.3,
    "ce_ratio": 0.7,
    "smooth": 0.01,
    "lambda_": 0.4,
    "delta": 0.7,
    "class_balanced": True,
    "symmetric": False,
}

CASES = [(key, p.name) for key, spec in ALL_SPECS.items() for p in spec.numeric_params]


def _others(key: str) -> dict:
    # brought into each range (the Unified Focal gamma stops at 1)
    return {p.name: p.clamp(OFF_DEFAULT[p.name]) for p in get(key).params}


@pytest.mark.parametrize(("key", "name"), CASES, ids=[f"{k}-{n}" for k, n in CASES])
def test_every_entry_equals_the_public_function(key, name):
    spec = get(key)
    others = _others(key)
    s = slices.param_slice(key, Y_TRUE, Y_PRED, name, others)
    assert s.values == slices.param_steps(spec.param(name))
    fn = getattr(losses, spec.function)
    for value, got in zip(s.values, s.losses, strict=True):
        want = float(fn(Y_TRUE, Y_PRED, **{**others, name: value}))
        assert got == pytest.approx(want, rel=2e-6, abs=2e-6), (name, value)


def test_steps_cover_the_registry_range_exactly():
    gamma = get("focal").param("gamma")
    steps = slices.param_steps(gamma)
    assert steps[0] == gamma.lo and steps[-1] == gamma.hi
    assert len(steps) == 51 and 2.3 in steps  # written as the app writes them, no float noise
    assert slices.param_steps(get("dice").param("smooth")) == get("dice").param("smooth").choices


def test_page_slices_has_every_numeric_parameter_and_index_of_finds_the_step():
    out = slices.page_slices("focal_tversky", Y_TRUE, Y_PRED, _others("focal_tversky"))
    assert set(out) == {"alpha", "beta", "gamma", "smooth"}
    g = out["gamma"]
    assert g.values[g.index_of(1.3)] == 1.3
    assert g.index_of(99.0) == len(g.values) - 1


def test_a_switch_has_no_steps():
    with pytest.raises(ValueError, match="switch"):
        slices.param_steps(get("focal").param("class_balanced"))


def test_focal_steps_match_the_split_at_each_gamma():
    from teaching import focal

    prm = {"alpha": 0.35, "gamma": 2.0, "class_balanced": True}
    steps = slices.focal_steps(Y_TRUE, Y_PRED, prm)["gamma"]
    gammas = slices.param_steps(get("focal").param("gamma"))
    for i in (0, 7, 23, len(gammas) - 1):
        one = focal.focal_easy_hard_split(Y_TRUE, Y_PRED, [gammas[i]], 0.35, True)
        assert steps["hard_share"][i] == pytest.approx(one["hard_share"][0], rel=1e-5)
        assert steps["easy"][i] + steps["hard"][i] == pytest.approx(
            float(losses.focal(Y_TRUE, Y_PRED, alpha=0.35, gamma=gammas[i], class_balanced=True)),
            rel=1e-5,
        )
        assert steps["kept_hard"][i] == pytest.approx(0.9 ** gammas[i])
        # the family member at this gamma: one foreground pixel's focal loss (alpha = 1)
        for k in (0, 24, 49):
            pt = slices.FAMILY_P_T[k]
            want = float(losses.focal(np.ones(1), np.full(1, pt), alpha=1.0, gamma=gammas[i]))
            assert steps["family"][i][k] == pytest.approx(want, rel=1e-5, abs=1e-7)


def test_tversky_steps_match_the_weighted_terms():
    from teaching import tversky

    prm = {"alpha": 0.3, "beta": 0.7, "smooth": 1e-6}
    out = slices.tversky_steps(Y_TRUE, Y_PRED, prm)
    alphas = slices.param_steps(get("tversky").param("alpha"))
    for i in (0, 5, len(alphas) - 1):
        want = tversky.tversky_weighted_terms(Y_TRUE, Y_PRED, alphas[i], 0.7)
        assert out["alpha"]["alpha_FP"][i] == pytest.approx(want["alpha_FP"], rel=1e-5)
        assert out["alpha"]["beta_FN"][i] == pytest.approx(want["beta_FN"], rel=1e-5)
        want_b = tversky.tversky_weighted_terms(Y_TRUE, Y_PRED, 0.3, alphas[i])
        assert out["beta"]["beta_FN"][i] == pytest.approx(want_b["beta_FN"], rel=1e-5)
        assert out["beta"]["alpha_FP"][i] == pytest.approx(want_b["alpha_FP"], rel=1e-5)
    # the map: row j, column i is the loss at (alpha_i, beta_j)
    for i, j in ((0, 0), (6, 14), (20, 3)):
        want = float(losses.tversky(Y_TRUE, Y_PRED, alpha=alphas[i], beta=alphas[j]))
        assert out["grid"][j][i] == pytest.approx(want, rel=1e-5, abs=1e-6)
