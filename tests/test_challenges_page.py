"""The Challenges page through AppTest: every challenge opens, a solving setting marks it solved
(and the link carries it), a hint shows on request, a teacher's link opens one challenge."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from teaching import challenges
from tests.live_apptest import live_sliders, move

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "challenges.py")


def _run(query: dict | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("key", list(challenges.CHALLENGES))
def test_every_challenge_opens_in_both_languages(key):
    for lang in ("en", "ko"):
        at = _run({"challenge": key}, lang)
        assert at.selectbox(key="ch:open").value == key
        assert at.query_params["challenge"] == key
        assert at.subheader, key


def test_a_solving_setting_marks_the_challenge_solved_and_the_link_keeps_it():
    at = _run({"challenge": "focal_tversky_higher"})
    assert not at.success  # gamma = 1 (the blog's default) does not solve it
    key = "ch:focal_tversky_higher:focal_tversky:gamma"
    assert key in live_sliders(at)  # the challenge's gamma is a live slider on your masks
    move(at, key, 0.5)
    assert not at.exception
    assert at.success, [i.value for i in at.info]
    assert "solved" in at.query_params and "focal_tversky_higher" in at.query_params["solved"]
    # a fresh session opened from that link knows the progress
    again = _run({k: at.query_params[k] for k in at.query_params})
    labels = again.selectbox(key="ch:open").options
    keys = list(challenges.CHALLENGES)
    assert labels[keys.index("focal_tversky_higher")].startswith("✓")
    assert sum(label.startswith("✓") for label in labels) == 1


def test_the_hint_shows_on_request():
    at = _run({"challenge": "combo_negative", "ce_ratio": "0.9", "preset": "empty_gt"})
    assert not at.success
    before = len(at.markdown)
    at.toggle(key="ch:hint:combo_negative").set_value(True).run()
    assert not at.exception and len(at.markdown) == before + 1


def test_a_link_with_settings_opens_the_challenge_solved():
    at = _run({"challenge": "tversky_prefers_over", "alpha": "0.2", "beta": "0.9"})
    assert at.session_state["ch:tversky_prefers_over:tversky:alpha"] == pytest.approx(0.2)
    assert at.success


def test_a_bad_challenge_name_in_the_link_opens_the_first_one():
    at = _run({"challenge": "<script>", "solved": "nope"})
    assert at.selectbox(key="ch:open").value == next(iter(challenges.CHALLENGES))
