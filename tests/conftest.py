"""Shared fixtures: one headless Chromium for every browser test in a run."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    launch_chromium,
    open_tab,
    require_chromium,
    start_streamlit,
    stop_streamlit,
)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (skips, or fails with REQUIRE_BROWSER=1)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_server():
    """One ``streamlit run app.py`` for every browser test of the whole app; its URL."""
    require_chromium()
    url, proc = start_streamlit("app.py")
    yield url
    stop_streamlit(proc)


@pytest.fixture(scope="session")
def app_url(app_server):
    """The URL of the shared app server (a module may override it with an app of its own)."""
    return app_server


@pytest.fixture
def page(browser, request):
    """A fresh tab; a module sets its size with ``VIEWPORT = (width, height)`` (1440 x 1000
    unless it does) and the browser's language with ``LOCALE``."""
    width, height = getattr(request.module, "VIEWPORT", (1440, 1000))
    with open_tab(browser, width, height, getattr(request.module, "LOCALE", None)) as tab:
        yield tab
