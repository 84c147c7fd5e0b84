"""Paint on the prediction canvas in a real Chromium and watch the masks follow.

Starts ``streamlit run tests/apps/mask_input_app.py`` and drives it with Playwright. Skips
when Debian's ``chromium`` is missing, unless REQUIRE_BROWSER=1 (then it fails).
"""

from __future__ import annotations

import pytest

from tests.browser_support import (
    metric_value,
    open_tab,
    paint_stroke,
    require_chromium,
    start_streamlit,
    stop_streamlit,
    wait_for_app,
    wait_for_metric_change,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = "tests/apps/mask_input_app.py"


@pytest.fixture(scope="module")
def app_url():
    require_chromium()
    url, proc = start_streamlit(APP)
    yield url
    stop_streamlit(proc)


def test_painting_the_prediction_changes_the_masks_on_every_page(app_url, browser):
    with open_tab(browser, 1600, 1000) as page:
        page.goto(app_url)
        wait_for_app(page)
        canvases = page.locator("canvas.upper-canvas")
        canvases.nth(1).wait_for(state="visible")
        assert canvases.count() == 2
        before = metric_value(page, "Mean of y_pred")

        # One horizontal stroke, 18 px wide, across the prediction canvas (256 px).
        paint_stroke(page, canvases.nth(1), [(20, 200), (120, 200), (236, 200)])
        after = wait_for_metric_change(page, "Mean of y_pred", before)
        gain = float(after) - float(before)
        assert 0.03 < gain < 0.08, (before, after)
        assert not page.locator("[data-testid='stException']").count()

        # The masks belong to the session, not to the page.
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Another page").click()
        page.get_by_role("heading", name="Another page").wait_for()
        wait_for_app(page)
        assert metric_value(page, "Mean of y_pred") == after
        # ...and painting goes on there, on top of the first stroke.
        canvases.nth(1).wait_for(state="visible")
        paint_stroke(page, canvases.nth(1), [(128, 60), (128, 120)])
        wait_for_metric_change(page, "Mean of y_pred", after)
