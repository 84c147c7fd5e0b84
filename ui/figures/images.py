"""Masks and per-pixel maps as small RGB arrays (fast to send; no per-pixel JSON)."""

from __future__ import annotations

import numpy as np

from .palette import DOWN_COLOR, FN_COLOR, FP_COLOR, TN_COLOR, TP_COLOR, UP_COLOR


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float32) / 255.0


def overlap_rgb(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Each pixel coloured by its soft TP / FP / FN / TN shares.

    A pixel with t = 1 and p = 0.7 is 70 % TP green and 30 % FN blue, so soft
    predictions show up as mixed colours rather than being thresholded away.
    """
    t = np.asarray(y_true, np.float32)[..., None]
    p = np.asarray(y_pred, np.float32)[..., None]
    img = (
        t * p * _rgb(TP_COLOR)
        + (1 - t) * p * _rgb(FP_COLOR)
        + t * (1 - p) * _rgb(FN_COLOR)
        + (1 - t) * (1 - p) * _rgb(TN_COLOR)
    )
    return framed((np.clip(img, 0, 1) * 255).astype(np.uint8))


def framed(img: np.ndarray, width: int = 2, color: int = 160) -> np.ndarray:
    """A thin grey frame, so a mostly white map does not melt into the page."""
    out = np.pad(img, ((width, width), (width, width), (0, 0)), constant_values=color)
    return out


def _diverging(x: np.ndarray) -> np.ndarray:
    """x in [-1, 1] to RGB: vermillion for +, white for 0, blue for -."""
    x = np.clip(x, -1, 1)[..., None]
    white = np.ones(3, np.float32)
    up, down = _rgb(UP_COLOR), _rgb(DOWN_COLOR)
    img = np.where(x >= 0, white + x * (up - white), white + (-x) * (down - white))
    return framed((img * 255).astype(np.uint8))


def push_rgb(grad: np.ndarray, quantile: float = 0.99) -> tuple[np.ndarray, float]:
    """Colour the descent direction -dL/dp, scaled by a robust maximum.

    Returns the image and the |dL/dp| that maps to full colour (pixels above
    it saturate). A robust maximum keeps one extreme pixel from washing out
    the rest of the map.
    """
    push = -np.asarray(grad, np.float32)
    mag = np.abs(push)
    nz = mag[mag > 0]
    scale = float(np.quantile(nz, quantile)) if nz.size else 0.0
    if scale <= 0:
        return _diverging(np.zeros_like(push)), 0.0
    return _diverging(push / scale), scale


def sequential_rgb(x: np.ndarray, vmax: float | None = None) -> tuple[np.ndarray, float]:
    """A non-negative map (a per-pixel loss or weight) from white to dark purple."""
    x = np.asarray(x, np.float32)
    vmax = float(vmax if vmax is not None else (np.quantile(x, 0.995) if x.size else 0))
    if vmax <= 0:
        vmax = 1.0
    u = np.clip(x / vmax, 0, 1)[..., None]
    lo, hi = np.ones(3, np.float32), np.array([0.27, 0.0, 0.33], np.float32)
    return framed(((lo + u * (hi - lo)) * 255).astype(np.uint8)), vmax


def upscale(img: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement, so small images stay crisp on a projector."""
    return np.repeat(np.repeat(img, factor, axis=0), factor, axis=1)


def grey_rgb(image: np.ndarray) -> np.ndarray:
    """A [0, 1] grey image as framed uint8 RGB."""
    g = (np.clip(np.asarray(image, np.float32), 0, 1) * 255).astype(np.uint8)
    return framed(np.repeat(g[..., None], 3, axis=-1))


# Plotly's (and matplotlib's) Viridis at five anchors: the colours of the page's heatmaps.
_VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")


def viridis_rgb(x: np.ndarray, vmax: float | None = None) -> np.ndarray:
    """A map as Viridis uint8 RGB from 0 to ``vmax`` (its maximum when None): a small
    picture that matches the page's plotly heatmaps."""
    x = np.asarray(x, np.float32)
    top = float(vmax if vmax is not None else (x.max() if x.size else 1.0)) or 1.0
    u = np.clip(x / top, 0, 1)
    anchors = np.linspace(0.0, 1.0, len(_VIRIDIS))
    colors = np.stack([_rgb(c) for c in _VIRIDIS]) * 255.0
    channels = [np.interp(u, anchors, colors[:, k]) for k in range(3)]
    return np.stack(channels, axis=-1).astype(np.uint8)


def png_data_url(img: np.ndarray) -> str:
    """A uint8 RGB image as a ``data:image/png`` URL (for a component's payload)."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
