"""Combo page: the two terms, why the total can be negative, and the alpha x ce_ratio map."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ..figures import charts, palette
from ..runtime import cache

GRID = tuple(float(v) for v in np.round(np.linspace(0.0, 1.0, 21), 3))


def parts(ctx) -> None:
    p = ctx.params
    alpha, r, s = float(p["alpha"]), float(p["ce_ratio"]), float(p["smooth"])
    cp = cache.combo_parts(ctx.digest, alpha, r, s, ctx.y_true, ctx.y_pred)
    fig = go.Figure(
        go.Waterfall(
            x=["ce_ratio x wCE", "- (1 - ce_ratio) x DSC", "total"],
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
        annotation_text=f"best possible: {cp['minimum']:.2f}",
        annotation_position="bottom right",
    )
    fig.add_hline(y=0, line=dict(color="#999", width=1))
    fig = charts.style(fig, "How the two terms build the Combo value", "", "value", height=380)
    fig.update_layout(hovermode="closest", showlegend=False)
    c1, c2 = st.columns([1.2, 1])
    c1.plotly_chart(fig, width="stretch", key="combo-waterfall")
    with c2:
        st.markdown(
            f"- Weighted cross-entropy wCE = **{cp['wce']:.4f}** (foreground part "
            f"{cp['wce_positive']:.4f}, background part {cp['wce_negative']:.4f}).\n"
            f"- Dice coefficient DSC = **{cp['dsc']:.4f}**, a score where higher is better.\n"
            f"- Total = {r:g} x {cp['wce']:.4f} - {1 - r:g} x {cp['dsc']:.4f} = "
            f"**{cp['total']:.4f}**.\n\n"
            + (
                "**Why negative?** The Dice coefficient is subtracted, so once the overlap is "
                "good it outweighs the cross-entropy. The loss still decreases as the "
                "prediction improves; only its zero point is unusual. "
                if cp["negative"]
                else "The value is positive now; improve the prediction (or lower ce_ratio) and "
                "it crosses zero. "
            )
            + f"Its floor is -(1 - ce_ratio) = {cp['minimum']:.2f}."
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
            colorbar=dict(title="loss"),
            hovertemplate="alpha %{x}<br>ce_ratio %{y}<br>loss %{z:.4f}<extra></extra>",
        )
    )
    fig.add_contour(
        x=g["alpha"],
        y=g["ce_ratio"],
        z=g["loss"],
        contours=dict(start=0, end=0, size=1, coloring="lines", showlabels=True),
        line=dict(color="white", width=3),
        showscale=False,
        name="loss = 0",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[p["alpha"]],
        y=[p["ce_ratio"]],
        mode="markers+text",
        text=["you"],
        textposition="top center",
        textfont=dict(color="white", size=15),
        marker=dict(
            symbol="x", size=16, color=palette.MARK_COLOR, line=dict(color="black", width=1.5)
        ),
        showlegend=False,
    )
    fig = charts.style(
        fig,
        "Combo value of your prediction over alpha x ce_ratio (white: zero)",
        "alpha (weight of foreground in the CE)",
        "ce_ratio (share of CE)",
        height=440,
    )
    fig.update_layout(hovermode="closest")
    c1, c2 = st.columns([1.25, 1])
    c1.plotly_chart(fig, width="stretch", key="combo-grid")
    c2.markdown(
        "Moving **ce_ratio** down hands the loss to the Dice coefficient, so every point drops "
        "towards -1; moving it up hands it to the cross-entropy, which is never negative. "
        "**alpha** only acts through the cross-entropy: above 0.5 it charges missed "
        "foreground more, below 0.5 false alarms. Below the white contour the value is negative."
    )
