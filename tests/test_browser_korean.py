"""The app in Korean in a real browser: Debian's Chromium driven by Playwright.

Every page opened with ``?lang=ko`` loads without an exception, has a Korean title and
leaves a screenshot in ``tests/_screenshots/ko/`` (next to the English ones of
``test_browser_app.py``). On an open loss page, after a stroke painted with the mouse, the
language control switches the page to Korean and back: the painted mask (the loss value),
the parameters and the open view survive both switches, and the link follows the language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import (
    APP_PAGES,
    metric_value,
    open_tab,
    paint_stroke,
    wait_for_app,
    wait_for_metric_change,
    wait_for_paint,
)
from ui import i18n

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "_screenshots" / "ko"
HANGUL = re.compile("[\uac00-\ud7a3]")
PAGES = APP_PAGES
#: Pages whose own words other parts of the app write (their title may still be English).
NOT_OURS: set[str] = set()


LOCALE = "en-US"  # the link, not the browser, sets the language here


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=120_000)


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_in_korean(app_url, page, name):
    _open(page, f"{app_url}/{name}?lang=ko")
    page.wait_for_timeout(1500)  # let plotly and the canvases draw
    wait_for_paint(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name or 'home'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0, f"see {shot}"
    title = page.locator("h1").first.inner_text().strip()
    assert title, "the page has no title"
    if name not in NOT_OURS:
        assert HANGUL.search(title), title
    # the navigation and the language control speak Korean too
    nav = page.locator("[data-testid='stTopNav']").first.inner_text()
    assert HANGUL.search(nav) and i18n.text("nav.explore", "ko") in nav, nav
    assert "lang=ko" in page.url


def _language_button(page, lang: str):
    return page.locator("[data-testid='stButtonGroup'] button", has_text=i18n.LANGUAGES[lang])


def _switch(page, lang: str, title: str) -> None:
    _language_button(page, lang).first.click()
    page.locator("h1", has_text=title).first.wait_for(timeout=60_000)
    wait_for_app(page)


def _active_view(page) -> str:
    """The chosen options of every segmented control on the page, as one string."""
    active = page.locator("[data-testid='stButtonGroup'] button[aria-checked='true']")
    return " | ".join(active.all_inner_texts())


def test_the_language_control_switches_both_ways_and_keeps_the_masks(app_url, page):
    en_title = i18n.text("loss_page.title", "en", name="Dice")
    ko_title = i18n.text("loss_page.title", "ko", name="Dice")
    _open(page, f"{app_url}/dice?smooth=1")
    canvases = page.locator("canvas.upper-canvas")
    canvases.nth(1).wait_for(state="visible")
    before = metric_value(page, en_title)
    # paint over the part of the object the shifted prediction misses
    paint_stroke(page, canvases.nth(1), [(150, 150), (180, 165), (200, 175)])
    painted = wait_for_metric_change(page, en_title, before, timeout=60)
    wait_for_app(page)
    # open a view that is not the first one, to see that it stays open
    curves = i18n.text("views.tabs.curves", "en")
    page.locator("[data-testid='stButtonGroup'] button", has_text=curves).first.click()
    wait_for_app(page)
    assert curves in _active_view(page)

    _switch(page, "ko", ko_title)
    assert "lang=ko" in page.url and "smooth=1" in page.url
    assert metric_value(page, ko_title) == painted, "the painted mask was lost"
    assert i18n.text("views.tabs.curves", "ko") in _active_view(page)
    _no_exception(page)

    _switch(page, "en", en_title)
    assert "lang=en" in page.url
    assert metric_value(page, en_title) == painted, "the painted mask was lost"
    assert curves in _active_view(page)
    # and painting goes on in the other language, on top of the first stroke
    _switch(page, "ko", ko_title)
    canvases.nth(1).wait_for(state="visible")
    paint_stroke(page, canvases.nth(1), [(60, 60), (90, 70)])
    wait_for_metric_change(page, ko_title, painted, timeout=60)
    _no_exception(page)


def test_the_browser_language_decides_the_first_visit(app_url, browser):
    with open_tab(browser, 1280, 720, locale="ko-KR") as pg:
        _open(pg, f"{app_url}/tversky")
        title = i18n.text("loss_page.title", "ko", name="Tversky")
        pg.locator("h1", has_text=title).first.wait_for(timeout=60_000)
        _no_exception(pg)
