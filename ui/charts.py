"""Figures for the loss pages: overlap images, gradient maps and plotly curves.

Images are built as small RGB arrays (fast to send; no per-pixel JSON), curves
as plotly figures with large fonts that read well on a projector.
Colours follow the Okabe-Ito palette, which stays distinct for the common
forms of colour blindness.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Okabe-Ito colours
TP_COLOR = "#009E73"  # bluish green: found foreground
FP_COLOR = "#E69F00"  # orange: false alarm
FN_COLOR = "#0072B2"  # blue: missed foreground
TN_COLOR = "#E6E6E6"  # light grey: correct background
UP_COLOR = "#D55E00"  # vermillion: the loss wants a higher probability
DOWN_COLOR = "#0072B2"  # blue: the loss wants a lower probability
REF_COLOR = "#7F7F7F"
MARK_COLOR = "#CC79A7"

FONT = dict(size=15)


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


def style(fig: go.Figure, title: str, xtitle: str, ytitle: str, height: int = 340) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=17)),
        xaxis_title=xtitle,
        yaxis_title=ytitle,
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        hovermode="x unified",
    )
    return fig


def pixel_curve_figure(curve: dict, ref: dict | None, title: str) -> go.Figure:
    """A single pixel's loss against its probability, foreground and background."""
    fig = go.Figure()
    fig.add_scatter(
        x=curve["p"],
        y=curve["positive"],
        name="foreground pixel (t = 1)",
        line=dict(color=TP_COLOR, width=3),
    )
    fig.add_scatter(
        x=curve["p"],
        y=curve["negative"],
        name="background pixel (t = 0)",
        line=dict(color=FP_COLOR, width=3),
    )
    if ref is not None:
        fig.add_scatter(
            x=ref["p"], y=ref["positive"], name="BCE, t = 1", line=dict(color=REF_COLOR, dash="dot")
        )
        fig.add_scatter(
            x=ref["p"],
            y=ref["negative"],
            name="BCE, t = 0",
            line=dict(color=REF_COLOR, dash="dash"),
        )
    fig = style(fig, title, "predicted probability p", "loss", height=400)
    fig.update_layout(
        legend=dict(
            orientation="h", y=-0.22, x=0, xanchor="left", yanchor="top", font=dict(size=13)
        )
    )
    top = float(np.nanmax([np.nanmax(curve["positive"]), np.nanmax(curve["negative"])]))
    fig.update_yaxes(range=[min(0, float(np.nanmin(curve["positive"]))) - 0.02, min(top, 5) * 1.05])
    return fig


def line_figure(
    x,
    y,
    *,
    title: str,
    xtitle: str,
    ytitle: str,
    mark_x=None,
    mark_y=None,
    mark_label: str = "now",
    color: str = TP_COLOR,
    extra: list[tuple] | None = None,
) -> go.Figure:
    """A loss curve with the current state marked."""
    fig = go.Figure()
    fig.add_scatter(x=x, y=y, name=ytitle, line=dict(color=color, width=3), showlegend=bool(extra))
    for ex, ey, name, col in extra or []:
        fig.add_scatter(x=ex, y=ey, name=name, line=dict(color=col, width=2, dash="dot"))
    if mark_x is not None and mark_y is not None:
        fig.add_scatter(
            x=[mark_x],
            y=[mark_y],
            mode="markers+text",
            name=mark_label,
            text=[mark_label],
            textposition="top center",
            marker=dict(size=14, color=MARK_COLOR, line=dict(color="black", width=1)),
            showlegend=False,
        )
    return style(fig, title, xtitle, ytitle)


def counts_figure(counts: dict, weights: dict | None = None, title: str = "") -> go.Figure:
    """Soft TP / FP / FN sums, and what they weigh inside the loss."""
    names = ["TP", "FP", "FN"]
    colors = [TP_COLOR, FP_COLOR, FN_COLOR]
    fig = go.Figure()
    fig.add_bar(
        x=names,
        y=[counts[n] for n in names],
        marker_color=colors,
        name="soft count",
        text=[f"{counts[n]:.0f}" for n in names],
        textposition="outside",
    )
    if weights:
        w = [counts[n] * weights.get(n, 1.0) for n in names]
        fig.add_bar(
            x=names,
            y=w,
            marker_color=colors,
            marker_pattern_shape="/",
            opacity=0.55,
            name="as weighted in the loss",
            text=[f"{v:.0f}" for v in w],
            textposition="outside",
        )
    fig = style(fig, title, "", "pixels (soft sum)", height=300)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def attribution_figure(attr: dict, title: str) -> go.Figure:
    """How much of the loss goes away if each kind of error is fixed."""
    labels = ["fix every false positive", "fix every false negative"]
    vals = [attr["gain_fp"], attr["gain_fn"]]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=vals,
            orientation="h",
            marker_color=[FP_COLOR, FN_COLOR],
            text=[f"-{v:.3f}" if v >= 0 else f"+{-v:.3f}" for v in vals],
            textposition="auto",
        )
    )
    fig = style(fig, title, "loss removed", "", height=220)
    fig.update_layout(hovermode="closest")
    return fig


_GREYS = ["#B0B0B0", "#9A9A9A", "#848484", "#6E6E6E", "#585858", "#444444"]


def family_figure(
    x, ys, gammas, current: float, *, title: str, xtitle: str, ytitle: str, ymax=None
) -> go.Figure:
    """One curve per gamma in greys, the slider's gamma thick and coloured."""
    fig = go.Figure()
    for i, g in enumerate(gammas):
        now = abs(float(g) - current) < 1e-6
        fig.add_scatter(
            x=x,
            y=ys[i],
            name=f"gamma = {float(g):g}" + (" (slider)" if now else ""),
            line=dict(color=UP_COLOR if now else _GREYS[i % len(_GREYS)], width=5 if now else 2),
        )
    fig = style(fig, title, xtitle, ytitle, height=400)
    if ymax is not None:
        fig.update_yaxes(range=[0, ymax])
    fig.update_layout(
        legend=dict(
            orientation="h", y=-0.22, x=0, xanchor="left", yanchor="top", font=dict(size=13)
        )
    )
    return fig
