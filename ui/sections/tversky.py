"""Tversky page: the alpha x beta square, weighted errors, and where the loss changes its mind."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from teaching import tversky as tversky_numbers

from ..figures import charts, images, palette
from ..runtime import cache

GRID = tuple(float(v) for v in np.round(np.linspace(0.0, 1.0, 41), 3))
LANDMARKS = [
    (0.5, 0.5, "Dice", "top center"),
    (1.0, 1.0, "Jaccard", "bottom left"),
    (0.3, 0.7, "Salehi et al.", "top center"),
]


def _marks(fig: go.Figure, alpha: float, beta: float) -> None:
    fig.add_scatter(
        x=[m[0] for m in LANDMARKS],
        y=[m[1] for m in LANDMARKS],
        text=[m[2] for m in LANDMARKS],
        mode="markers+text",
        textposition=[m[3] for m in LANDMARKS],
        marker=dict(symbol="diamond", size=11, color="white", line=dict(color="black", width=1.5)),
        textfont=dict(color="white", size=14),
        name="landmarks",
        showlegend=False,
        hovertemplate="%{text}: alpha %{x}, beta %{y}<extra></extra>",
    )
    fig.add_scatter(
        x=[alpha],
        y=[beta],
        mode="markers+text",
        text=["you"],
        textposition="bottom center",
        marker=dict(
            symbol="x", size=16, color=palette.MARK_COLOR, line=dict(color="black", width=1.5)
        ),
        textfont=dict(color="white", size=15),
        name="your sliders",
        showlegend=False,
    )


def heatmap(ctx) -> None:
    p = ctx.params
    alpha, beta = float(p["alpha"]), float(p["beta"])
    grid = cache.tversky_grid(ctx.digest, float(p["smooth"]), GRID, ctx.y_true, ctx.y_pred)
    fig = go.Figure(
        go.Heatmap(
            x=GRID,
            y=GRID,
            z=grid,
            colorscale="Viridis",
            zmin=0,
            zmax=max(1e-6, float(grid.max())),
            colorbar=dict(title="loss"),
            hovertemplate="alpha %{x}<br>beta %{y}<br>loss %{z:.4f}<extra></extra>",
        )
    )
    _marks(fig, alpha, beta)
    fig = charts.style(
        fig,
        "Your loss over the alpha x beta square",
        "alpha (price of a false positive)",
        "beta (price of a false negative)",
        height=460,
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(range=[-0.02, 1.02], constrain="domain")
    fig.update_yaxes(range=[-0.02, 1.02], scaleanchor="x")
    c1, c2 = st.columns([1.25, 1])
    c1.plotly_chart(fig, width="stretch", key="tv-heat")
    with c2:
        t = cache.tversky_terms(ctx.digest, alpha, beta, float(p["smooth"]), ctx.y_true, ctx.y_pred)
        bar = go.Figure()
        for name, val, col in (
            ("TP", t["TP"], palette.TP_COLOR),
            (f"{alpha:g} x FP", t["alpha_FP"], palette.FP_COLOR),
            (f"{beta:g} x FN", t["beta_FN"], palette.FN_COLOR),
        ):
            bar.add_bar(
                x=[val],
                y=["denominator"],
                orientation="h",
                name=name,
                marker_color=col,
                text=[f"{name}: {val:.0f}"],
                textposition="inside",
            )
        bar = charts.style(bar, "What the denominator is made of", "soft pixels", "", height=230)
        bar.update_layout(barmode="stack", hovermode="closest", showlegend=False)
        st.plotly_chart(bar, width="stretch", key="tv-denominator")
        st.markdown(
            f"Index = TP / (TP + alpha FP + beta FN) = {t['TP']:.0f} / {t['denominator']:.0f} "
            f"= **{t['index']:.3f}**, loss **{t['loss']:.4f}**.\n\n"
            f"Your prediction has FP = {t['FP']:.0f} and FN = {t['FN']:.0f}. "
            + (
                "Its false negatives outweigh its false positives, so **beta** moves the loss "
                "more: walk up the heatmap."
                if t["FN"] > t["FP"]
                else "Its false positives outweigh its false negatives, so **alpha** moves "
                "the loss more: walk right on the heatmap."
                if t["FP"] > t["FN"]
                else "FP and FN are balanced here."
            )
        )


def _preference_figure(pref: dict, alpha: float, beta: float) -> go.Figure:
    """Where over-segmentation (orange) or under-segmentation (blue) wins, and the tie line."""
    z = np.where(pref["a_preferred"], 1.0, 0.0)
    fig = go.Figure(
        go.Heatmap(
            x=pref["alpha"],
            y=pref["beta"],
            z=z,
            zmin=0,
            zmax=1,
            showscale=False,
            colorscale=[[0, "#cfe3f3"], [0.5, "#cfe3f3"], [0.5, "#fde2b8"], [1, "#fde2b8"]],
            customdata=pref["diff"],
            hovertemplate="alpha %{x}<br>beta %{y}<br>loss A - loss B = %{customdata:.4f}<extra></extra>",
        )
    )
    bstar = np.asarray(pref["beta_star"], dtype=float)
    ok = np.isfinite(bstar) & (bstar >= 0) & (bstar <= 1.02)
    if ok.any():
        fig.add_scatter(
            x=np.asarray(pref["alpha"])[ok],
            y=bstar[ok],
            mode="lines",
            line=dict(color="black", width=3),
            name="equal losses",
        )
    _marks(fig, alpha, beta)
    fig.update_traces(textfont=dict(color="black"), selector=dict(mode="markers+text"))
    fig = charts.style(
        fig,
        "Preferred: orange = A, blue = B",
        "alpha (price of a false positive)",
        "beta (price of a false negative)",
        height=430,
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(range=[-0.02, 1.02], constrain="domain")
    fig.update_yaxes(range=[-0.02, 1.02], scaleanchor="x")
    return fig


def _verdict(pref: dict, alpha: float, beta: float, smooth: float) -> str:
    la, lb = tversky_numbers.candidate_losses(pref, alpha, beta, smooth)
    winner = (
        "A, the over-segmentation"
        if la < lb
        else "B, the under-segmentation"
        if lb < la
        else "neither"
    )
    return (
        f"At your alpha = {alpha:g}, beta = {beta:g}: loss(A) = **{la:.4f}**, loss(B) = "
        f"**{lb:.4f}**, so the loss prefers **{winner}**. The black line is where the two tie; "
        "crossing it flips the preference. "
        + (
            "Above the line (false negatives dear) a model is pushed to over-segment when "
            "unsure; below it, to under-segment."
            if pref["a_preferred_above"]
            else "Here the preference is reversed: above the line the loss favours the "
            "smaller mask."
        )
    )


def changes_its_mind(ctx) -> None:
    p = ctx.params
    alpha, beta = float(p["alpha"]), float(p["beta"])
    if float(np.sum(ctx.y_true >= 0.5)) < 30:
        st.warning(
            "This view grows and shrinks the ground-truth object, so it needs one with at least "
            "30 pixels. Pick a preset with a visible object or paint one."
        )
        return
    amount = st.slider("How many pixels to grow / shrink the object by", 1, 8, 3, key="tv-amount")
    res = cache.preference(ctx.digest, amount, float(p["smooth"]), GRID, ctx.y_true)
    cands, pref = res["candidates"], res["preference"]
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.image(
        images.overlap_rgb(ctx.y_true, cands["over"]),
        width="stretch",
        caption=f"A: over-segmented, FP = {cands['fp']:.0f} px",
    )
    c2.image(
        images.overlap_rgb(ctx.y_true, cands["under"]),
        width="stretch",
        caption=f"B: under-segmented, FN = {cands['fn']:.0f} px",
    )
    c3.plotly_chart(_preference_figure(pref, alpha, beta), width="stretch", key="tv-pref")
    st.markdown(_verdict(pref, alpha, beta, float(p["smooth"])))
