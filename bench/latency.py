"""Slider-to-value latency of every loss page, against a minimal Streamlit page.

For each page: open it in headless Chromium (Debian's, driven by Playwright),
focus the first slider, press an arrow key and time until the loss metric
shows a new value. The floor is the same measurement on bench/apps/floor.py
(one slider, one metric), taken in the same run and interleaved with the
pages, so the printed ratios do not depend on how fast this machine is. A
second, informative baseline is that same page served inside this app's
navigation (a hidden page, added only when SEGLOSS_BENCH=1): the ratio to it
shows what our pages add beyond the app's own frame.

    python bench/latency.py            # all pages, 15 presses each
    python bench/latency.py --quick    # 2 pages, 4 presses (smoke run)
    python bench/latency.py --check    # exit 1 if a median ratio exceeds 2.0
    python bench/latency.py --pages dice tversky   # only these pages
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    launch_chromium,
    live_thumb,
    start_streamlit,
    stop_streamlit,
    wait_for_app,
)

from teaching.registry import LOSSES  # noqa: E402
from ui.i18n import text  # noqa: E402

PAGES = list(LOSSES)
TARGET = 2.0

METRIC = '[data-testid="stMetricValue"]'
SLIDER = '[data-testid="stSlider"]'


def _ready(page) -> None:
    page.wait_for_selector(METRIC, timeout=120_000)
    page.wait_for_selector(f"{SLIDER}, [role='slider']", timeout=60_000)
    # let the first full render (and any TensorFlow warm-up) finish; the first
    # request after a server start may rerun once through app.py (see ui/boot.py)
    time.sleep(2.0)
    wait_for_app(page, timeout=120_000)
    time.sleep(1.0)


# Timed inside the page, on the browser's own clock, from the keydown event to
# the moment the metric's text changes (the verdict), and to the first frame
# painted after that (information: waiting for the next frame adds up to 16 ms
# to both sides and so flatters the ratio). Playwright's round trips are not
# part of either measurement. The observer reads textContent, not innerText:
# innerText forces a style and layout pass at every DOM change, which would
# charge the measured page for the probe itself, the more so the larger it is.
_PROBE = """
(() => {
  if (window.__lat) return;
  const lat = { t0: null, changed: null, shown: null, last: null };
  window.__lat = lat;
  const read = () => {
    const m = document.querySelector('__METRIC__');
    return m ? m.textContent : null;
  };
  // a key press, or the release of a drag (bench/drag.py), starts the clock
  const start = () => {
    lat.t0 = performance.now(); lat.changed = null; lat.shown = null; lat.last = read();
  };
  document.addEventListener('keydown', start, true);
  document.addEventListener('pointerup', start, true);
  new MutationObserver(() => {
    if (lat.t0 === null || lat.shown !== null) return;
    const now = read();
    if (now !== null && now !== lat.last) {
      lat.changed = performance.now() - lat.t0;
      lat.shown = -1;  // changed, waiting for the frame that paints it
      requestAnimationFrame(() => setTimeout(() => { lat.shown = performance.now() - lat.t0; }, 0));
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})();
""".replace("__METRIC__", METRIC.replace("'", "\\'"))


def open_app_page(ctx, app_url: str, path: str):
    """A new tab on a page of app.py, ready to be measured.

    The first request after a server start goes through the legacy pages/ mode
    (see ui/boot.py); the home page is opened first so app.py's navigation is in place.
    """
    page = ctx.new_page()
    page.goto(app_url)
    wait_for_app(page, timeout=120_000)
    page.goto(f"{app_url}/{path}")
    _ready(page)
    return page


def _press_once(page, direction: int, label: str | None = None) -> tuple[float, float]:
    """Seconds from one arrow-key press to the metric's new text, and to its first paint.

    ``label`` picks a loss page's live slider by its label; None takes the first
    ``st.slider`` (the floor pages).
    """
    page.bring_to_front()
    page.evaluate(_PROBE)
    # focus again each time: a rerun may have replaced the element that had it; a loss
    # parameter is a live slider (ui/widgets/live_slider.py), the floor an st.slider
    if label:
        live_thumb(page, label).focus()
    else:
        page.locator(SLIDER).first.locator("input").first.focus()
    page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
    return _verdict(page)


def _verdict(page) -> tuple[float, float]:
    """Wait for the probe's verdict (see _PROBE), then for the page to settle."""
    page.wait_for_function(
        "() => window.__lat.shown !== null && window.__lat.shown >= 0", timeout=30_000
    )
    changed, shown = page.evaluate("[window.__lat.changed, window.__lat.shown]")
    # let the rest of the rerun (and the figures that follow it) settle first
    wait_for_app(page, timeout=60_000)
    time.sleep(0.3)
    wait_for_app(page, timeout=60_000)
    return changed / 1000.0, shown / 1000.0


def _rounds(targets: list[tuple], presses: int) -> list[list[tuple[float, float]]]:
    """Press each target in turn, ``presses`` rounds: A B C A B C ... so that a
    slow spell of the machine hits every target alike."""
    out: list[list[tuple[float, float]]] = [[] for _ in targets]
    for i in range(presses):
        for times, (page, label) in zip(out, targets, strict=True):
            times.append(_press_once(page, 1 if i % 2 == 0 else -1, label))
    return out


def _medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    """Median time to the new text, median time to its first paint."""
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--presses", type=int, default=15)
    ap.add_argument("--pages", nargs="+", choices=PAGES, help="only these pages")
    args = ap.parse_args(argv)
    pages = args.pages or (PAGES[:2] if args.quick else PAGES)
    presses = 4 if args.quick else args.presses

    from playwright.sync_api import sync_playwright

    os.environ["SEGLOSS_BENCH"] = "1"  # adds the hidden in-app floor page
    app_url, app_proc = start_streamlit(ROOT / "app.py")
    floor_url, floor_proc = start_streamlit(ROOT / "bench" / "apps" / "floor.py")
    rows = []
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            floor_page = ctx.new_page()
            floor_page.goto(floor_url)
            _ready(floor_page)
            inapp_page = open_app_page(ctx, app_url, "bench_floor")
            for name in pages:
                page = ctx.new_page()
                # start smooth at 1 so one step (to 10 and back) shows in 4 decimals
                query = "?smooth=1" if LOSSES[name].params[0].name == "smooth" else ""
                page.goto(f"{app_url}/{name}{query}")
                _ready(page)
                # the slider's English label, from the catalog (the browser asks for English)
                label = text(f"params.{name}.{LOSSES[name].params[0].name}.label", "en")
                targets = [(page, label), (floor_page, None), (inapp_page, None)]
                _rounds(targets, 2)  # warm caches of both directions
                ours, floor, inapp = _rounds(targets, presses)
                page.close()
                rows.append((name, *(_medians(t) for t in (ours, floor, inapp))))
            browser.close()
    finally:
        for proc in (app_proc, floor_proc):
            stop_streamlit(proc)

    print(
        f"{'page':<15}{'ratio to floor':>15}  verdict (target <= {TARGET}x)"
        f"{'to first paint':>18}{'to in-app floor':>18}   (info)"
    )
    worst = 0.0
    for name, ours, floor, inapp in rows:
        ratio = ours[0] / floor[0]
        worst = max(worst, ratio)
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(
            f"{name:<15}{ratio:>14.2f}x  {verdict:<22}{ours[1] / floor[1]:>17.2f}x"
            f"{ours[0] / inapp[0]:>17.2f}x"
        )
        if os.environ.get("LATENCY_DEBUG"):
            print(
                f"    debug: text {ours[0] * 1e3:.0f} / {floor[0] * 1e3:.0f} ms, "
                f"paint {ours[1] * 1e3:.0f} / {floor[1] * 1e3:.0f} ms (page / floor)"
            )
    print(f"worst ratio {worst:.2f}x over {len(rows)} pages, {presses} presses each")
    if args.check and worst > TARGET:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
