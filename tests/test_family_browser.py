"""The family-tree page in Debian's Chromium: it loads from the home page's link in both
languages and at both classroom screen sizes, a dial moved with the keyboard moves the
value, and the "take me to" buttons land on the named losses' own values. Screenshots go to
tests/_screenshots/. Skips without /usr/bin/chromium, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

from pathlib import Path

import pytest

import losses
from teaching import family
from tests.browser_support import (
    metric_value,
    open_tab,
    wait_for_app,
    wait_for_metric_change,
)
from ui.masks import presets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "_screenshots"
UNIFIED = "Unified Focal loss"


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout=120_000)
    # both figures drawn (plotly loads its script on the first chart)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2",
        timeout=90_000,
    )
    wait_for_app(page)


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def _masks():
    return presets.load_preset(presets.DEFAULT_PRESET)


@pytest.mark.parametrize(
    "lang, width, height",
    [("en", 1440, 1000), ("en", 1280, 720), ("ko", 1440, 1000), ("ko", 1280, 720)],
)
def test_the_page_loads_in_both_languages_and_sizes(app_url, browser, lang, width, height):
    with open_tab(browser, width, height) as page:
        _open(page, f"{app_url}/family_tree?lang={lang}")
        page.wait_for_timeout(1000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"family_tree_{lang}_{width}x{height}.png"))
        _no_exception(page)
        title = page.locator("h1").first.inner_text().strip()
        assert title == (
            "손실 함수 가계도: 손실 하나, 다이얼 셋"
            if lang == "ko"
            else "The family tree: one loss, three dials"
        )
        assert page.locator("[data-testid='stMetricValue']").count() >= 2


def test_the_home_page_links_to_the_family_tree(app_url, browser):
    with open_tab(browser) as page:
        page.goto(app_url)
        wait_for_app(page, timeout=120_000)
        page.get_by_role("link", name="The family tree: how the seven losses relate").click()
        page.wait_for_url("**/family_tree**", timeout=60_000)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip().startswith("The family tree")
        _no_exception(page)


def test_a_dial_moved_with_the_keyboard_moves_the_value(app_url, browser):
    with open_tab(browser) as page:
        _open(page, f"{app_url}/family_tree")
        t, p = _masks()
        before = metric_value(page, UNIFIED)
        assert float(before) == pytest.approx(float(losses.unified_focal(t, p)), abs=1e-4)
        gamma = page.locator("[data-testid='stSlider']").filter(has_text="γ (focal suppression")
        knob = gamma.locator("input").first
        # the dial shows the value the loss is computed at (it once showed 0.00 on a busy
        # server while Python held 0.5: see tests/test_widget_defaults.py)
        assert float(knob.input_value()) == pytest.approx(0.5)
        knob.focus()
        for _ in range(4):  # 0.5 -> 0.3 in steps of 0.05
            page.keyboard.press("ArrowLeft")
        assert float(knob.input_value()) == pytest.approx(0.3)
        wait_for_metric_change(page, UNIFIED, before, timeout=60)
        wait_for_app(page)
        after = metric_value(page, UNIFIED)
        assert float(after) == pytest.approx(float(losses.unified_focal(t, p, gamma=0.3)), abs=1e-4)
        page.wait_for_function("() => location.search.includes('gamma=0.3')", timeout=30_000)
        _no_exception(page)


def _take_me_to(page, name: str, old: str) -> tuple[str, str]:
    page.locator("[data-testid='stButton'] button", has_text=name).first.click()
    wait_for_metric_change(page, UNIFIED, old, timeout=60)
    wait_for_app(page)
    return metric_value(page, UNIFIED), metric_value(page, f"{name}, by its own function")


def test_take_me_to_lands_on_the_named_losses(app_url, browser):
    with open_tab(browser) as page:
        _open(page, f"{app_url}/family_tree")
        t, p = _masks()
        start = family.settings()
        unified, focal = _take_me_to(page, "Focal", metric_value(page, UNIFIED))
        at_focal = family.take_me_to("focal", start)
        want = float(
            losses.focal(
                t, p, alpha=at_focal["delta"], gamma=at_focal["gamma"], class_balanced=True
            )
        )
        assert unified == focal  # exact: the same number twice
        assert float(focal) == pytest.approx(want, abs=1e-4)
        page.get_by_text("Exact.").first.wait_for(timeout=30_000)

        unified, dice = _take_me_to(page, "Dice", unified)
        assert float(dice) == pytest.approx(float(losses.dice(t, p, smooth=2e-6)), abs=1e-4)
        background = float(losses.dice(1 - t, 1 - p, smooth=2e-6))
        assert float(unified) == pytest.approx(float(dice) + background, abs=2e-4)
        page.get_by_text("Approximate.").first.wait_for(timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "family_tree_dice.png"))
        _no_exception(page)
