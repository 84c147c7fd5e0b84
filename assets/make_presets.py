"""Generate the preset masks and the background scenes (deterministic: numpy + Pillow).

Run from the repository root::

    python assets/make_presets.py          # rewrite the PNGs
    python assets/make_presets.py --check  # exit 1 if a committed PNG differs

Writes ``assets/backgrounds/<scene>.png`` (256 x 256, 8-bit grayscale, shown under the
canvases) and ``assets/presets/<key>_true.png`` / ``<key>_pred.png`` (256 x 256, 8-bit
grayscale; pixel value / 255 is the mask value). The titles and captions of the presets live
in ``assets/presets/presets.json``, which this script only checks (same keys, same scenes).

Each ground truth is drawn from the same shapes as the objects of its scene, so the mask lies
on something a student can see: the scene ``cells`` is a fluorescence-like picture of a few
cells, ``scan`` a CT-like slice with one large organ.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

SIZE = 256
ROOT = Path(__file__).resolve().parent
PRESET_DIR = ROOT / "presets"
BACKGROUND_DIR = ROOT / "backgrounds"

_yy, _xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)


# --------------------------------------------------------------------------- shapes
class Blob:
    """A star-shaped blob: an ellipse whose radius wobbles with a few harmonics."""

    def __init__(self, cx, cy, rx, ry, angle=0.0, wobble=((3, 0.06, 0.0), (5, 0.03, 1.0))):
        self.cx, self.cy, self.rx, self.ry = cx, cy, rx, ry
        self.angle = np.deg2rad(angle)
        self.wobble = wobble

    def distance(self, dx: float = 0.0, dy: float = 0.0, grow: float = 0.0) -> np.ndarray:
        """Approximate signed distance in pixels (negative inside), optionally moved/grown."""
        x = _xx - (self.cx + dx)
        y = _yy - (self.cy + dy)
        c, s = np.cos(self.angle), np.sin(self.angle)
        u = c * x + s * y
        v = -s * x + c * y
        theta = np.arctan2(v, u)
        scale = 1.0 + sum(a * np.cos(k * theta + ph) for k, a, ph in self.wobble)
        rx, ry = (self.rx + grow) * scale, (self.ry + grow) * scale
        rho = np.sqrt((u / rx) ** 2 + (v / ry) ** 2)
        return (rho - 1.0) * np.sqrt(rx * ry)

    def mask(self, **kw) -> np.ndarray:
        return (self.distance(**kw) <= 0).astype(np.float64)

    def soft(self, peak=1.0, edge=2.0, **kw) -> np.ndarray:
        """A soft prediction: ``peak`` inside, a logistic ramp of width ``edge`` at the border."""
        d = np.clip(self.distance(**kw) / edge, -40, 40)
        return peak / (1.0 + np.exp(d))


# The objects of the cells scene (centre x, centre y, radii, angle).
CELL_BIG = Blob(88, 100, 50, 41, angle=25)
CELL_TINY = Blob(200, 58, 14.6, 14.0, angle=10, wobble=((3, 0.04, 0.5),))
CELL_MID = Blob(178, 182, 34, 29, angle=-30)
CELL_DECOY = Blob(52, 208, 17, 14, angle=60)  # looks like a cell, is not annotated
# The organ of the scan scene.
ORGAN = Blob(128, 132, 92, 66, angle=-8, wobble=((2, 0.07, 0.3), (3, 0.05, 1.2), (5, 0.02, 0.2)))


# --------------------------------------------------------------------------- helpers
def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur with reflected borders (numpy only)."""
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    p = np.pad(a, r, mode="reflect")
    p = np.apply_along_axis(lambda row: np.convolve(row, k, mode="valid"), 1, p)
    p = np.apply_along_axis(lambda col: np.convolve(col, k, mode="valid"), 0, p)
    return p


def _noise(rng: np.random.Generator, sigma: float) -> np.ndarray:
    n = _blur(rng.standard_normal((SIZE, SIZE)), sigma)
    return n / (n.std() + 1e-12)


