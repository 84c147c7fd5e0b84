"""Every cached computation behind the pages, in one place.

Each wrapper is keyed on a digest of the masks (``masks.masks_digest()``) plus
the parameters, frozen into a hashable tuple: a slider move recomputes only
what depends on the slider, returning to an earlier setting is instant, and
what is the same for every session is computed once for all of them. The mask
arrays are passed with a leading underscore (Streamlit does not hash those);
the digest stands in for them. TensorFlow is imported on first use inside the
wrappers, never by the home page.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

SHIFTS = tuple(range(-40, 41, 2))
LEVELS = tuple(np.round(np.linspace(0.0, 1.0, 41), 4))
PROBS = tuple(np.round(np.linspace(0.0, 1.0, 201), 4))


def frozen(params: dict) -> tuple:
    """Parameters as a hashable, order-independent cache key."""
    return tuple(sorted(params.items()))


def frozen_by_loss(params_by_key: dict[str, dict]) -> tuple:
    """``{loss: params}`` as a hashable cache key (the compare page's parameters)."""
    return tuple((k, frozen(v)) for k, v in params_by_key.items())


def _thaw_by_loss(key: tuple) -> dict[str, dict]:
    return {k: dict(v) for k, v in key}


# --------------------------------------------------------------------------- every loss page
@st.cache_data(max_entries=512, show_spinner=False)
def value_and_counts(dig: str, key: str, params: tuple, _t, _p) -> dict:
    """The loss value and the soft TP, FP, FN, TN of the masks."""
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
    """One pixel's loss against p for this loss, and for BCE as the reference."""
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


# --------------------------------------------------------------------------- Focal page
@st.cache_data(max_entries=64, show_spinner=False)
def focal_family(gammas: tuple) -> dict:
    from teaching import focal

    return focal.focal_curve_family(np.linspace(0.001, 1.0, 200), gammas)


@st.cache_data(max_entries=128, show_spinner=False)
def focal_split(dig: str, alpha: float, class_balanced: bool, gammas: tuple, _t, _p) -> dict:
    from teaching import focal

    out = focal.focal_easy_hard_split(_t, _p, gammas, alpha=alpha, class_balanced=class_balanced)
    out.pop("easy_mask", None)
    return out


@st.cache_data(max_entries=128, show_spinner=False)
def focal_weights(dig: str, gamma: float, _t, _p) -> np.ndarray:
    from teaching import focal

    return focal.focal_weight_map(_t, _p, gamma)


@st.cache_data(max_entries=128, show_spinner=False)
def focal_alpha(dig: str, alpha: float, gamma: float, _t, _p) -> dict:
    from teaching import focal

    return focal.focal_alpha_comparison(_t, _p, alpha=alpha, gamma=gamma)


# --------------------------------------------------------------------------- Tversky page
@st.cache_data(max_entries=128, show_spinner=False)
def tversky_terms(dig: str, alpha: float, beta: float, smooth: float, _t, _p) -> dict:
    from teaching import tversky

    return tversky.tversky_weighted_terms(_t, _p, alpha=alpha, beta=beta, smooth=smooth)


@st.cache_data(max_entries=64, show_spinner=False)
def tversky_grid(dig: str, smooth: float, grid: tuple, _t, _p) -> np.ndarray:
    from teaching import analysis

    return analysis.tversky_grid(_t, _p, grid, grid, smooth=smooth)


@st.cache_data(max_entries=32, show_spinner=False)
def preference(dig: str, amount: int, smooth: float, grid: tuple, _t) -> dict:
    """The over- and under-segmented candidates and where Tversky prefers each."""
    from teaching import candidates, tversky

    cands = candidates.make_candidates(_t, amount=amount)
    pref = tversky.tversky_preference(_t, cands["over"], cands["under"], grid, grid, smooth=smooth)
    return {"candidates": cands, "preference": pref}


# --------------------------------------------------------------------------- Focal Tversky, Combo
@st.cache_data(max_entries=64, show_spinner=False)
def focal_tversky_curve(gammas: tuple) -> dict:
    from teaching import focal_tversky

    return focal_tversky.focal_tversky_curve(np.linspace(0.0, 1.0, 201), gammas)


@st.cache_data(max_entries=128, show_spinner=False)
def combo_parts(dig: str, alpha: float, ce_ratio: float, smooth: float, _t, _p) -> dict:
    from teaching import combo

    return combo.combo_parts(_t, _p, alpha=alpha, ce_ratio=ce_ratio, smooth=smooth)


@st.cache_data(max_entries=64, show_spinner=False)
def combo_grid(dig: str, smooth: float, grid: tuple, _t, _p) -> dict:
    from teaching import combo

    return combo.combo_grid(_t, _p, grid, grid, smooth=smooth)


# --------------------------------------------------------------------------- Compare page
@st.cache_data(max_entries=128, show_spinner=False)
def compared(dig: str, params: tuple, _t, _p) -> dict:
    from teaching import compare

    return compare.compare_losses(_t, _p, _thaw_by_loss(params))


@st.cache_data(max_entries=64, show_spinner=False)
def ranked(dig: str, amount: int, params: tuple, _t, _p) -> dict:
    """The compare page's candidates, their soft counts, and every loss's ranking of them."""
    from teaching import candidates, compare

    cands = candidates.candidate_set(_t, _p, amount)
    ranking = compare.rank_candidates(_t, cands, _thaw_by_loss(params))
    counts = candidates.candidate_counts(_t, cands)
    return {"candidates": cands, "ranking": ranking, "counts": counts}


@st.cache_data(max_entries=64, show_spinner=False)
def sweep(relative_error: float, shape: str, params: tuple) -> dict:
    from teaching import compare

    return compare.imbalance_sweep(
        compare.DEFAULT_FRACTIONS,
        relative_error=relative_error,
        shape=shape,
        params_by_key=_thaw_by_loss(params),
    )


@st.cache_data(max_entries=16, show_spinner=False)
def batch_dice(smooth: float, relative_error: float) -> dict:
    from teaching import compare

    return compare.batch_vs_image_dice(relative_error=relative_error, smooth=smooth)


# --------------------------------------------------------------------------- Family tree page
@st.cache_data(max_entries=256, show_spinner=False)
def family_members(dig: str, dials: tuple, _t, _p) -> dict:
    """Each of the seven losses where the family meets it, nearest to the dials."""
    from teaching import family

    return family.evaluate(_t, _p, dict(dials))


@st.cache_data(max_entries=256, show_spinner=False)
def family_value(dig: str, dials: tuple, _t, _p) -> dict:
    """The unified value at the dials and the nearest named loss by its own function."""
    from teaching import family

    return family.at_dials(_t, _p, dict(dials))


@st.cache_data(max_entries=64, show_spinner=False)
def family_grid(dig: str, dials: tuple, grid: tuple, _t, _p) -> np.ndarray:
    """The unified loss over the lambda x delta square at the dials' gamma and form."""
    from teaching import family

    return family.lambda_delta_grid(_t, _p, grid, grid, dict(dials))


# --------------------------------------------------------------------------- Pitfalls page
@st.cache_data(show_spinner=False)
def pitfalls() -> list[dict]:
    from teaching import pitfalls as p

    return p.all_pitfalls()


@st.cache_data(show_spinner=False)
def faq() -> list[dict]:
    from teaching import pitfalls as p

    return p.all_faq()


@st.cache_data(show_spinner=False)
def pitfalls_example() -> tuple[np.ndarray, np.ndarray]:
    from teaching import pitfalls as p

    return p.demo_pair()


@st.cache_data(show_spinner=False)
def versions() -> dict:
    """The installed TensorFlow and Keras, which the pitfalls are run on."""
    import keras
    import tensorflow as tf

    import losses  # noqa: F401 - imports TensorFlow quietly first

    return {"keras": keras.__version__, "tensorflow": tf.__version__}


# --------------------------------------------------------------------------- Training lab
@st.cache_resource(show_spinner=False, max_entries=8)
def training_task(
    n_train: int, n_val: int, fg_fraction: float, object_size: float, image_size: int, seed: int
):
    """The generated images of the training lab (shared read-only by every session)."""
    from trainlab.data import make_task

    return make_task(n_train, n_val, fg_fraction, object_size, image_size, seed)


# --------------------------------------------------------------------------- live sliders
@st.cache_data(max_entries=512, show_spinner=False)
def live_slice(dig: str, key: str, name: str, others: tuple, _t, _p):
    """The loss at every step of ``name`` (keyed on the other parameters only: a move of
    ``name`` itself finds its slice here)."""
    from teaching import slices

    return slices.param_slice(key, _t, _p, name, dict(others))


@st.cache_data(max_entries=128, show_spinner=False)
def view_steps(dig: str, key: str, params: tuple, _t, _p) -> dict:
    """What the named views of ``key``'s page show at every step of its sliders."""
    from teaching import slices

    return slices.VIEW_STEPS[key](_t, _p, dict(params))
