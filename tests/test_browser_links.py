"""The board in a link, in Chromium: a teacher paints, moves a slider and copies the link;
a student opens it in a fresh browser context and sees the same value, view and language. A
hostile link opens the page with a note and no exception."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    live_thumb,
    metric_value,
    paint_stroke,
    wait_for_app,
    wait_for_metric_change,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _context(browser):
    return browser.new_context(
        viewport={"width": 1440, "height": 1000},
        permissions=["clipboard-read", "clipboard-write"],
    )


def test_a_copied_link_opens_the_same_board_in_a_fresh_browser(browser, app_url):
    teacher = _context(browser)
    page = teacher.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/tversky?lang=en")
    wait_for_app(page, timeout=120_000)
    before = metric_value(page, "Tversky loss")
    canvas = page.locator("canvas.upper-canvas").nth(1)
    canvas.wait_for(state="visible")
    paint_stroke(page, canvas, [(30, 40), (120, 60), (200, 200)])
    painted = wait_for_metric_change(page, "Tversky loss", before)
    live_thumb(page, "beta (weight of false").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    moved = wait_for_metric_change(page, "Tversky loss", painted)
    wait_for_app(page)
    page.get_by_role("radio", name="Where it pushes").click()
    page.wait_for_function("() => window.location.search.includes('view=push')")
    wait_for_app(page)
    page.wait_for_function("() => window.location.search.includes('m=')")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Link copied").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url and "m=" in link and "beta=0.7" in link
    teacher.close()

    student = _context(browser)
    fresh = student.new_page()
    fresh.set_default_timeout(90_000)
    fresh.goto(link)
    wait_for_app(fresh, timeout=120_000)
    assert fresh.locator("[data-testid='stException']").count() == 0
    assert metric_value(fresh, "Tversky loss") == moved  # every printed digit
    assert fresh.locator("h1").first.inner_text().strip() == "Tversky loss"
    assert "view=push" in fresh.url
    view = fresh.get_by_role("radio", name="Where it pushes")
    assert view.get_attribute("aria-checked") == "true"  # the same view is open
    student.close()


def test_a_link_in_korean_opens_in_korean(browser, app_url):
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{app_url}/dice?lang=ko&preset=tiny")
    wait_for_app(page, timeout=120_000)
    assert page.locator("[data-testid='stException']").count() == 0
    control = page.locator("[data-testid='stButtonGroup']").first
    assert "한국어" in control.inner_text()
    assert "lang=ko" in page.url and "preset=tiny" in page.url
    context.close()


def test_a_broken_link_shows_a_note_and_the_page(browser, app_url):
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{app_url}/dice?m=%3Cscript%3Ealert(1)%3C/script%3E&alpha=nan&lang=en")
    wait_for_app(page, timeout=120_000)
    assert page.locator("[data-testid='stException']").count() == 0
    notes = page.locator("[data-testid='stAlert']").all_inner_texts()
    assert any("masks" in n and "alpha" in n for n in notes), notes
    assert page.locator("script:has-text('alert(1)')").count() == 0
    assert metric_value(page, "Dice loss")
    context.close()
