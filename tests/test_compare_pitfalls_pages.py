"""The compare and pitfalls pages through AppTest, plus the page helpers that hold logic.

The compare page must show exactly what the losses package computes for the masks in the
session (and for the parameters set on the loss pages); the pitfalls page must show one section
per pitfall and the live Keras version. A bad state (an empty ground truth) gives a note, never
an exception.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import losses
from losses._tf import keras
from teaching import compare, pitfalls, registry
from teaching.candidates import CANDIDATE_NAMES
from teaching.registry import ALL_SPECS
from ui import i18n
from ui.figures import palette
from ui.masks import presets
from ui.sections import compare as compare_page
from ui.sections import pitfalls as pitfalls_page

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 90
PRESET_KEY = "_segloss_mask_preset"  # the preset selectbox of ui.masks


def _run(page: str, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _english(item: dict, field: str) -> str:
    """A pitfall's or FAQ's text in English, as the page shows it by default."""
    return i18n.text(item["texts"][field], "en", **item["values"])


def _raw_table(at: AppTest):
    for df in at.dataframe:
        value = df.value
        if hasattr(value, "columns") and {"loss", "value", "relative"} <= set(value.columns):
            return value
    raise AssertionError("the compare page shows no table of raw loss values")


def _package_values(t, p, params: dict[str, dict]) -> dict[str, float]:
    return {
        key: float(getattr(losses, ALL_SPECS[key].function)(t, p, **params.get(key, {})))
        for key in registry.ALL_KEYS
    }


# --------------------------------------------------------------------------- compare page
def test_compare_page_shows_the_package_values_for_the_session_masks():
    at = _run("compare")
    assert not at.error, [e.value for e in at.error]
    table = _raw_table(at)
    assert list(table.index) == list(registry.ALL_KEYS)
    stored = at.session_state["_segloss_masks"]["y"]  # where ui.masks keeps the masks
    t, p = stored["true"], stored["pred"]
    expected = _package_values(t, p, {})
    for key, value in expected.items():
        assert table.loc[key, "value"] == pytest.approx(value, abs=1e-5), key
    # the default masks are the default preset
    t0, p0 = presets.load_preset(presets.DEFAULT_PRESET)
    assert np.array_equal(t, t0) and np.allclose(p, p0)
    # all four sections are there, and the sweep's caption was computed
    assert len(at.subheader) == 4
    assert any("What this shows" in i.value for i in at.info)


def test_compare_page_uses_the_loss_pages_parameters():
    state = {
        "param:tversky:alpha": 0.3,
        "param:tversky:beta": 0.7,
        "param:focal:gamma": 1.0,
        "param:focal:class_balanced": True,
        "param:combo:ce_ratio": 0.8,
    }
    at = _run("compare", state)
    table = _raw_table(at)
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    params = {
        "tversky": {"alpha": 0.3, "beta": 0.7},
        "focal": {"gamma": 1.0, "class_balanced": True},
        "combo": {"ce_ratio": 0.8},
    }
    expected = _package_values(t, p, params)
    for key, value in expected.items():
        assert table.loc[key, "value"] == pytest.approx(value, abs=1e-5), key
    assert "alpha=0.3" in table.loc["tversky", "settings"]
    assert "class_balanced=True" in table.loc["focal", "settings"]


def test_compare_page_with_an_empty_ground_truth_shows_a_note():
    at = _run("compare")
    at.selectbox(key=PRESET_KEY).set_value("empty_gt").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any("ground truth is empty" in i.value for i in at.info)
    assert any("Dice" in w.value and "worst value" in w.value for w in at.warning)
    t, p = presets.load_preset("empty_gt")
    table = _raw_table(at)
    for key, value in _package_values(t, p, {}).items():
        assert table.loc[key, "value"] == pytest.approx(value, abs=1e-5), key


# --------------------------------------------------------------------------- pitfalls page
def test_pitfalls_page_has_one_section_per_pitfall_and_the_live_keras_version():
    at = _run("pitfalls")
    # the only error panels are the mistakes on show, never the page's own "Could not ..."
    assert not [e.value for e in at.error if e.value.startswith("Could not")]
    items = pitfalls.all_pitfalls()
    faq = pitfalls.all_faq()
    numbered = [h.value for h in at.subheader if h.value[:1].isdigit()]
    assert numbered == [f"{i}. {_english(it, 'title')}" for i, it in enumerate(items, 1)]
    assert [h.value for h in at.subheader if not h.value[:1].isdigit()] == [
        _english(f, "title") for f in faq
    ]
    text = " ".join(m.value for m in at.markdown) + " ".join(w.value for w in at.warning)
    text += " ".join(s.value for s in at.success)
    assert f"Keras {keras.__version__}" in text
    # string "wrong" values (error messages) are shown on an error panel
    errors = " ".join(e.value for e in at.error)
    for it in items:
        if isinstance(it["wrong"], str):
            assert it["wrong"].split(":")[0] in errors
    # the table of contents links to every section
    toc = " ".join(m.value for m in at.markdown)
    for it in items:
        assert f"(#{pitfalls_page.anchor('pitfall', it['key'])})" in toc
    for it in faq:
        assert f"(#{pitfalls_page.anchor('faq', it['key'])})" in toc


# --------------------------------------------------------------------------- page helpers
def test_page_keys_follow_the_back_end():
    assert set(palette.LOSS_STYLE) == set(registry.ALL_KEYS)
    assert tuple(compare_page.CANDIDATES) == CANDIDATE_NAMES
    assert set(pitfalls_page.DETAILS) == {it["key"] for it in pitfalls.all_pitfalls()}
    assert set(pitfalls_page.FAQ_DETAILS) == {it["key"] for it in pitfalls.all_faq()}


def test_sweep_story_is_computed_from_the_numbers():
    res = compare.imbalance_sweep(compare.DEFAULT_FRACTIONS, relative_error=0.2)
    story = compare_page.sweep_story(res)
    ratio = {k: res["grad_fg_ratio"][k][-1] for k in res["keys"]}
    strongest = max(ratio, key=ratio.get)
    weakest = min(ratio, key=ratio.get)
    assert ALL_SPECS[strongest].title in story and ALL_SPECS[weakest].title in story
    assert f"{ratio[strongest]:.0f}×" in story
    assert "0.1 %" in story


def test_conflict_sentence_names_both_sides():
    c = {"a": "over", "b": "under", "prefer_a": ["dice", "iou"], "prefer_b": ["bce"], "tie": []}
    text = compare_page._conflict_sentence(c)
    assert "Dice and Jaccard / IoU" in text and "Binary cross-entropy" in text
    assert "pixel-wise" in text
    assert compare_page._best_conflict([]) is None
