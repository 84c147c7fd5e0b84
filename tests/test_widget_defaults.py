"""Every control bound to a setting is drawn with the value the session holds as its default.

Why this matters: Streamlit sends a seeded control's value once ("take the session's
value") and drops that message if another run starts before it has left the server (a
busy server, a second rerun right after a page opens). The browser then builds the control
from a later message, which carries only the control's default. Seen in Chromium on a
loaded machine: the family tree's dials at 0.00 while the loss was computed at 0.5 / 0.6 /
0.5, in 2 of 8 opens. ``ui.runtime.params.bound`` passes the held value as the default, so
whatever message the browser builds from shows what Python computes with.

Each page runs twice (the second run is one that carries no "take this value"), from a link
that moves every control off its plain default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "family_tree": {"lambda_": "0.3", "delta": "0.7", "gamma": "0.2", "symmetric": "true"},
    "training_lab": {
        "loss_a": "focal",
        "loss_b": "tversky",
        "epochs": "7",
        "seed": "5",
        "fg": "2",
        "batch": "16",
    },
    "challenges": {"challenge": "tversky_flip"},
    "focal": {"class_balanced": "true", "view": "gradient", "present": "1"},
}


def _shown_by_default(widget) -> bool:
    """Would a browser that lost the "take this value" message show ``widget.value``?"""
    p = widget.proto
    kind = type(widget).__name__
    if kind == "Slider":
        return list(p.default) == pytest.approx([float(widget.value)])
    if kind == "SelectSlider":
        return float(p.options[int(p.default[0])]) == pytest.approx(float(widget.value))
    if kind == "Selectbox":
        return p.default == widget.index
    if kind == "ButtonGroup":  # a segmented control: the chosen option's index
        return list(p.default) == [widget.indices[0]] if widget.indices else not p.default
    return p.default == widget.value  # number input, checkbox, toggle


def _controls(at: AppTest):
    for kind in ("slider", "select_slider", "number_input", "checkbox", "toggle", "selectbox"):
        yield from getattr(at, kind)
    yield from at.button_group


@pytest.fixture(autouse=True)
def _no_warmup(monkeypatch):
    monkeypatch.setitem(os.environ, "SEGLOSS_NO_WARMUP", "1")


@pytest.mark.parametrize("page", list(CASES))
def test_every_bound_control_starts_at_the_held_value(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for name, value in CASES[page].items():
        at.query_params[name] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    keyed = [w for w in _controls(at) if w.key]
    wrong = [(w.key, w.value, w.proto.default) for w in keyed if not _shown_by_default(w)]
    assert not wrong, wrong
    assert len(keyed) >= 3, [w.key for w in keyed]
