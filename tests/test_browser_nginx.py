"""The app through nginx, as a class would reach two replicas: Debian's nginx on loopback
(deploy/loopback.py, the template of deploy/nginx.conf) in front of two app servers.

In real Chromium: a page opens through the proxy (its websocket upgraded), a PNG uploaded
through the file input (an HTTP PUT that must reach the replica holding the tab's
session) becomes the prediction, and a slider moved with the keyboard brings the value
the losses package computes. Nothing the upload carried is written to disk: the replicas
run with a temporary directory of their own, which stays empty, and no file appears in
the working directory.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import losses
from deploy.loopback import running
from tests.browser_support import (
    live_thumb,
    mask_png,
    metric_value,
    open_tab,
    upload_prediction,
    wait_for_app,
    wait_for_metric_change,
)
from ui.masks import presets

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"__pycache__", ".pytest_cache", "_screenshots", ".git", ".ruff_cache"}


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if not Path("/usr/sbin/nginx").exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    server_tmp = tmp_path_factory.mktemp("replica-tmp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TMPDIR", str(server_tmp))  # the replicas' tempfile directory
        with running() as lb:
            mp.delenv("TMPDIR")
            yield lb, server_tmp


def _files_under(root: Path, since: float) -> list[Path]:
    out = []
    for path in root.rglob("*"):
        if SKIP_DIRS & set(path.relative_to(root).parts) or not path.is_file():
            continue
        if path.stat().st_mtime >= since:
            out.append(path)
    return out


def test_open_upload_and_slide_through_nginx(proxy, browser, tmp_path):
    lb, server_tmp = proxy
    started = time.time()
    with open_tab(browser) as page:
        page.goto(f"{lb.url}/tversky")
        wait_for_app(page, timeout=120_000)
        assert page.context.cookies()[0]["name"] == "segloss_replica"  # the sticky route
        before = metric_value(page, "Tversky loss")
        live_thumb(page, "beta (weight of false").focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        wait_for_metric_change(page, "Tversky loss", before, timeout=60)
        wait_for_app(page)
        tt, pp = presets.load_preset(presets.DEFAULT_PRESET)
        expected = float(losses.tversky(tt, pp, alpha=0.5, beta=0.7))
        assert float(metric_value(page, "Tversky loss")) == pytest.approx(expected, abs=1e-4)
        page.goto(f"{lb.url}/dice")
        wait_for_app(page, timeout=120_000)
        before = metric_value(page, "Dice loss")
        t, _ = presets.load_preset(presets.DEFAULT_PRESET)
        path = tmp_path / "prediction.png"
        path.write_bytes(mask_png(t))
        upload_prediction(page, path)
        after = wait_for_metric_change(page, "Dice loss", before, timeout=60)
        assert float(after) == pytest.approx(float(losses.dice(t, t)), abs=1e-4)

        assert page.locator("[data-testid='stException']").count() == 0
    assert list(server_tmp.iterdir()) == [], "a replica wrote to its temporary directory"
    assert _files_under(ROOT, started) == [], "a file appeared in the working directory"
    assert (
        not any((lb.tmp / "client_body").glob("**/*[!/]"))
        if (lb.tmp / "client_body").exists()
        else True
    )
