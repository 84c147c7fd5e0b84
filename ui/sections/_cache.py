"""Cached calls into losses.teaching, keyed on a mask digest and parameters."""

from __future__ import annotations

import numpy as np
import streamlit as st


@st.cache_data(max_entries=64, show_spinner=False)
def focal_family(gammas: tuple) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.focal.focal_curve_family(np.linspace(0.001, 1.0, 200), gammas)


@st.cache_data(max_entries=128, show_spinner=False)
def focal_split(dig: str, alpha: float, class_balanced: bool, gammas: tuple, _t, _p) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    out = teaching.focal.focal_easy_hard_split(_t, _p, gammas, alpha=alpha, class_balanced=class_balanced)
    out.pop("easy_mask", None)
    return out


@st.cache_data(max_entries=128, show_spinner=False)
def focal_weights(dig: str, gamma: float, _t, _p) -> np.ndarray:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.focal.focal_weight_map(_t, _p, gamma)


@st.cache_data(max_entries=128, show_spinner=False)
def focal_alpha(dig: str, alpha: float, gamma: float, _t, _p) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.focal.focal_alpha_comparison(_t, _p, alpha=alpha, gamma=gamma)


@st.cache_data(max_entries=128, show_spinner=False)
def tversky_terms(dig: str, alpha: float, beta: float, smooth: float, _t, _p) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.tversky.tversky_weighted_terms(_t, _p, alpha=alpha, beta=beta, smooth=smooth)


@st.cache_data(max_entries=64, show_spinner=False)
def tversky_grid(dig: str, smooth: float, grid: tuple, _t, _p) -> np.ndarray:
    from teaching.analysis import tversky_grid as grid_fn

    return grid_fn(_t, _p, grid, grid, smooth=smooth)


@st.cache_data(max_entries=32, show_spinner=False)
def preference(dig: str, amount: int, smooth: float, grid: tuple, _t) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    cands = teaching.candidates.make_candidates(_t, amount=amount)
    pref = teaching.tversky.tversky_preference(_t, cands["over"], cands["under"], grid, grid, smooth=smooth)
    return {"candidates": cands, "preference": pref}


@st.cache_data(max_entries=64, show_spinner=False)
def ft_curve(gammas: tuple) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.focal_tversky.focal_tversky_curve(np.linspace(0.0, 1.0, 201), gammas)


@st.cache_data(max_entries=128, show_spinner=False)
def combo_parts(dig: str, alpha: float, ce_ratio: float, smooth: float, _t, _p) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.combo.combo_parts(_t, _p, alpha=alpha, ce_ratio=ce_ratio, smooth=smooth)


@st.cache_data(max_entries=64, show_spinner=False)
def combo_grid(dig: str, smooth: float, grid: tuple, _t, _p) -> dict:
    import teaching.candidates
    import teaching.combo
    import teaching.focal
    import teaching.focal_tversky
    import teaching.tversky

    return teaching.combo.combo_grid(_t, _p, grid, grid, smooth=smooth)
