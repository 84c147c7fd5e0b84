"""Every loss page through Streamlit's AppTest: no exception, and the numbers it
shows are the ones the losses package computes for the same masks and parameters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import losses
from teaching import analysis
from teaching.registry import LOSSES
from tests.live_apptest import live_sliders, move
from ui import i18n, masks
from ui.masks import presets
from ui.sections import loss_views

#: How many views of its own each loss page adds to the common ones.
OWN_VIEWS = {"focal": 2, "tversky": 2, "focal_tversky": 1, "combo": 2}

ROOT = Path(__file__).resolve().parent.parent
KEYS = list(LOSSES)
TIMEOUT = 120


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown_loss(at: AppTest) -> float:
    return float(at.metric[0].value)


def _expected(key: str, at: AppTest, preset: str | None = None, **params) -> float:
    spec = LOSSES[key]
    values = {p.name: at.session_state[f"param:{key}:{p.name}"] for p in spec.params}
    values.update(params)
    t, p = presets.load_preset(preset or presets.DEFAULT_PRESET)
    return float(getattr(losses, spec.function)(t, p, **values))


def _view_key(label: str, lang: str = "en") -> str:
    """The key of the view whose label (``views.tabs.<key>``) is ``label``."""
    prefix = "views.tabs."
    found = [k[len(prefix) :] for k, v in i18n.catalog(lang).items() if k.startswith(prefix)]
    return next(k for k in found if i18n.text(prefix + k, lang) == label)


def _open_every_tab(at: AppTest, key: str, lang: str = "en") -> None:
    """Open each view of a loss page in turn (views are lazy: only the open one runs)."""
    names = at.segmented_control(key=f"view-{key}").options
    common = [i18n.text(f"views.tabs.{n}", lang) for n, _ in loss_views.COMMON]
    assert names[-len(common) :] == common, names
    assert len(names) == len(common) + OWN_VIEWS.get(key, 0), names
    for name in names:
        at.session_state[f"view-{key}"] = _view_key(name, lang)
        at.run()
        assert not at.exception, (key, name, [e.value for e in at.exception])


@pytest.mark.parametrize("key", KEYS)
def test_page_runs_and_shows_the_package_value(key):
    at = _run(key)
    assert at.title[0].value.startswith(LOSSES[key].title)
    assert _shown_loss(at) == pytest.approx(_expected(key, at), abs=6e-5)
    # the formula and the counts render, and so does every tab once opened
    assert any("Soft counts" in m.value for m in at.markdown)
    assert at.latex
    _open_every_tab(at, key)


@pytest.mark.parametrize("key", KEYS)
def test_every_slider_moves_the_value_to_the_package_value(key):
    at = _run(key)
    spec = LOSSES[key]
    before = _shown_loss(at)
    moved = False
    for p in spec.params:
        widget_key = f"param:{key}:{p.name}"
        if p.kind == "bool":
            new = not at.session_state[widget_key]
            at.checkbox(key=widget_key).set_value(new).run()
        elif p.choices:
            new = p.choices[-1] if at.session_state[widget_key] != p.choices[-1] else p.choices[0]
            move(at, widget_key, new)
        else:
            cur = at.session_state[widget_key]
            new = round(p.hi if cur < p.hi - p.step else p.lo + p.step, 6)
            move(at, widget_key, new)
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state[widget_key] == pytest.approx(new)
        shown = _shown_loss(at)
        assert shown == pytest.approx(_expected(key, at), abs=6e-5), p.name
        if p.kind != "bool":
            # the live slider shows the new value, and at it the loss the metric shows
            live = live_sliders(at)[widget_key]
            assert live["values"][live["index"]] == pytest.approx(new)
            assert live["loss_texts"][live["index"]] == f"{shown:.4f}", p.name
        moved = moved or abs(shown - before) > 1e-4
    assert moved, "no slider changed the shown loss"


@pytest.mark.parametrize("key", ["tversky", "focal", "combo"])
def test_paper_and_blog_buttons_reset_the_sliders(key):
    at = _run(key)
    spec = LOSSES[key]
    paper = next(b for b in at.button if b.label == i18n.text("params.reset.paper", "en"))
    paper.click().run()
    for p in spec.params:
        assert at.session_state[f"param:{key}:{p.name}"] == pytest.approx(p.paper)
    assert _shown_loss(at) == pytest.approx(_expected(key, at), abs=6e-5)
    blog = next(b for b in at.button if b.label == i18n.text("params.reset.blog", "en"))
    blog.click().run()
    for p in spec.params:
        assert at.session_state[f"param:{key}:{p.name}"] == pytest.approx(p.blog)


@pytest.mark.parametrize("preset", presets.preset_keys())
def test_every_preset_loads_and_the_value_follows(preset):
    at = _run("tversky")
    at.selectbox(key=f"{masks.KEY_PREFIX}preset").set_value(preset).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _shown_loss(at) == pytest.approx(_expected("tversky", at, preset), abs=6e-5)


def test_metric_reports_the_change_since_the_last_move():
    at = _run("tversky")
    before = _shown_loss(at)
    move(at, "param:tversky:beta", 0.9)
    after = _shown_loss(at)
    delta = at.metric[0].proto.body if hasattr(at.metric[0].proto, "body") else None
    assert at.metric[0].delta is not None
    assert float(at.metric[0].delta) == pytest.approx(after - before, abs=2e-4)
    del delta


def test_keras_code_matches_the_sliders():
    at = _run("tversky")
    at.session_state["view-tversky"] = "code"  # views are lazy: open the code view
    move(at, "param:tversky:alpha", 0.3)
    move(at, "param:tversky:beta", 0.7)
    code = "\n".join(c.value for c in at.code)
    assert "TverskyLoss(alpha=0.3, beta=0.7, smooth=1e-06)" in code
    # the pasted code really builds the loss it claims
    from losses import TverskyLoss

    loss = TverskyLoss(alpha=0.3, beta=0.7, smooth=1e-06)
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    assert float(loss(t[None, ..., None], p[None, ..., None])) == pytest.approx(
        float(losses.tversky(t, p, alpha=0.3, beta=0.7)), abs=1e-6
    )


def test_parameters_from_a_shared_link_are_clamped_into_range():
    at = AppTest.from_file(str(ROOT / "pages" / "tversky.py"), default_timeout=TIMEOUT)
    at.query_params["alpha"] = "0.3"
    at.query_params["beta"] = "7"  # out of range: clamped to 1
    at.run()
    assert not at.exception
    assert at.session_state["param:tversky:alpha"] == pytest.approx(0.3)
    assert at.session_state["param:tversky:beta"] == pytest.approx(1.0)


def test_home_page_needs_no_tensorflow():
    import os
    import subprocess
    import sys

    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}); at.run(); "
        "assert not at.exception, [e.value for e in at.exception]; "
        "assert at.title[0].value == 'Segmentation Loss Lab'; "
        "print('tensorflow' in sys.modules)"
    )
    env = {**os.environ, "SEGLOSS_NO_WARMUP": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_empty_ground_truth_keeps_every_section_alive():
    for key in KEYS:
        at = AppTest.from_file(str(ROOT / "pages" / f"{key}.py"), default_timeout=TIMEOUT)
        at.run()
        at.selectbox(key=f"{masks.KEY_PREFIX}preset").set_value("empty_gt").run()
        assert not at.exception, (key, [e.value for e in at.exception])
        assert np.isfinite(_shown_loss(at))
        _open_every_tab(at, key)


def test_every_page_of_the_navigation_runs_through_app_py():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    scripts = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert len(scripts) >= 11
    for name in scripts:
        at.switch_page(f"pages/{name}").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert at.title, name


def test_the_slide_figure_is_a_png_of_the_current_state():
    from ui.figures import slides
    from ui.sections import loss_views

    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    numbers = {"TP": 1.0, "FP": 2.0, "FN": 3.0, "TN": 4.0}
    curve = analysis.pixel_curve("dice", np.linspace(0, 1, 11))
    conf = analysis.confidence_curve("dice", t, p, np.linspace(0, 1, 11))
    png = slides.slide_png("dice", 0.5, "smooth=1e-06", numbers, t, p, curve, conf)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png))
    assert img.width > img.height  # a slide, landscape
    assert callable(loss_views._slide)


def test_settle_garbage_freezes_long_lived_objects_on_sparse_full_runs():
    """What a full run leaves alive is frozen on runs 1, 2, 4, 8...: the full collection
    Streamlit triggers after each run (keras.backend.clear_session) then walks only what
    is new. Run in a child process: freezing would change this test process."""
    import subprocess
    import sys

    code = (
        "import gc\n"
        "from ui.runtime.warmup import settle_garbage\n"
        "kept = [[i] for i in range(50_000)]  # long-lived, tracked by the collector\n"
        "before = len(gc.get_objects())\n"
        "froze = [settle_garbage() for _ in range(9)]\n"
        "after = len(gc.get_objects())\n"
        "print(froze, before, after, gc.get_freeze_count() >= 50_000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    froze, rest = out.stdout.strip().rsplit("]", 1)
    assert froze + "]" == str([True, True, False, True, False, False, False, True, False])
    before, after, frozen = rest.split()
    assert int(before) > 50_000
    assert int(after) < 1_000
    assert frozen == "True"
