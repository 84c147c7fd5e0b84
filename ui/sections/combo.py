"""Combo page: the two terms, why the total can be negative, and the alpha x ce_ratio map."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ..figures import charts, palette
from ..i18n import t
from ..runtime import cache

GRID = tuple(float(v) for v in np.round(np.linspace(0.0, 1.0, 21), 3))


def parts(ctx) -> None:
    p = ctx.params
    alpha, r, s = float(p["alpha"]), float(p["ce_ratio"]), float(p["smooth"])
    cp = cache.combo_parts(ctx.digest, alpha, r, s, ctx.y_true, ctx.y_pred)
    fig = go.Figure(
        go.Waterfall(
            x=["ce_ratio x wCE", "- (1 - ce_ratio) x DSC", t("combo.parts.total")],
            measure=["relative", "relative", "total"],
            y=[cp["ce_term"], cp["dice_term"], 0],
            text=[f"{cp['ce_term']:+.3f}", f"{cp['dice_term']:+.3f}", f"{cp['total']:.3f}"],
            textposition="outside",
            increasing=dict(marker=dict(color=palette.FP_COLOR)),
            decreasing=dict(marker=dict(color=palette.TP_COLOR)),
            totals=dict(marker=dict(color=palette.MARK_COLOR)),
        )
    )
    fig.add_hline(
        y=cp["minimum"],
        line=dict(dash="dot", color="black"),
        annotation_text=t("combo.parts.best", minimum=f"{cp['minimum']:.2f}"),
        annotation_position="bottom right",
    )
    fig.add_hline(y=0, line=dict(color="#999", width=1))
    fig = charts.style(fig, t("combo.parts.title"), "", t("combo.parts.value"), height=380)
    fig.update_layout(hovermode="closest", showlegend=False)
    c1, c2 = st.columns([1.2, 1])
    with c1:
        ctx.chart(fig, "combo-waterfall")
    with c2:
        st.markdown(_parts_text(cp, r))


def _parts_text(cp: dict, ce_ratio: float) -> str:
    """The two terms, the total with the numbers filled in, and why it may be negative."""
    return t(
        "combo.parts.explain",
        wce=f"{cp['wce']:.4f}",
        wce_positive=f"{cp['wce_positive']:.4f}",
        wce_negative=f"{cp['wce_negative']:.4f}",
        dsc=f"{cp['dsc']:.4f}",
        ratio=f"{ce_ratio:g}",
        rest=f"{1 - ce_ratio:g}",
        total=f"{cp['total']:.4f}",
        sign=t("combo.parts.negative") if cp["negative"] else t("combo.parts.positive"),
        minimum=f"{cp['minimum']:.2f}",
    )


def grid(ctx) -> None:
    p = ctx.params
    g = cache.combo_grid(ctx.digest, float(p["smooth"]), GRID, ctx.y_true, ctx.y_pred)
    fig = go.Figure(
        go.Heatmap(
            x=g["alpha"],
            y=g["ce_ratio"],
            z=g["loss"],
            colorscale="Cividis",
            colorbar=dict(title=t("charts.loss")),
            hovertemplate=f"alpha %{{x}}<br>ce_ratio %{{y}}<br>{t('charts.loss')} %{{z:.4f}}"
            "<extra></extra>",
        )
    )
    fig.add_contour(
        x=g["alpha"],
        y=g["ce_ratio"],
        z=g["loss"],
        contours=dict(start=0, end=0, size=1, coloring="lines", showlabels=True),
        line=dict(color="white", width=3),
        showscale=False,
        name=t("combo.grid.zero"),
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[p["alpha"]],
        y=[p["ce_ratio"]],
        mode="markers+text",
        text=[t("charts.you")],
        textposition="top center",
        textfont=dict(color="white", size=15),
        marker=dict(
            symbol="x", size=16, color=palette.MARK_COLOR, line=dict(color="black", width=1.5)
        ),
        showlegend=False,
    )
    fig = charts.style(
        fig,
        t("combo.grid.title"),
        t("combo.grid.alpha_axis"),
        t("combo.grid.ratio_axis"),
        height=440,
    )
    fig.update_layout(hovermode="closest")
    c1, c2 = st.columns([1.25, 1])
    with c1:
        ctx.chart(fig, "combo-grid")
    c2.markdown(t("combo.grid.explain"))
