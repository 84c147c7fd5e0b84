"""The preset mask pairs in ``assets/presets`` and the scenes in ``assets/backgrounds``.

``presets.json`` lists every preset (key and background scene); ``<key>_true.png`` and
``<key>_pred.png`` hold the masks as 8-bit grayscale (value / 255).
``assets/make_presets.py`` regenerates the images. The words of a preset (title,
description, default "what to notice" caption) are in the language catalogs under
``masks.presets.<key>`` (:func:`preset_text`); each loss page's own captions are in
``assets/text/<lang>/<page>.md``. Files are read once per process; callers get copies,
so nothing they do leaks back.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import numpy as np
from PIL import Image

from ..i18n import t

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PRESET_DIR = ASSETS / "presets"
BACKGROUND_DIR = ASSETS / "backgrounds"
SIZE = 256
DEFAULT_PRESET = "shifted"
DEFAULT_BACKGROUND = "cells"


@functools.lru_cache(maxsize=1)
def _catalogue() -> tuple[dict, ...]:
    data = json.loads((PRESET_DIR / "presets.json").read_text(encoding="utf-8"))
    return tuple(data["presets"])


def _entry(key: str) -> dict:
    for p in _catalogue():
        if p["key"] == key:
            return p
    known = ", ".join(p["key"] for p in _catalogue())
    raise KeyError(f"no preset {key!r}; the presets are: {known}")


def list_presets() -> list[dict]:
    """Every preset, in display order: dicts with key and background."""
    return copy.deepcopy(list(_catalogue()))


def preset_keys() -> list[str]:
    return [p["key"] for p in _catalogue()]


@functools.lru_cache(maxsize=32)
def _read_mask(path: Path) -> np.ndarray:
    arr = np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0
    if arr.shape != (SIZE, SIZE):
        raise ValueError(
            f"{path.name} is {arr.shape[1]} x {arr.shape[0]}, expected {SIZE} x {SIZE}"
        )
    arr.setflags(write=False)
    return arr


def load_preset(key: str) -> tuple[np.ndarray, np.ndarray]:
    """``(y_true, y_pred)``: float32 (256, 256) arrays in [0, 1]; the ground truth is 0 / 1."""
    _entry(key)
    t = (_read_mask(PRESET_DIR / f"{key}_true.png") >= 0.5).astype(np.float32)
    p = _read_mask(PRESET_DIR / f"{key}_pred.png").copy()
    return t, p


def preset_info(key: str) -> dict:
    """The catalogue entry of one preset (a copy)."""
    return copy.deepcopy(_entry(key))


def preset_text(key: str, field: str) -> str:
    """A preset's ``title``, ``description`` or default ``notice``, in the page's language."""
    return t(f"masks.presets.{key}.{field}")


def preset_caption(key: str, loss_key: str) -> str:
    """The "what to notice" caption of preset ``key`` on the page of ``loss_key``.

    The page's own caption lives in ``assets/text/<lang>/<loss_key>.md`` (under
    ``## notice``, ``### <preset key>``). Falls back to the preset's default
    caption in the catalogs, and to "" for an unknown preset (a page must never
    fail because of a caption).
    """
    from .. import text

    if key not in preset_keys():
        return ""
    return text.notice(loss_key, key) or preset_text(key, "notice")


def list_backgrounds() -> list[str]:
    return sorted(p.stem for p in BACKGROUND_DIR.glob("*.png"))


@functools.lru_cache(maxsize=8)
def _read_background(name: str) -> np.ndarray:
    path = BACKGROUND_DIR / f"{name}.png"
    if not path.exists():
        path = BACKGROUND_DIR / f"{DEFAULT_BACKGROUND}.png"
    img = Image.open(path).convert("L")
    if img.size != (SIZE, SIZE):
        img = img.resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    arr = np.asarray(img, dtype=np.uint8)
    arr.setflags(write=False)
    return arr


def load_background(name: str) -> np.ndarray:
    """A scene as uint8 (256, 256) grayscale (read-only; copy before changing it)."""
    return _read_background(name)
