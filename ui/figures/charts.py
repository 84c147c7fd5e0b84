"""Plotly figures shared by the pages: style, line curves, counts and attribution bars.

Large fonts that read well on a projector; colours from :mod:`ui.figures.palette`.
Callers pass titles in the page's language; the legends and hover texts drawn here
come from the catalogs (``charts.*``). Plotly draws text with the browser's fonts,
which include Hangul wherever a Korean font is installed (fonts-noto-cjk on Debian).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ..i18n import t
from .palette import FN_COLOR, FP_COLOR, MARK_COLOR, REF_COLOR, TP_COLOR, UP_COLOR

FONT = dict(size=15)

#: Every figure of the app is drawn on "plotly_white". Passing ``template="plotly_white"``
#: to ``update_layout`` for each figure validated and deep-copied the whole template (some
#: 7 kB of settings for two dozen trace types): 8-11 ms a figure, about a third of the
#: server's time under a class's slider moves. The template is validated once, here, and
#: each figure takes it the way plotly gives a new figure its default template (without
#: validating it again). Not through ``pio.templates.default``: Streamlit sets that to its
#: own theme whenever ``streamlit.elements.plotly_chart`` is first imported.
TEMPLATE = pio.templates["plotly_white"]

#: A legend at the foot of the figure, under the axis labels (anchored to the figure, not the
#: plot, so long or rotated tick labels get their own room), left-aligned.
LEGEND_BELOW = dict(
    orientation="h",
    yref="container",
    y=0,
    yanchor="bottom",
    x=0,
    xanchor="left",
    font=dict(size=13),
)


def style(fig: go.Figure, title: str, xtitle: str, ytitle: str, height: int = 340) -> go.Figure:
    """The app's look for ``fig``: titles, fonts, margins, legend under the plot.

    Same result as ``fig.update_layout(...)`` with these settings (they are merged into
    what the caller set before), built as one new layout: plotly's ``update_layout``
    goes through its change-batching machinery property by property, 5-7 ms a figure,
    where a layout made from a dict takes about 1 ms.
    """
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # ours replaces any other, as update_layout(template=) did
    _merge(
        layout,
        dict(
            title=dict(text=title, font=dict(size=17)),
            xaxis=dict(title=dict(text=xtitle)),
            yaxis=dict(title=dict(text=ytitle)),
            font=FONT,
            height=height,
            margin=dict(l=10, r=10, t=50, b=10),
            # under the plot: above it, a legend runs into a long title (Korean titles are
            # about twice as wide as their character count suggests)
            legend=LEGEND_BELOW,
            hovermode="x unified",
        ),
    )
    fig.layout = go.Layout(layout)
    _use_template(fig.layout)
    return fig


def _use_template(layout: go.Layout) -> None:
    """Give ``layout`` the app's template, already validated (as plotly does for defaults)."""
    layout._validate = False
    try:
        layout.template = TEMPLATE
    finally:
        layout._validate = True


def _merge(into: dict, new: dict) -> None:
    """Merge ``new`` into ``into`` in place, nested dicts key by key (as update_layout does)."""
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = dict(value) if isinstance(value, dict) else value


def pixel_curve_figure(curve: dict, ref: dict | None, title: str) -> go.Figure:
    """A single pixel's loss against its probability, foreground and background."""
    fig = go.Figure()
    fig.add_scatter(
        x=curve["p"],
        y=curve["positive"],
        name=t("charts.foreground_pixel"),
        line=dict(color=TP_COLOR, width=3),
    )
    fig.add_scatter(
        x=curve["p"],
        y=curve["negative"],
        name=t("charts.background_pixel"),
        line=dict(color=FP_COLOR, width=3),
    )
    if ref is not None:
        fig.add_scatter(
            x=ref["p"],
            y=ref["positive"],
            name="BCE, t = 1",
            line=dict(color=REF_COLOR, dash="dot"),
        )
        fig.add_scatter(
            x=ref["p"],
            y=ref["negative"],
            name="BCE, t = 0",
            line=dict(color=REF_COLOR, dash="dash"),
        )
    fig = style(fig, title, t("charts.probability_axis"), t("charts.loss"), height=400)
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
    mark_label: str | None = None,
    color: str = TP_COLOR,
    extra: list[tuple] | None = None,
) -> go.Figure:
    """A loss curve with the current state marked (``mark_label``, "now" by default)."""
    mark_label = mark_label or t("charts.now")
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
        name=t("charts.soft_count"),
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
            name=t("charts.weighted_count"),
            text=[f"{v:.0f}" for v in w],
            textposition="outside",
        )
    fig = style(fig, title, "", t("charts.soft_sum_axis"), height=300)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def attribution_figure(attr: dict, title: str) -> go.Figure:
    """How much of the loss goes away if each kind of error is fixed."""
    labels = [t("charts.fix_fp"), t("charts.fix_fn")]
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
    fig = style(fig, title, t("charts.loss_removed"), "", height=220)
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
            name=(
                t("charts.gamma_slider", gamma=f"{float(g):g}")
                if now
                else t("charts.gamma", gamma=f"{float(g):g}")
            ),
            line=dict(color=UP_COLOR if now else _GREYS[i % len(_GREYS)], width=5 if now else 2),
        )
    fig = style(fig, title, xtitle, ytitle, height=400)
    if ymax is not None:
        fig.update_yaxes(range=[0, ymax])
    return fig
