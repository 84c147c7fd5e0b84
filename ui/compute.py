"""Cached numbers behind a loss page.

Every function is keyed on a digest of the masks plus the parameters, so a
slider move recomputes only what depends on the slider, and returning to an
earlier setting is instant. The arrays themselves are passed with a leading
underscore (not hashed by Streamlit); the digest stands in for them.
TensorFlow is imported here on first use, never by the home page.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

SHIFTS = tuple(range(-40, 41, 2))
LEVELS = tuple(np.round(np.linspace(0.0, 1.0, 41), 4))
PROBS = tuple(np.round(np.linspace(0.0, 1.0, 201), 4))


def digest(y_true: np.ndarray, y_pred: np.ndarray) -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in (y_true, y_pred):
        a = np.ascontiguousarray(a, dtype=np.float32)
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def frozen(params: dict) -> tuple:
    """Parameters as a hashable, order-independent cache key."""
    return tuple(sorted(params.items()))


@st.cache_data(max_entries=512, show_spinner=False)
def value_and_counts(dig: str, key: str, params: tuple, _t, _p) -> dict:
    from losses import core, validation
    from teaching import analysis

    t, p = core.as_rows(*validation.check_pair(_t, _p))
    tp, fp, fn, tn = (float(v[0]) for v in core.counts_rows(t, p))
    value = float(analysis.rows_fn(key)(t, p, **analysis.fill_params(key, dict(params)))[0])
    return {"value": value, "TP": tp, "FP": fp, "FN": fn, "TN": tn}


@st.cache_data(max_entries=512, show_spinner=False)
def attribution(dig: str, key: str, params: tuple, _t, _p) -> dict:
    from teaching import analysis

    return analysis.error_attribution(key, _t, _p, **dict(params))


@st.cache_data(max_entries=256, show_spinner=False)
def pixel_curves(key: str, params: tuple) -> tuple[dict, dict]:
    from teaching import analysis

    return analysis.pixel_curve(key, PROBS, **dict(params)), analysis.pixel_curve("bce", PROBS)


@st.cache_data(max_entries=256, show_spinner=False)
def confidence(dig: str, key: str, params: tuple, _t, _p) -> dict:
    from teaching import analysis

    return analysis.confidence_curve(key, _t, _p, LEVELS, **dict(params))


@st.cache_data(max_entries=256, show_spinner=False)
def shifts(dig: str, key: str, params: tuple, _t, _p) -> dict:
    from teaching import analysis

    return analysis.shift_curve(key, _t, _p, SHIFTS, **dict(params))


@st.cache_data(max_entries=128, show_spinner=False)
def gradient(dig: str, key: str, params: tuple, _t, _p) -> np.ndarray:
    from teaching import analysis

    return analysis.gradient_map(key, _t, _p, **dict(params))


@st.cache_data(max_entries=128, show_spinner=False)
def pixel_map(dig: str, key: str, params: tuple, _t, _p) -> np.ndarray:
    from teaching import analysis

    return analysis.pixel_loss_map(key, _t, _p, **dict(params))
