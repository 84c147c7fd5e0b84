"""Projector mode in Chromium at 1280 x 720, the size of a lecture-hall projector.

Every page opens with ``?present=1`` without an exception and leaves a screenshot in
tests/_screenshots/projector/ (in Korean, the language of the room, and the loss pages in
English too). On a loss page nothing the teacher needs is below the fold: the title, the
loss value (drawn larger than without the mode), every parameter slider and both canvases
start inside the first 720 pixels (smooth, a numerical safeguard, may sit lower). The switch on the page turns the mode on and off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from teaching.registry import LOSSES
from tests.browser_support import APP_PAGES, wait_for_app, wait_for_paint

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parent / "_screenshots" / "projector"
WIDTH, HEIGHT = 1280, 720
VIEWPORT = (WIDTH, HEIGHT)


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=120_000)
    page.wait_for_timeout(800)  # let plotly and the canvases draw
    wait_for_paint(page)


def _top(page, selector: str, index: int = 0) -> float:
    box = page.locator(selector).nth(index).bounding_box()
    assert box is not None, selector
    return box["y"]


def _metric_size(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector("
        "'[data-testid=stMetricValue] p')).fontSize)"
    )


CASES = [(name, "ko") for name in APP_PAGES] + [(name, "en") for name in LOSSES]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_page_in_projector_mode(app_url, page, name, lang):
    _open(page, f"{app_url}/{name}?present=1&lang={lang}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name or 'home'}_{lang}.png"
    page.screenshot(path=str(shot))
    assert page.locator("[data-testid='stException']").count() == 0, f"see {shot}"
    assert page.locator("h1").first.bounding_box()["y"] < HEIGHT
    if name not in LOSSES:
        return
    assert _top(page, "[data-testid='stMetricValue']") + 60 < HEIGHT, f"see {shot}"
    # the loss parameters are live sliders (role=slider in their shadow roots); smooth, a
    # numerical safeguard no lesson turns, may sit below the Tversky page's two tall ones
    sliders = "[role='slider']:visible:not([aria-label^='smooth'])"
    # Dice, BCE-Dice and IoU have no parameter but smooth
    turned = [p for p in LOSSES[name].numeric_params if p.name != "smooth"]
    assert page.locator(sliders).count() >= len(turned), f"see {shot}"
    for i in range(page.locator(sliders).count()):
        assert _top(page, sliders, i) < HEIGHT, (i, f"see {shot}")
    for i in range(2):
        assert _top(page, "canvas.upper-canvas", i) < HEIGHT - 100, (i, f"see {shot}")


def test_the_switch_turns_the_mode_on_and_off(app_url, page):
    _open(page, f"{app_url}/dice?lang=en")
    plain = _metric_size(page)
    page.get_by_text("Projector", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('present=1')")
    wait_for_app(page)
    assert _metric_size(page) > 1.5 * plain
    page.get_by_text("Projector", exact=True).click()
    page.wait_for_function("() => !window.location.search.includes('present')")
    wait_for_app(page)
    assert _metric_size(page) == pytest.approx(plain)