def _to_u8(a: np.ndarray) -> np.ndarray:
    return np.clip(np.round(a), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- scenes
def scene_cells() -> np.ndarray:
    """A fluorescence-like picture: dark background, grey cells with brighter nuclei."""
    rng = np.random.default_rng(11)
    img = 22 + 6 * _noise(rng, 18) + 3 * rng.standard_normal((SIZE, SIZE))
    texture = _noise(rng, 2.5)
    for blob, level, nucleus in (
        (CELL_BIG, 120, (-10, 6, 0.45)),
        (CELL_TINY, 135, (2, -1, 0.5)),
        (CELL_MID, 110, (6, -4, 0.5)),
        (CELL_DECOY, 62, None),
    ):
        body = blob.soft(peak=1.0, edge=1.6)
        img += body * (level - 22 + 10 * texture)
        if nucleus:
            dx, dy, f = nucleus
            nuc = Blob(blob.cx + dx, blob.cy + dy, blob.rx * f, blob.ry * f, np.rad2deg(blob.angle))
            img += nuc.soft(peak=1.0, edge=2.5) * 55
    return _to_u8(img)


def scene_scan() -> np.ndarray:
    """A CT-like slice: dark air, a grey body, one large brighter organ, a few vessels."""
    rng = np.random.default_rng(12)
    body = Blob(128, 134, 120, 104, wobble=((2, 0.03, 0.0),))
    img = 8 + 4 * rng.standard_normal((SIZE, SIZE))
    img += body.soft(peak=1.0, edge=1.5) * (62 + 8 * _noise(rng, 10))
    img += ORGAN.soft(peak=1.0, edge=2.0) * (48 + 10 * _noise(rng, 4))
    for cx, cy, r in ((96, 120, 6), (150, 150, 5), (130, 98, 4)):
        img += Blob(cx, cy, r, r, wobble=()).soft(peak=1.0, edge=1.0) * 60
    img += 4 * rng.standard_normal((SIZE, SIZE))
    return _to_u8(img)


SCENES = {"cells": scene_cells, "scan": scene_scan}


# --------------------------------------------------------------------------- presets
def _pair_tiny():
    t = CELL_TINY.mask()
    p = CELL_TINY.soft(peak=0.85, edge=2.5, dx=4, dy=3, grow=-3)
    return t, p


def _pair_large():
    t = ORGAN.mask()
    # Good overall, but the border wanders: too far out on the left, short on the right.
    wander = 7 * np.tanh((_xx - 128) / 40)
    p = 0.95 / (1.0 + np.exp(np.clip((ORGAN.distance() + wander) / 2.5, -40, 40)))
    return t, p


def _pair_over():
    t = CELL_MID.mask()
    p = CELL_MID.soft(peak=0.9, edge=3.0, grow=16)
    return t, p


def _pair_under():
    t = CELL_BIG.mask()
    p = CELL_BIG.soft(peak=0.9, edge=3.0, grow=-20)
    return t, p


def _pair_shifted():
    t = CELL_MID.mask()
    p = CELL_MID.soft(peak=0.95, edge=1.5, dx=14, dy=10)
    return t, p


def _pair_uncertain():
    t = CELL_BIG.mask()
    p = _blur(t, 9.0)
    p = 0.65 * p / p.max()
    return t, p


def _pair_empty():
    t = np.zeros((SIZE, SIZE))
    p = CELL_DECOY.soft(peak=0.6, edge=3.0, grow=2)
    return t, p


def _pair_perfect():
    t = CELL_MID.mask()
    return t, t.copy()


def _pair_missed_small():
    t = np.maximum(CELL_BIG.mask(), CELL_TINY.mask())
    p = CELL_BIG.soft(peak=0.95, edge=1.5)
    return t, p


# key -> (scene, generator); the order here is the order of the preset list.
PRESETS = {
    "shifted": ("cells", _pair_shifted),
    "tiny": ("cells", _pair_tiny),
    "large": ("scan", _pair_large),
    "over_seg": ("cells", _pair_over),
    "under_seg": ("cells", _pair_under),
    "uncertain": ("cells", _pair_uncertain),
    "missed_small": ("cells", _pair_missed_small),
    "empty_gt": ("cells", _pair_empty),
    "perfect": ("cells", _pair_perfect),
}


def build() -> dict[str, np.ndarray]:
    """Every file this script writes, as ``relative path -> uint8 array``."""
    out: dict[str, np.ndarray] = {}
    for name, fn in SCENES.items():
        out[f"backgrounds/{name}.png"] = fn()
    for key, (_, fn) in PRESETS.items():
        t, p = fn()
        out[f"presets/{key}_true.png"] = _to_u8(255 * (t >= 0.5))
        out[f"presets/{key}_pred.png"] = _to_u8(255 * np.clip(p, 0.0, 1.0))
    return out


def _check_json() -> list[str]:
    path = PRESET_DIR / "presets.json"
    if not path.exists():
        return [f"{path} is missing"]
    data = json.loads(path.read_text(encoding="utf-8"))
    listed = [(p["key"], p.get("background")) for p in data["presets"]]
    wanted = [(k, scene) for k, (scene, _) in PRESETS.items()]
    return [] if listed == wanted else [f"presets.json lists {listed}, the script makes {wanted}"]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems = []
    files = build()
    for rel, arr in files.items():
        path = ROOT / rel
        if check:
            if not path.exists() or not np.array_equal(np.asarray(Image.open(path)), arr):
                problems.append(f"{rel} differs from what the script makes")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(arr, mode="L").save(path, optimize=True)
    for key in PRESETS:
        t = files[f"presets/{key}_true.png"] >= 128
        p = files[f"presets/{key}_pred.png"] / 255.0
        print(
            f"{key:13s} foreground {t.mean():6.2%}  mean p {p.mean():.3f}  "
            f"FP {((~t) * p).sum():8.1f}  FN {(t * (1 - p)).sum():8.1f}"
        )
    problems += _check_json()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
