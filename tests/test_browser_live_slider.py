"""The live sliders in Chromium: the loss follows the hand during a drag, with no server
round trip, and the value Python shows after the release is the last one dragged.

The Focal page's gamma slider is dragged across its range in small pointer moves; each
move must show a new value and loss at once (the page's metric, which Python writes,
stays where it was until the release). After the release the metric, the link (written
by Python) and the slider agree with the last dragged step. The keyboard moves it too.
A screenshot series at 1280 x 720 is saved to tests/_screenshots/live/ to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser_support import live_thumb, metric_value, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parent / "_screenshots" / "live"
GAMMA = "gamma (focusing"
METRIC = "Focal loss"


VIEWPORT = (1280, 720)


def _open_focal(page, app_server: str):
    page.goto(f"{app_server}/focal?lang=en")
    wait_for_app(page, timeout=120_000)
    thumb = live_thumb(page, GAMMA)
    thumb.wait_for()
    thumb.scroll_into_view_if_needed()
    return thumb


def _shown(thumb) -> dict:
    """What the live slider shows now: the value text, the loss text, the aria value."""
    return thumb.evaluate(
        """(el) => {
            const root = el.getRootNode();
            return { value: root.querySelector('.value').textContent,
                     loss: root.querySelector('.loss').textContent,
                     now: el.getAttribute('aria-valuenow'),
                     text: el.getAttribute('aria-valuetext'),
                     extras: root.querySelector('.extras').textContent };
        }"""
    )


def _track_box(thumb) -> dict:
    """The slider's track on the page (the thumb's parent, in the component's shadow root)."""
    return thumb.evaluate(
        """(el) => { const r = el.parentElement.getBoundingClientRect();
                     return { x: r.x, y: r.y, width: r.width, height: r.height }; }"""
    )


def _python_gamma(page) -> str:
    """gamma as Python last wrote it into the address bar (params.sync_link)."""
    return parse_qs(urlparse(page.url).query).get("gamma", [""])[0]


def _wait_python(page, value: str) -> None:
    page.wait_for_function(
        "(v) => new URLSearchParams(location.search).get('gamma') === v", arg=value
    )
    wait_for_app(page)


def test_a_drag_shows_every_step_and_the_release_gives_python_the_last(app_server, page):
    thumb = _open_focal(page, app_server)
    metric_before = metric_value(page, METRIC)
    track = _track_box(thumb)
    y = track["y"] + track["height"] / 2
    x0, width = track["x"], track["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(x0 + 0.2 * width, y)
    page.mouse.down()
    seen = []
    moves = 24
    for i in range(moves + 1):
        page.mouse.move(x0 + width * (0.2 + 0.75 * i / moves), y)
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
        seen.append(_shown(thumb))
        if i % 8 == 0:
            page.screenshot(path=str(SHOTS / f"focal-drag-{i:02d}.png"))
    # still held: Python has not been asked, the browser looked every step up
    assert metric_value(page, METRIC) == metric_before
    values = [s["value"] for s in seen]
    assert len(set(values)) >= 10, values
    assert len({s["loss"] for s in seen}) >= 10, seen
    assert len({s["extras"] for s in seen}) >= 5  # the easy / hard split follows gamma
    last = seen[-1]
    assert last["now"] == last["value"] and last["value"] in last["text"]
    page.mouse.up()
    _wait_python(page, last["value"])
    assert _python_gamma(page) == last["value"]
    # the loss Python computes for that value is the one shown while dragging
    assert metric_value(page, METRIC) == last["loss"]
    assert _shown(thumb)["value"] == last["value"]
    page.screenshot(path=str(SHOTS / "focal-released.png"))
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_keyboard_moves_the_slider_and_python_agrees(app_server, page):
    thumb = _open_focal(page, app_server)
    start = _shown(thumb)
    assert thumb.get_attribute("aria-valuemin") == "0"
    assert thumb.get_attribute("aria-valuemax") == "5"
    thumb.focus()
    page.keyboard.press("ArrowRight")
    moved = _shown(thumb)
    assert float(moved["value"]) == pytest.approx(float(start["value"]) + 0.1)
    _wait_python(page, moved["value"])
    assert metric_value(page, METRIC) == moved["loss"]
    thumb.focus()
    page.keyboard.press("End")
    end = _shown(thumb)
    assert end["value"] == "5" and end["now"] == "5"
    _wait_python(page, "5")
    assert metric_value(page, METRIC) == end["loss"]
    thumb.focus()
    page.keyboard.press("Home")
    page.keyboard.press("PageUp")  # a tenth of the range from the start: 0.5
    _wait_python(page, "0.5")
    assert _shown(thumb)["value"] == "0.5"
    assert page.locator("[data-testid='stException']").count() == 0


def test_dragging_tversky_alpha_moves_the_weighted_fp_bar(app_server, page):
    page.goto(f"{app_server}/tversky?lang=en")
    wait_for_app(page, timeout=120_000)
    thumb = live_thumb(page, "alpha (weight of false")
    thumb.scroll_into_view_if_needed()
    track = _track_box(thumb)
    y = track["y"] + track["height"] / 2
    page.mouse.move(track["x"] + 0.5 * track["width"], y)
    page.mouse.down()
    widths = []
    for i, f in enumerate((0.6, 0.8, 1.0)):
        page.mouse.move(track["x"] + f * track["width"], y)
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
        widths.append(
            thumb.evaluate("(el) => el.getRootNode().querySelector('.bar .in').style.width")
        )
        page.screenshot(path=str(SHOTS / f"tversky-drag-{i}.png"))
    page.mouse.up()
    assert len(set(widths)) == 3, widths  # alpha * FP grows with alpha
    page.wait_for_function("() => new URLSearchParams(location.search).get('alpha') === '1'")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
