"""Cost of a page's live-slider slices, against the page's own figures, in the same run.

For each loss page, on a 256x256 pair as the app feeds them (a 0/1 disk for
the ground truth, an 8-bit soft prediction), time

* the slices: :func:`teaching.slices.page_slices` (one batched call per
  numeric parameter) plus the per-step numbers of the page's named views
  (:func:`teaching.slices.focal_steps`, :func:`teaching.slices.tversky_steps`);
* the figures: the maths behind every figure of the page computed once (the
  value and counts, error attribution, pixel curves, confidence and shift
  curves, gradient map, the pixel-term map where there is one, and the page's
  own views: Focal's family, easy / hard split, weight map and alpha forms;
  Tversky's alpha x beta square and weighted terms; Combo's parts and grid;
  Focal Tversky's curve and terms).

Rounds alternate slices and figures (ABAB, then BABA) so load from elsewhere on
the machine hits both; the printed ratio is the median over rounds of
slices / figures. Target: at most 1.5x.

    python bench/slices_bench.py            # 7 rounds per page
    python bench/slices_bench.py --quick    # 2 rounds, 2 pages (smoke run)
    python bench/slices_bench.py --check    # exit 1 if a median ratio exceeds 1.5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from teaching import analysis, combo, focal, focal_tversky, slices, tversky  # noqa: E402
from teaching.registry import LOSS_KEYS, get  # noqa: E402

TARGET = 1.5
GRID = np.round(np.linspace(0.0, 1.0, 41), 3)
SWEEP = np.round(np.linspace(0.0, 5.0, 51), 2)


def masks(size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """A disk and a shifted, soft, 8-bit prediction of it."""
    yy, xx = np.mgrid[:size, :size]
    r = np.hypot(yy - size / 2, xx - size / 2)
    y_true = (r < size / 5).astype(np.float32)
    r2 = np.hypot(yy - size / 2 - 9, xx - size / 2 + 6)
    soft = 1.0 / (1.0 + np.exp((r2 - size / 5) / 4.0))
    return y_true, (np.round(soft * 255) / 255).astype(np.float32)


def figures(key: str, t, p, prm: dict) -> None:
    """The maths behind every figure of ``key``'s page, once."""
    spec = get(key)
    analysis.loss_value(key, t, p, **prm)
    analysis.error_attribution(key, t, p, **prm)
    analysis.pixel_curve(key, np.linspace(0, 1, 201), **prm)
    analysis.pixel_curve("bce", np.linspace(0, 1, 201))
    analysis.confidence_curve(key, t, p, np.linspace(0, 1, 41), **prm)
    analysis.shift_curve(key, t, p, range(-40, 41, 2), **prm)
    analysis.gradient_map(key, t, p, **prm)
    if spec.pixelwise_part:
        analysis.pixel_loss_map(key, t, p, **prm)
    if key == "focal":
        focal.focal_curve_family(np.linspace(0.001, 1.0, 200), (0.0, 0.5, 1.0, 2.0, 5.0))
        focal.focal_easy_hard_split(t, p, SWEEP, alpha=prm["alpha"])
        focal.focal_weight_map(t, p, prm["gamma"])
        focal.focal_alpha_comparison(t, p, alpha=prm["alpha"], gamma=prm["gamma"])
    if key in ("tversky", "focal_tversky"):
        tversky.tversky_weighted_terms(t, p, prm["alpha"], prm["beta"], prm["smooth"])
    if key == "tversky":
        analysis.tversky_grid(t, p, GRID, GRID, smooth=prm["smooth"])
    if key == "focal_tversky":
        focal_tversky.focal_tversky_curve(np.linspace(0.0, 1.0, 201), (0.75, 1.0, 1.33))
    if key == "combo":
        combo.combo_parts(t, p, prm["alpha"], prm["ce_ratio"], prm["smooth"])
        combo.combo_grid(t, p, GRID, GRID, smooth=prm["smooth"])


def page_live(key: str, t, p, prm: dict) -> None:
    """Everything the live sliders of ``key``'s page send with it."""
    slices.page_slices(key, t, p, prm)
    extra = slices.VIEW_STEPS.get(key)
    if extra is not None:
        extra(t, p, prm)


def _median_ratio(key: str, rounds: int) -> tuple[float, float, float]:
    t, p = masks()
    prm = get(key).defaults()
    figures(key, t, p, prm)  # warm both (TensorFlow traces, first allocations)
    page_live(key, t, p, prm)
    ratios, a_times, b_times = [], [], []
    for r in range(rounds):
        order = (page_live, figures) if r % 2 == 0 else (figures, page_live)
        took = {}
        for fn in order:
            start = time.perf_counter()
            fn(key, t, p, prm)
            took[fn] = time.perf_counter() - start
        a_times.append(took[page_live])
        b_times.append(took[figures])
        ratios.append(took[page_live] / took[figures])
    return statistics.median(ratios), statistics.median(a_times), statistics.median(b_times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 rounds on 2 pages")
    ap.add_argument("--check", action="store_true", help="exit 1 when a ratio misses 1.5x")
    ap.add_argument("--pages", nargs="*", default=None)
    args = ap.parse_args(argv)
    pages = args.pages or (["focal", "tversky"] if args.quick else list(LOSS_KEYS))
    rounds = 2 if args.quick else 7
    print(f"{'page':15s} {'slices/figures':>15s}  (target <= {TARGET}x; median of {rounds} rounds)")
    worst = 0.0
    for key in pages:
        ratio, _, _ = _median_ratio(key, rounds)
        worst = max(worst, ratio)
        print(f"{key:15s} {ratio:14.2f}x")
    print(f"worst ratio {worst:.2f}x: {'OK' if worst <= TARGET else 'above target'}")
    return 1 if args.check and worst > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
