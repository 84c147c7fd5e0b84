"""The Training lab in Chromium: runs live in worker processes, shared by tabs, ended by a closed tab.

A server of its own (its process id is needed to find its training workers);
tiny settings from the link (32 images of 64 x 64, batch 16, one loss).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench.load import ServerWatch, training_workers
from tests.browser_support import start_streamlit, stop_streamlit, wait_for_app

pytestmark = pytest.mark.browser

TINY = "val=16&batch=16&width=4&loss_b=none"


@pytest.fixture(scope="module")
def server():
    url, proc = start_streamlit("app.py")
    yield url, proc
    stop_streamlit(proc)


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page, timeout=120_000)
    return context, page


def _train(page) -> None:
    page.locator("[data-testid='stButton'] button", has_text="Train").first.click()


def _dice(page) -> str:
    metric = page.locator("[data-testid='stMetric']", has_text="Validation Dice").first
    metric.wait_for(timeout=180_000)
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def test_two_tabs_share_one_run_trained_in_a_worker(server, browser):
    url, proc = server
    tabs = [
        _open(browser, f"{url}/training_lab?{TINY}&images=32&epochs=3&seed=11") for _ in range(2)
    ]
    for _, page in tabs:
        _train(page)
    seen = ""
    for _ in range(20):  # what the first tab says while the run waits or trains
        seen += " ".join(tabs[0][1].locator("[data-testid='stMain']").all_inner_texts())
        if "2 people are watching" in seen:
            break
        time.sleep(0.25)
    values = [_dice(page) for _, page in tabs]
    assert values[0] == values[1]
    assert "2 people are watching" in seen
    assert training_workers(proc.pid), "no training process beside the server"
    for context, page in tabs:
        assert page.locator("[data-testid='stException']").count() == 0
        context.close()


def test_a_closed_tab_cancels_the_run_nobody_else_watches(server, browser):
    url, proc = server
    # 60 epochs of 256 images: about a minute, far longer than this test waits
    context, page = _open(browser, f"{url}/training_lab?{TINY}&images=256&epochs=60&seed=12")
    _train(page)
    page.locator("[data-testid='stProgress']", has_text="epoch").first.wait_for(timeout=120_000)
    pids = training_workers(proc.pid)
    training = _cpu_over(pids, 2.0)
    assert training > 0.2  # a worker is training
    context.close()
    time.sleep(6)  # the pool notices the closed session (within a few seconds) and stops
    assert _cpu_over(pids, 2.0) < 0.3 * training  # nobody trains for a closed tab
    log = Path(proc.log_path).read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


def _cpu_over(pids: list[int], seconds: float) -> float:
    before = ServerWatch(pids).cpu_seconds()
    time.sleep(seconds)
    return ServerWatch(pids).cpu_seconds() - before
