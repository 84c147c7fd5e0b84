"""The live slider's Python side: the payload the browser looks up, and what it accepts back."""

from __future__ import annotations

import math

import numpy as np
import pytest

from teaching import slices
from teaching.registry import get
from ui.widgets import live_slider

GAMMA = get("focal").param("gamma")
RNG = np.random.default_rng(3)
T = (RNG.random((16, 16)) > 0.6).astype(np.float32)
P = RNG.random((16, 16)).astype(np.float32)


def _payload(value=2.3):
    sl = slices.param_slice("focal", T, P, "gamma", {"alpha": 0.8})
    data = live_slider.payload(
        "param:focal:gamma", GAMMA, value, sl, label="gamma", help_text="h", loss_label="Focal loss"
    )
    return sl, data


def test_the_payload_has_one_entry_per_step_and_points_at_the_value():
    sl, data = _payload(2.3)
    n = len(slices.param_steps(GAMMA))
    for field in ("values", "texts", "loss_texts", "curve"):
        assert len(data[field]) == n, field
    assert data["values"][data["index"]] == 2.3 and data["texts"][data["index"]] == "2.3"
    # the text shown during a drag is the one the page's metric writes for that loss
    assert data["loss_texts"][data["index"]] == f"{sl.losses[data['index']]:.4f}"
    assert min(data["curve"]) == 0.0 and max(data["curve"]) == 1.0


def test_a_value_between_steps_points_at_the_nearest():
    _, data = _payload(2.33)
    assert data["values"][data["index"]] == 2.3


def test_a_curve_with_a_non_finite_loss_leaves_a_gap():
    assert live_slider._curve((1.0, math.nan, 3.0)) == [0.0, None, 1.0]
    assert live_slider.loss_text(math.inf) == "-"


def test_what_comes_back_is_snapped_to_a_step_and_clamped():
    assert live_slider.snap(GAMMA, 2.3000000001) == 2.3
    assert live_slider.snap(GAMMA, 2.33) == 2.3
    assert live_slider.snap(GAMMA, 99) == 5.0
    for bad in ("2.3", None, True, [1], math.nan):
        with pytest.raises(ValueError):
            live_slider.snap(GAMMA, bad)


def test_a_component_key_never_holds_the_event_delimiter():
    assert live_slider.component_key("param:focal:gamma") == "live:param:focal:gamma"
    assert "__" not in live_slider.component_key("a__b___c")


def test_the_named_views_travel_with_the_sliders_of_focal_and_tversky():
    """AppTest sees the payloads: per-step views for gamma (Focal) and alpha / beta (Tversky)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.live_apptest import live_sliders, move

    pages = Path(__file__).resolve().parent.parent / "pages"
    at = AppTest.from_file(str(pages / "tversky.py"), default_timeout=120)
    at.run()
    move(at, "param:tversky:beta", 0.7)
    alpha = live_sliders(at)["param:tversky:alpha"]
    n = len(alpha["values"])
    marks = alpha["extras"]["map"]["marks"]
    assert len(marks) == n and alpha["extras"]["map"]["image"].startswith("data:image/png")
    assert marks[0][0] < marks[-1][0]  # the marker moves right as alpha grows
    assert len({m[1] for m in marks}) == 1  # and stays at beta = 0.7
    beta = live_sliders(at)["param:tversky:beta"]
    assert beta["extras"]["map"]["marks"][beta["index"]][1] == marks[0][1]
    fp = alpha["extras"]["bars"][0]["fill"]
    assert fp == sorted(fp) and fp[0] == 0.0  # alpha FP grows from nothing
    at = AppTest.from_file(str(pages / "focal.py"), default_timeout=120)
    at.run()
    gamma = live_sliders(at)["param:focal:gamma"]["extras"]
    assert len(gamma["plot"]["points"]) == len(gamma["lines"][0]) == 51
    assert len(gamma["plot"]["context"]) == 5
