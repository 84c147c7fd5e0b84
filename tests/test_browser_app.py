"""The real app in a real browser: Debian's Chromium driven by Playwright.

Every page loads without an exception (and leaves a screenshot in
tests/_screenshots/), a stroke painted with the mouse on the prediction canvas
changes the loss, a PNG uploaded through the real file input becomes the mask,
and a slider moved with the keyboard shows the value the losses package
computes. Skips when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import losses
from teaching.registry import LOSSES
from tests.browser_support import (
    APP_PAGES,
    live_thumb,
    mask_png,
    metric_value,
    paint_stroke,
    upload_prediction,
    wait_for_app,
    wait_for_metric_change,
    wait_for_paint,
)
from ui.masks import presets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "_screenshots"
PAGES = APP_PAGES


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=120_000)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_without_an_exception(app_url, page, name):
    _open(page, f"{app_url}/{name}")
    page.wait_for_timeout(1500)  # let plotly and the canvases draw
    wait_for_paint(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name or 'home'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0, f"see {shot}"
    assert page.locator("h1").first.inner_text().strip(), "the page has no title"
    if name not in ("", "compare", "pitfalls", "challenges", "training_lab"):
        assert page.locator("[data-testid='stMetricValue']").count() >= 1


def test_a_stroke_on_the_prediction_canvas_changes_the_loss(app_url, page):
    _open(page, f"{app_url}/dice")
    canvases = page.locator("canvas.upper-canvas")
    canvases.nth(1).wait_for(state="visible")
    before = metric_value(page, "Dice loss")
    # paint over the part of the object the shifted prediction misses
    paint_stroke(page, canvases.nth(1), [(150, 150), (180, 165), (200, 175)])
    after = wait_for_metric_change(page, "Dice loss", before, timeout=60)
    assert float(after) != pytest.approx(float(before), abs=1e-4)
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_png_uploaded_through_the_file_input_becomes_the_prediction(app_url, page, tmp_path):
    _open(page, f"{app_url}/dice")
    before = metric_value(page, "Dice loss")
    # a prediction that covers exactly the ground truth of the default preset
    t, _ = presets.load_preset(presets.DEFAULT_PRESET)
    path = tmp_path / "prediction.png"
    path.write_bytes(mask_png(t))
    upload_prediction(page, path)
    after = wait_for_metric_change(page, "Dice loss", before, timeout=60)
    assert float(after) == pytest.approx(float(losses.dice(t, t)), abs=1e-4)
    assert page.locator("[data-testid='stException']").count() == 0

    # a file that is not an image is refused with a message, and the mask is kept
    wait_for_app(page)
    page.wait_for_timeout(500)
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is not a picture")
    inputs = page.locator("[data-testid='stFileUploader'] input[type='file']")
    inputs.nth(1).set_input_files(str(bad))
    page.get_by_text("The current mask was kept").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert metric_value(page, "Dice loss") == after
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_slider_moved_with_the_keyboard_shows_the_package_value(app_url, page):
    _open(page, f"{app_url}/tversky")
    before = metric_value(page, "Tversky loss")
    # the loss's sliders are live sliders (ui/widgets/live_slider.py); find beta by its label
    live_thumb(page, "beta (weight of false").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    after = wait_for_metric_change(page, "Tversky loss", before, timeout=60)
    wait_for_app(page)
    after = metric_value(page, "Tversky loss")
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    expected = float(losses.tversky(t, p, alpha=0.5, beta=0.7))
    assert float(after) == pytest.approx(expected, abs=1e-4)
    assert page.locator("[role='slider']").count() >= 3
    # the figures follow the value (ui/redraw.py): the formula with the current
    # values is redrawn by the second fragment, and so is the address bar
    page.wait_for_function(
        r"""() => [...document.querySelectorAll('annotation')]
                  .some(a => /0\.7\W+FN/.test(a.textContent))""",
        timeout=30_000,
    )
    page.wait_for_function("() => location.search.includes('beta=0.7')", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_paper_values_button_updates_the_value_and_the_sliders(app_url, page):
    # the value and the sliders change together; the figures follow
    _open(page, f"{app_url}/tversky")
    before = metric_value(page, "Tversky loss")
    page.get_by_role("button", name="Paper values").click()
    after = wait_for_metric_change(page, "Tversky loss", before, timeout=60)
    wait_for_app(page)
    paper = LOSSES["tversky"].defaults("paper")
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    assert float(after) == pytest.approx(float(losses.tversky(t, p, **paper)), abs=1e-4)
    alpha = live_thumb(page, "alpha (weight of false")
    page.wait_for_function(
        "(el) => el.getAttribute('aria-valuenow') === '0.3'", arg=alpha.element_handle()
    )
    assert paper["alpha"] == 0.3
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_training_lab_trains_when_train_is_pressed(app_url, page):
    # a tiny setting from a link: 32 images, 2 epochs, one loss
    _open(page, f"{app_url}/training_lab?images=32&val=16&epochs=2&batch=16&width=4&loss_b=none")
    page.locator("[data-testid='stButton'] button", has_text="Train").first.click()
    page.locator("[data-testid='stMetric']", has_text="Validation Dice").first.wait_for(
        timeout=180_000
    )
    wait_for_app(page, timeout=180_000)
    value = metric_value(page, "Validation Dice")
    assert 0.0 <= float(value.split()[0].rstrip("%")) <= 100.0
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "training_lab_trained.png"), full_page=True)
