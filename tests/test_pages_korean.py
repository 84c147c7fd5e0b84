"""Every page of the app in Korean and in English through AppTest.

Each page runs with ``?lang=ko`` and ``?lang=en`` without an exception (every view of the
loss pages opened in turn); in Korean, every text a learner reads has Hangul and none is an
English sentence of four or more words outside code, formulas, parameter names and
references; and no text fell back to English or missed its catalog entry on the way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from teaching import pitfalls
from teaching.registry import ALL_SPECS, LOSSES
from tests.korean_text import english_runs, lacks_hangul, visible_texts
from ui import i18n

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180
PAGES = ["home", *LOSSES, "compare", "pitfalls", "training_lab"]


@pytest.fixture(scope="module")
def references() -> list[str]:
    """Paper and source titles: they stay as they are in every language."""
    refs = [r for spec in ALL_SPECS.values() for r in spec.references]
    for item in pitfalls.all_pitfalls() + pitfalls.all_faq():
        refs += item["references"]
    return refs


def _run(page: str, lang: str) -> AppTest:
    script = ROOT / ("app.py" if page == "home" else f"pages/{page}.py")
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, (page, lang, [e.value for e in at.exception])
    return at


def _views(at: AppTest, page: str) -> list[str]:
    """The view keys of a loss page (its segmented control's options are their labels)."""
    if page not in LOSSES:
        return []
    return [k for k in _view_keys() if k in _shown_keys(at, page)]


def _view_keys() -> list[str]:
    prefix = "views.tabs."
    return [k[len(prefix) :] for k in i18n.catalog("en") if k.startswith(prefix)]


def _shown_keys(at: AppTest, page: str) -> set[str]:
    lang = at.session_state["_segloss_lang"]
    labels = set(at.segmented_control(key=f"view-{page}").options)
    return {k for k in _view_keys() if i18n.text(f"views.tabs.{k}", lang) in labels}


def _every_state(page: str, lang: str):
    """The page as first shown, then (for a loss page) with each of its views open."""
    at = _run(page, lang)
    yield at
    for view in _views(at, page):
        at.session_state[f"view-{page}"] = view
        at.run()
        assert not at.exception, (page, lang, view, [e.value for e in at.exception])
        yield at


def _problems(at: AppTest, refs: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for kind, text in visible_texts(at):
        runs = english_runs(text, refs)
        if runs:
            out.append((kind, "English sentence", runs[0]))
        elif lacks_hangul(text, refs):
            out.append((kind, "no Hangul", text[:120]))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_in_korean(page, references, monkeypatch):
    monkeypatch.setattr(i18n, "_reported", set())
    seen = 0
    for at in _every_state(page, "ko"):
        texts = visible_texts(at)
        assert len(texts) >= 5, (page, texts)
        seen += len(texts)
        problems = _problems(at, references)
        assert not problems, (page, problems[:10])
    assert seen >= 10
    assert not i18n.reported(), i18n.reported()[:10]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_english(page, references, monkeypatch):
    monkeypatch.setattr(i18n, "_reported", set())
    for at in _every_state(page, "en"):
        # the checker itself must be able to fail: the English page is full of sentences
        assert any(english_runs(text, references) for _, text in visible_texts(at))
    assert not i18n.reported(), i18n.reported()[:10]
