"""The mask input section through AppTest: presets, clear, uploads and bad uploads.

The canvases are a custom component, which AppTest shows as an unknown element and never
paints on; painting is covered by the pure ``canvas_to_mask`` tests and the browser test.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from ui.masks import presets

APP = str(Path(__file__).resolve().parent / "apps" / "mask_input_app.py")
K = "_segloss_mask_"


def _metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def _pred_mean(at: AppTest) -> float:
    return float(_metric(at, "Mean of y_pred"))


def _true_mean(at: AppTest) -> float:
    return float(_metric(at, "Mean of y_true"))


def _png(arr: np.ndarray, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format=fmt)
    return buf.getvalue()


@pytest.fixture()
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def _upload_mode(at: AppTest) -> None:
    at.segmented_control(key=f"{K}mode").set_value("upload").run()
    assert not at.exception


def test_starts_with_the_default_preset(at):
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    assert _pred_mean(at) == pytest.approx(p.mean(), abs=1e-5)
    assert _true_mean(at) == pytest.approx(t.mean(), abs=1e-5)
    assert _metric(at, "Masks version") == "0"
    assert at.selectbox(key=f"{K}preset").value == presets.DEFAULT_PRESET
    assert len(at.get("bidi_component")) == 2  # the two canvases, unknown to AppTest


@pytest.mark.parametrize("key", presets.preset_keys())
def test_choosing_each_preset_loads_it(at, key):
    if key == presets.DEFAULT_PRESET:
        at.selectbox(key=f"{K}preset").set_value("tiny").run()
    at.selectbox(key=f"{K}preset").set_value(key).run()
    assert not at.exception
    t, p = presets.load_preset(key)
    assert _pred_mean(at) == pytest.approx(p.mean(), abs=1e-5)
    assert _true_mean(at) == pytest.approx(t.mean(), abs=1e-5)
    assert f"preset: `{key}`" in " ".join(m.value for m in at.markdown)
    assert presets.preset_text(key, "description") in " ".join(c.value for c in at.caption)


def test_clear_and_reload(at):
    before = int(_metric(at, "Masks version"))
    clear_pred = at.button(key=f"{K}clear_pred")
    clear_pred.click().run()
    assert _pred_mean(at) == 0.0
    assert int(_metric(at, "Masks version")) == before + 1
    assert "source: `paint`" in " ".join(m.value for m in at.markdown)
    at.button(key=f"{K}clear_true").click().run()
    assert _true_mean(at) == 0.0
    at.button(key=f"{K}reload").click().run()
    _, p = presets.load_preset(presets.DEFAULT_PRESET)
    assert _pred_mean(at) == pytest.approx(p.mean(), abs=1e-5)


def test_upload_prediction_and_ground_truth(at):
    _upload_mode(at)
    pred = np.full((64, 64), 128, np.uint8)
    at.file_uploader(key=f"{K}upload_pred").upload("pred.png", _png(pred), "image/png").run()
    assert not at.exception
    assert _pred_mean(at) == pytest.approx(128 / 255, abs=1e-4)
    text = " ".join(i.value for i in at.info)
    assert "pred.png" in text and "Resized from 64 x 64" in text
    gt = np.zeros((256, 256), np.uint8)
    gt[:, :64] = 200  # not binary: binarised with a note
    at.file_uploader(key=f"{K}upload_true").upload("gt.png", _png(gt), "image/png").run()
    assert not at.exception
    assert _true_mean(at) == pytest.approx(0.25, abs=1e-6)
    assert "binarised at 0.5" in " ".join(i.value for i in at.info)
    assert "source: `upload`" in " ".join(m.value for m in at.markdown)
    assert not at.error


def test_jpeg_and_colour_uploads(at):
    _upload_mode(at)
    rgb = np.zeros((100, 100, 3), np.uint8)
    rgb[..., 1] = 255  # pure green: luminance 0.587
    at.file_uploader(key=f"{K}upload_pred").upload("g.jpg", _png(rgb, "JPEG"), "image/jpeg").run()
    assert not at.exception and not at.error
    assert _pred_mean(at) == pytest.approx(0.587, abs=0.02)
    assert "luminance" in " ".join(i.value for i in at.info)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"definitely not a picture", "not an image"),
        (b"", "empty"),
    ],
)
def test_bad_upload_shows_an_error_not_an_exception(at, data, words):
    _upload_mode(at)
    before = _pred_mean(at)
    at.file_uploader(key=f"{K}upload_pred").upload("oops.png", data, "image/png").run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value and "oops.png" in at.error[0].value
    assert _pred_mean(at) == before  # the masks are untouched
    # a good file afterwards replaces the error
    ok = np.full((256, 256), 51, np.uint8)
    at.file_uploader(key=f"{K}upload_pred").upload("ok.png", _png(ok), "image/png").run()
    assert not at.error and _pred_mean(at) == pytest.approx(0.2, abs=1e-5)


def test_masks_survive_reruns_and_mode_switches(at):
    at.selectbox(key=f"{K}preset").set_value("tiny").run()
    value = _pred_mean(at)
    _upload_mode(at)
    assert _pred_mean(at) == value
    at.slider(key=f"{K}width").set_value(40).run()
    at.segmented_control(key=f"{K}mode").set_value("preset").run()
    assert _pred_mean(at) == value and not at.exception
