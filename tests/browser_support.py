"""Helpers for browser tests: start a Streamlit app, drive Debian's Chromium with Playwright.

Importable from any test (``from tests.browser_support import ...``); nothing here is a
fixture by itself, so each test module builds the fixtures it needs::

    @pytest.fixture(scope="module")
    def app_url():
        url, proc = start_streamlit("tests/apps/mask_input_app.py")
        yield url
        stop_streamlit(proc)

Playwright's own browser download cannot work here; ``launch_chromium`` uses the system
Chromium (``apt-get install chromium``). ``require_chromium()`` skips a test when it is missing,
or fails it when the environment variable ``REQUIRE_BROWSER=1`` is set (as in CI).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: The URL path of every page of app.py ("" is the home page).
APP_PAGES = [
    "",
    "focal",
    "dice",
    "bce_dice",
    "iou",
    "tversky",
    "focal_tversky",
    "combo",
    "compare",
    "pitfalls",
    "challenges",
    "family_tree",
    "training_lab",
]


def chromium_path() -> str | None:
    """The Chromium executable to use, or None: $CHROMIUM_PATH, /usr/bin/chromium, PATH."""
    env = os.environ.get("CHROMIUM_PATH")
    if env and Path(env).exists():
        return env
    if Path(DEFAULT_CHROMIUM).exists():
        return DEFAULT_CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """Chromium's path; otherwise skip the test (or fail it when REQUIRE_BROWSER=1)."""
    import pytest

    path = chromium_path()
    if path:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            msg = "Playwright for Python is not installed (pip install playwright)."
            if os.environ.get("REQUIRE_BROWSER") == "1":
                pytest.fail(msg)
            pytest.skip(msg)
        return path
    msg = (
        f"Chromium not found at {DEFAULT_CHROMIUM}: install the Debian package `chromium` "
        "(apt-get install chromium) to run the browser tests."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(msg + " REQUIRE_BROWSER=1 makes this a failure.")
    pytest.skip(msg)
    raise AssertionError("unreachable")


def launch_chromium(playwright, **kwargs):
    """``playwright.chromium.launch`` on the system Chromium with flags that suit a container."""
    path = chromium_path()
    if not path:
        raise RuntimeError(
            "Chromium not found: install the Debian package `chromium` (apt-get install chromium)."
        )
    args = list(CHROMIUM_ARGS) + list(kwargs.pop("args", []))
    return playwright.chromium.launch(
        executable_path=path, args=args, headless=kwargs.pop("headless", True), **kwargs
    )


@contextmanager
def open_tab(browser, width: int = 1440, height: int = 1000, locale: str | None = None):
    """A new tab of ``browser`` at ``width`` x ``height`` (a browser ``locale`` if given),
    with a 90 s default timeout (the first open of a page imports TensorFlow); closed after.
    """
    options = {"viewport": {"width": width, "height": height}}
    if locale:
        options["locale"] = locale
    tab = browser.new_page(**options)
    tab.set_default_timeout(90_000)
    try:
        yield tab
    finally:
        tab.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    """The server answers its health check and serves the app's page."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            if r.status != 200:
                return False
        with urllib.request.urlopen(f"{url}/", timeout=5) as r:
            return r.status == 200 and b"<html" in r.read(4096).lower()
    except OSError:
        return False


def start_streamlit(
    script_path: str | os.PathLike,
    port: int | None = None,
    timeout: float = 90.0,
    extra_args: list[str] | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start ``streamlit run script_path`` headless and wait until it serves the page.

    Returns ``(url, process)``; stop it with ``stop_streamlit(process)``. The server's output
    goes to a temporary log file whose path is ``process.log_path``; it is quoted in the error
    when the server dies or does not answer within ``timeout`` seconds.
    """
    script = Path(script_path)
    if not script.is_absolute():
        script = ROOT / script
    port = port or free_port()
    url = f"http://localhost:{port}"
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False, mode="w+b")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        *(extra_args or []),
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    proc.log_path = log.name  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}:\n{_tail(log.name)}")
        if _healthy(f"http://127.0.0.1:{port}"):
            return url, proc
        time.sleep(0.25)
    stop_streamlit(proc)
    raise RuntimeError(
        f"streamlit did not answer on {url} within {timeout:.0f} s:\n{_tail(log.name)}"
    )


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Stop a server started by ``start_streamlit`` (terminate, then kill after 10 s)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _tail(path: str, n: int = 4000) -> str:
    try:
        return Path(path).read_bytes()[-n:].decode("utf-8", "replace")
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------- page helpers
def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the app is connected, its script has run, and nothing is still drawing.

    The script-state attribute appears only once the app has connected, so its absence
    means "not yet", not "idle"; skeletons are elements whose content has not arrived.
    The state must hold for two checks in a row: a fragment rerun that the first run
    asks for (the figures of a loss page) starts a moment after the first run ends.
    """
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector("[data-testid='stApp']");
            const idle = app && app.getAttribute("data-test-script-state") === "notRunning"
                && !document.querySelector("[data-testid='stStatusWidget']")
                && !document.querySelector("[data-testid='stSkeleton']");
            window.__seglossIdle = idle ? (window.__seglossIdle || 0) + 1 : 0;
            return window.__seglossIdle >= 2;
        }""",
        timeout=timeout,
        polling=150,
    )


