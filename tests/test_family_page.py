"""The family-tree page through Streamlit's AppTest: it runs, the dials move the value, the
"take me to" controls land on the named losses, the link keeps the dials, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import losses
from teaching import family
from teaching.registry import get
from ui.masks import presets

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180
K = "param:unified_focal:"


def _run(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "family_tree.py"), default_timeout=TIMEOUT)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _dials(at: AppTest) -> dict:
    return {d: at.session_state[K + d] for d in ("lambda_", "delta", "gamma", "symmetric")}


def _masks():
    return presets.load_preset(presets.DEFAULT_PRESET)


def _shown(at: AppTest) -> tuple[float, float, str]:
    unified, named = at.metric[0], at.metric[1]
    return float(unified.value), float(named.value), named.label


def test_the_page_runs_and_shows_the_unified_value_of_the_masks():
    at = _run()
    t, p = _masks()
    unified, _, _ = _shown(at)
    assert unified == pytest.approx(float(losses.unified_focal(t, p, **_dials(at))), abs=1e-4)
    assert len(at.get("plotly_chart")) == 2  # the tree and the lambda x delta square
    assert at.dataframe[0].value.shape[0] == len(family.MEMBERS)
    assert [b.label for b in at.button if b.key and b.key.startswith("family-go-")][:5] == [
        get(k).title for k in family.TAKE_ME_TO
    ]


def test_the_dials_move_the_value():
    at = _run()
    t, p = _masks()
    before, _, _ = _shown(at)
    at.slider(key=K + "gamma").set_value(0.1).run()
    at.slider(key=K + "lambda_").set_value(0.8).run()
    at.checkbox(key=K + "symmetric").check().run()
    assert not at.exception
    after, _, _ = _shown(at)
    want = float(losses.unified_focal(t, p, lambda_=0.8, delta=0.6, gamma=0.1, symmetric=True))
    assert after == pytest.approx(want, abs=1e-4)
    assert after != pytest.approx(before, abs=1e-3)
    assert at.query_params["gamma"] == "0.1" and at.query_params["symmetric"] == "True"


@pytest.mark.parametrize("key", family.TAKE_ME_TO)
def test_take_me_to_lands_on_the_named_loss(key):
    at = _run()
    t, p = _masks()
    start = _dials(at)
    at.button(key=f"family-go-{key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    dials = _dials(at)
    assert dials == {k: v for k, v in family.take_me_to(key, start).items() if k in dials}
    unified, named, label = _shown(at)
    spec = get(key)
    assert label.startswith(spec.title)
    place = family.place(key, dials)
    own = float(getattr(losses, spec.function)(t, p, **place.params))
    assert named == pytest.approx(own, abs=1e-4)
    assert unified == pytest.approx(float(losses.unified_focal(t, p, **dials)), abs=1e-4)
    if key == "focal":  # the one exact member: the two numbers on the page are equal
        assert at.metric[0].value == at.metric[1].value
        assert at.success, "an exact place says so"
    else:  # approximate: labelled, and the gap it shows is unified - named
        entry = family.evaluate(t, p, dials)[key]
        assert not entry["exact"]
        assert at.warning and f"{entry['gap']:+.4f}" in at.warning[0].value
        assert entry["explained"] == pytest.approx(entry["unified"], rel=1e-5)


def test_the_link_opens_with_its_dials_and_ignores_bad_values():
    at = _run({"lambda_": "0", "delta": "0.7", "gamma": "0.25", "symmetric": "false"})
    assert _dials(at) == {"lambda_": 0.0, "delta": 0.7, "gamma": 0.25, "symmetric": False}
    _, _, label = _shown(at)
    assert label.startswith("Focal Tversky")
    bad = _run({"gamma": "lots", "delta": "9"})
    assert _dials(bad)["gamma"] == 0.5 and _dials(bad)["delta"] == 1.0


def test_the_paper_setting_button_restores_the_papers_dials():
    at = _run({"lambda_": "0.1", "gamma": "0.9"})
    at.button(key="family-go-paper").click().run()
    paper = get("unified_focal").defaults("paper")
    assert _dials(at) == {k: paper[k] for k in ("lambda_", "delta", "gamma", "symmetric")}


def test_the_page_speaks_korean():
    at = _run({"lang": "ko"})
    assert at.title[0].value == "손실 함수 가계도: 손실 하나, 다이얼 셋"
    assert "Unified Focal 손실" == at.metric[0].label
    assert any("δ, α, β" in s.value for s in at.subheader)


def test_the_compare_page_lists_the_unified_loss_with_the_dials_of_this_page():
    page = AppTest.from_file(str(ROOT / "pages" / "compare.py"), default_timeout=TIMEOUT)
    page.session_state[K + "gamma"] = 0.2  # as this page's gamma dial leaves it
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    table = next(
        df.value
        for df in page.dataframe
        if {"loss", "value"} <= set(getattr(df.value, "columns", ()))
    )
    t, p = _masks()
    want = float(losses.unified_focal(t, p, gamma=0.2))
    assert table.loc["unified_focal", "value"] == pytest.approx(want, abs=1e-5)


def test_every_text_key_the_page_builds_exists_in_both_catalogs():
    """The keys made at run time (reasons, tree edges, dial labels) that the i18n scan misses."""
    from ui import i18n
    from ui.sections import family as section

    reasons = {"soft_truth"}
    for dials in ({}, {"symmetric": True}, {"lambda_": 1.0, "gamma": 0.0}):
        reasons |= {pl.reason for pl in family.places(dials).values() if pl.reason}
    keys = {f"family.reason.{r}" for r in reasons}
    keys |= {f"family.tree.edge.{child}" for _, child in section.EDGES}
    keys |= {
        f"params.unified_focal.{d}.{part}" for d in section.DIALS for part in ("label", "help")
    }
    for lang in i18n.LANGUAGES:
        missing = sorted(keys - set(i18n.catalog(lang)))
        assert not missing, (lang, missing)
