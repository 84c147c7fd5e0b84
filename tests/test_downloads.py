"""Downloads a teacher takes to slides and an engineer takes to a training script.

Every chart of the loss pages, the compare page and the family page has its PNG and SVG
buttons; a slide's title names the loss, its parameters and where the masks came from; the
masks download as PNGs the upload reads back unchanged; the training script runs, beside a
copy of ``losses/`` alone, and prints the loss the public function gives."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from teaching.registry import LOSSES, get
from tests.test_losses_standalone import ROOT, base_env, copy_of_losses  # noqa: F401
from tests.test_pages_korean import _shown_keys
from ui.masks import imageio, presets
from ui.sections import keras_code
from ui.widgets import downloads

TIMEOUT = 180


def _downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def _charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def _every_view(page: str):
    """The loss page as first shown, then with each of its views open (by key)."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    yield at
    for view in sorted(_shown_keys(at, page)):
        at.session_state[f"view-{page}"] = view
        at.run()
        yield at


@pytest.mark.parametrize("page", ["dice", "focal", "tversky", "combo", "focal_tversky"])
def test_every_chart_of_a_loss_page_has_png_and_svg(page):
    seen_charts = 0
    for at in _every_view(page):
        assert not at.exception, [e.value for e in at.exception]
        labels = _downloads(at)
        charts = _charts(at)
        seen_charts += charts
        # two per chart, plus the two mask PNGs; the code view adds the script
        assert labels.count("PNG") == charts + 2, (at.session_state[f"view-{page}"], labels)
        assert labels.count("SVG") == charts, labels
    assert seen_charts >= 4


def test_the_code_view_offers_the_training_script():
    at = AppTest.from_file(str(ROOT / "pages" / "tversky.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["view-tversky"] = "code"
    at.run()
    assert not at.exception
    assert "Training script (.py)" in _downloads(at)


def test_compare_and_family_charts_have_downloads():
    for page in ("compare", "family_tree"):
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        labels = _downloads(at)
        assert labels.count("SVG") == _charts(at) >= 2, (page, labels)


def test_a_slide_title_names_the_loss_its_values_and_the_masks():
    title = downloads.board_title("Tversky loss", {"alpha": 0.3, "beta": 0.7}, "preset: shifted")
    assert title == "Tversky loss (alpha=0.3, beta=0.7) · preset: shifted"
    assert downloads.board_title("Compare all losses") == "Compare all losses"


def test_a_downloaded_mask_reads_back_as_the_same_mask():
    t, p = presets.load_preset("shifted")
    for mask in (t, p):
        back, _notes = imageio.decode_upload(imageio.encode_mask_png(mask), "mask.png", "pred")
        assert np.max(np.abs(back - np.round(mask * 255) / 255)) < 1e-6


def _kwargs(script: str) -> dict:
    """The keyword arguments the script passes to the loss class (parsed, not eval'd)."""
    tree = ast.parse(script)
    (call,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "").endswith("Loss")
    ]
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords}


@pytest.mark.parametrize("key", LOSSES)
def test_every_script_parses_and_carries_the_settings(key):
    spec = get(key)
    values = spec.defaults("paper")
    script = keras_code.training_script(spec, values)
    assert _kwargs(script) == pytest.approx(values)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["focal", "combo"])
def test_the_training_script_runs_beside_a_copy_of_losses(key, copy_of_losses, tmp_path):  # noqa: F811
    spec = get(key)
    values = spec.defaults("paper")
    path = copy_of_losses / f"train_{key}.py"
    path.write_text(keras_code.training_script(spec, values), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-E", "-s", path.name],
        cwd=copy_of_losses,
        env=base_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    match = re.search(rf"{spec.function} loss after training: (-?[0-9.]+)", proc.stdout)
    assert match, proc.stdout[-2000:]
    assert np.isfinite(float(match.group(1)))


def test_a_view_replayed_to_another_session_keeps_its_downloads():
    """The overlap view is recorded once and replayed (loss_page.SHARED_VIEWS): the second
    session, served from the cache, still gets a PNG and an SVG for each of its charts."""
    from ui.sections.loss_page import SHARED_VIEWS

    assert "overlap" in SHARED_VIEWS
    sessions = []
    for _ in range(2):
        at = AppTest.from_file(str(ROOT / "pages" / "iou.py"), default_timeout=TIMEOUT)
        at.query_params["lang"] = "en"
        at.query_params["view"] = "overlap"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        sessions.append((_charts(at), _downloads(at)))
    (charts, labels), replayed = sessions
    assert charts >= 2 and labels.count("SVG") == charts
    assert replayed == sessions[0]