def wait_for_paint(page, timeout: float = 20_000) -> None:
    """Wait (at most ``timeout`` ms, never failing) until no element shows as a skeleton.

    Right after a page loads, the canvases report their first value and the page runs
    once more; a screenshot taken then shows grey placeholders instead of widgets.
    """
    try:
        page.wait_for_function(
            "() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout
        )
    except Exception:  # noqa: BLE001 - a screenshot of a slow page is still worth taking
        pass
    wait_for_app(page)


def metric_value(page, label: str) -> str:
    """The displayed value of the ``st.metric`` whose label is ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return box.locator("[data-testid='stMetricValue']").first.inner_text().strip()


def paint_stroke(page, canvas, points: list[tuple[float, float]], steps: int = 4) -> None:
    """Drag the mouse through ``points`` (canvas pixels) on a drawable-canvas ``<canvas>``.

    ``canvas`` is a locator of the component's ``canvas.upper-canvas``. Two quirks are handled:
    headless Chromium drops the first mouse-down a fresh page receives (so the page is clicked
    once, outside the canvas, before the first stroke), and the canvas's hidden toolbar covers
    the top-right corner until the pointer has hovered the canvas for a moment (so the pointer
    rests on the canvas before pressing).
    """
    if not getattr(page, "_segloss_primed", False):
        page.mouse.click(2, 2)
        page.wait_for_timeout(150)
        page._segloss_primed = True
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    if box is None:
        raise RuntimeError("the canvas is not visible")
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + box["width"] / 2, y0 + box["height"] / 2, steps=3)
    page.wait_for_timeout(400)
    first = points[0]
    page.mouse.move(x0 + first[0], y0 + first[1], steps=2)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x, y0 + y, steps=steps)
    page.mouse.up()


def wait_for_metric_change(page, label: str, old: str, timeout: float = 30.0) -> str:
    """Poll the ``st.metric`` called ``label`` until it shows something other than ``old``."""
    deadline = time.monotonic() + timeout
    value = old
    while time.monotonic() < deadline:
        try:
            value = metric_value(page, label)
        except Exception:  # noqa: BLE001 - the element is being re-rendered
            value = old
        if value != old:
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"metric {label!r} stayed at {old!r} for {timeout:.0f} s")


def live_thumb(page, label: str):
    """The thumb (``role=slider``) of the live slider whose label starts with ``label``.

    The live sliders (ui/widgets/live_slider.py) live in a shadow root; Playwright's CSS
    selectors reach into open shadow roots.
    """
    return page.locator(f"[role='slider'][aria-label^={json.dumps(label)}]").first


def mask_png(mask) -> bytes:
    """A mask as an 8-bit grayscale PNG, written with Pillow here (not the app's encoder)."""
    import io

    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray((np.clip(mask, 0, 1) * 255).astype(np.uint8), mode="L").save(buf, "PNG")
    return buf.getvalue()


def upload_prediction(page, path) -> None:
    """Turn the page's masks to Upload and give the file at ``path`` to the prediction's input."""
    page.get_by_role("radio", name="Upload").first.click()
    wait_for_app(page)
    inputs = page.locator("[data-testid='stFileUploader'] input[type='file']")
    inputs.nth(1).wait_for(state="attached")
    inputs.nth(1).set_input_files(str(path))
