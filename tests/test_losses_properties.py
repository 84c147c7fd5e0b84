"""Property tests over random masks, soft predictions and parameters in the registry's ranges.

Inputs include all-zero and all-one masks and predictions that are exactly 0
or 1, where a careless log, division or power produces NaN or inf.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import losses
from losses._tf import tf
from tests import _ref

# SEGLOSS_HYPOTHESIS_EXAMPLES=2000 searches harder (for a soak run); 40 keeps the suite quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("SEGLOSS_HYPOTHESIS_EXAMPLES", "40")), deadline=None
)
BOUNDED = ("dice", "iou", "tversky", "focal_tversky")


@st.composite
def pairs(draw, batch=False):
    """(y_true, y_pred) float32 arrays of one small shape, with the awkward cases likely."""
    b = draw(st.integers(2 if batch else 1, 3))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    shape = (b, h, w)
    unit = st.floats(0.0, 1.0, width=32)
    kind_t = draw(st.sampled_from(["binary", "soft", "zeros", "ones"]))
    if kind_t == "binary":
        t = draw(hnp.arrays(np.float32, shape, elements=st.sampled_from([0.0, 1.0])))
    elif kind_t == "soft":
        t = draw(hnp.arrays(np.float32, shape, elements=unit))
    else:
        t = np.full(shape, 0.0 if kind_t == "zeros" else 1.0, np.float32)
    kind_p = draw(
        st.sampled_from(["soft", "hard", "mixed", "zeros", "ones", "truth", "inverse", "near"])
    )
    if kind_p == "soft":
        p = draw(hnp.arrays(np.float32, shape, elements=unit))
    elif kind_p == "hard":
        p = draw(hnp.arrays(np.float32, shape, elements=st.sampled_from([0.0, 1.0])))
    elif kind_p == "mixed":
        p = draw(
            hnp.arrays(np.float32, shape, elements=st.one_of(st.sampled_from([0.0, 1.0]), unit))
        )
    elif kind_p == "truth":
        p = t.copy()
    elif kind_p == "near":  # almost perfect: where 1 - ratio loses float32 digits
        eps = draw(st.sampled_from([1e-7, 3e-7, 1e-6, 1e-5, 1e-3]))
        p = np.abs(t - np.float32(eps)).astype(np.float32)
    elif kind_p == "inverse":
        p = (1.0 - t).astype(np.float32)
    else:
        p = np.full(shape, 0.0 if kind_p == "zeros" else 1.0, np.float32)
    return t, p


@st.composite
def params_for(draw, key):
    """Parameters drawn inside the registry's ranges (smooth from its discrete scale)."""
    out = {}
    for name, spec in _ref.spec_params(key).items():
        if spec.kind == "bool":
            out[name] = draw(st.booleans())
        elif spec.choices:
            out[name] = draw(st.sampled_from(spec.choices))
        else:
            out[name] = draw(
                st.one_of(st.sampled_from([spec.lo, spec.hi]), st.floats(spec.lo, spec.hi))
            )
    return out


def value_and_grad(key, t, p, **params):
    p_tensor = tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(p_tensor)
        value = getattr(losses, key)(t, p_tensor, **params)
    grad = tape.gradient(value, p_tensor)
    return float(value), grad.numpy()


def assert_matches_reference(key, got, t, p, per_image, params):
    want = _ref.ref_loss(key, t, p, per_image=per_image, **params)
    # Region losses must keep their relative precision near a perfect prediction, where a
    # focal Tversky gamma below 1 magnifies any absolute error (x ** 0.1 of 1e-7 is 0.2).
    atol = 1e-9 if key in BOUNDED else 2e-6
    assert got == pytest.approx(want, rel=1e-5, abs=atol), (got, want)


@pytest.mark.parametrize("key", _ref.KEYS)
def test_finite_value_and_gradient_and_reference(key):
    @SETTINGS
    @given(data=st.data())
    def check(data):
        per_image = data.draw(st.booleans(), label="per_image")
        t, p = data.draw(pairs(batch=per_image), label="pair")
        params = data.draw(params_for(key), label="params")
        value, grad = value_and_grad(key, t, p, per_image=per_image, **params)
        assert np.isfinite(value), value
        assert grad.shape == p.shape
        assert np.isfinite(grad).all(), grad
        if key in BOUNDED:
            assert 0.0 <= value <= 1.0
        elif key == "combo":
            assert value >= -(1.0 - params["ce_ratio"]) - 1e-6
        else:
            assert value >= 0.0
        assert_matches_reference(key, value, t, p, per_image, params)

    check()


@SETTINGS
@given(
    pair=pairs(), alpha=st.floats(0, 1), beta=st.floats(0, 1), smooth=st.sampled_from([1e-6, 1.0])
)
def test_tversky_mirror_by_swapping_truth_and_prediction(pair, alpha, beta, smooth):
    t, p = pair
    a = float(losses.tversky(t, p, alpha=alpha, beta=beta, smooth=smooth))
    b = float(losses.tversky(p, t, alpha=beta, beta=alpha, smooth=smooth))
    assert a == pytest.approx(b, rel=1e-5, abs=1e-6)


@SETTINGS
@given(pair=pairs(), gamma=st.floats(0.1, 3.0), beta=st.floats(0, 1))
def test_focal_tversky_is_monotone_in_tversky(pair, gamma, beta):
    # L = T ** gamma with T in [0, 1]: gamma > 1 lowers, gamma < 1 raises the loss
    t, p = pair
    tv = float(losses.tversky(t, p, alpha=0.5, beta=beta))
    ft = float(losses.focal_tversky(t, p, alpha=0.5, beta=beta, gamma=gamma))
    if gamma >= 1:
        assert ft <= tv + 1e-6
    else:
        assert ft >= tv - 1e-6


@SETTINGS
@given(pair=pairs())
def test_soft_counts_add_up(pair):
    t, p = pair
    c = losses.soft_counts(t, p)
    n = t.size
    assert c["TP"] + c["FP"] + c["FN"] + c["TN"] == pytest.approx(n, rel=1e-5)
    assert c["TP"] + c["FN"] == pytest.approx(float(t.sum(dtype=np.float64)), rel=1e-5, abs=1e-5)
    assert c["TP"] + c["FP"] == pytest.approx(float(p.sum(dtype=np.float64)), rel=1e-5, abs=1e-5)
    assert min(c.values()) >= 0.0
