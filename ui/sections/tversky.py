"""Tversky page: the alpha x beta square, weighted errors, and where the loss changes its mind."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from teaching import slices
from teaching import tversky as tversky_numbers
from teaching.registry import get as get_spec

from ..figures import charts, images, palette
from ..i18n import t
from ..runtime import cache

GRID = tuple(float(v) for v in np.round(np.linspace(0.0, 1.0, 41), 3))
#: Named points of the alpha x beta square (names of losses and of a paper: not translated).
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
    you = t("charts.you")
    fig.add_scatter(
        x=[alpha],
        y=[beta],
        mode="markers+text",
        text=[you],
        textposition="bottom center",
        marker=dict(
            symbol="x", size=16, color=palette.MARK_COLOR, line=dict(color="black", width=1.5)
        ),
        textfont=dict(color="white", size=15),
        name=you,
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
            colorbar=dict(title=t("charts.loss")),
            hovertemplate=f"alpha %{{x}}<br>beta %{{y}}<br>{t('charts.loss')} %{{z:.4f}}"
            "<extra></extra>",
        )
    )
    _marks(fig, alpha, beta)
    fig = charts.style(
        fig, t("tversky.square.title"), t("tversky.alpha_axis"), t("tversky.beta_axis"), height=460
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(range=[-0.02, 1.02], constrain="domain")
    fig.update_yaxes(range=[-0.02, 1.02], scaleanchor="x")
    c1, c2 = st.columns([1.25, 1])
    with c1:
        ctx.chart(fig, "tv-heat")
    with c2:
        terms = cache.tversky_terms(
            ctx.digest, alpha, beta, float(p["smooth"]), ctx.y_true, ctx.y_pred
        )
        bar = go.Figure()
        for name, val, col in (
            ("TP", terms["TP"], palette.TP_COLOR),
            (f"{alpha:g} x FP", terms["alpha_FP"], palette.FP_COLOR),
            (f"{beta:g} x FN", terms["beta_FN"], palette.FN_COLOR),
        ):
            bar.add_bar(
                x=[val],
                y=[t("tversky.square.denominator")],
                orientation="h",
                name=name,
                marker_color=col,
                text=[f"{name}: {val:.0f}"],
                textposition="inside",
            )
        bar = charts.style(
            bar,
            t("tversky.square.denominator_title"),
            t("tversky.square.soft_pixels"),
            "",
            height=230,
        )
        bar.update_layout(barmode="stack", hovermode="closest", showlegend=False)
        ctx.chart(bar, "tv-denominator")
        st.markdown(_terms_text(terms))


def _terms_text(terms: dict) -> str:
    """The Tversky index of the masks and which of alpha and beta matters more for them."""
    if terms["FN"] > terms["FP"]:
        lever = t("tversky.square.beta_matters")
    elif terms["FP"] > terms["FN"]:
        lever = t("tversky.square.alpha_matters")
    else:
        lever = t("tversky.square.balanced")
    return t(
        "tversky.square.index",
        tp=f"{terms['TP']:.0f}",
        denominator=f"{terms['denominator']:.0f}",
        index=f"{terms['index']:.3f}",
        loss=f"{terms['loss']:.4f}",
        fp=f"{terms['FP']:.0f}",
        fn=f"{terms['FN']:.0f}",
        lever=lever,
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
            hovertemplate=f"alpha %{{x}}<br>beta %{{y}}<br>{t('tversky.flips.hover')} = "
            "%{customdata:.4f}<extra></extra>",
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
            name=t("tversky.flips.equal"),
        )
    _marks(fig, alpha, beta)
    fig.update_traces(textfont=dict(color="black"), selector=dict(mode="markers+text"))
    fig = charts.style(
        fig, t("tversky.flips.title"), t("tversky.alpha_axis"), t("tversky.beta_axis"), height=430
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(range=[-0.02, 1.02], constrain="domain")
    fig.update_yaxes(range=[-0.02, 1.02], scaleanchor="x")
    return fig


def _verdict(pref: dict, alpha: float, beta: float, smooth: float) -> str:
    la, lb = tversky_numbers.candidate_losses(pref, alpha, beta, smooth)
    if la < lb:
        winner = t("tversky.flips.winner_a")
    elif lb < la:
        winner = t("tversky.flips.winner_b")
    else:
        winner = t("tversky.flips.winner_none")
    side = (
        t("tversky.flips.above_over")
        if pref["a_preferred_above"]
        else t("tversky.flips.above_under")
    )
    return t(
        "tversky.flips.verdict",
        alpha=f"{alpha:g}",
        beta=f"{beta:g}",
        loss_a=f"{la:.4f}",
        loss_b=f"{lb:.4f}",
        winner=winner,
        side=side,
    )


def changes_its_mind(ctx) -> None:
    p = ctx.params
    alpha, beta = float(p["alpha"]), float(p["beta"])
    if float(np.sum(ctx.y_true >= 0.5)) < 30:
        st.warning(t("tversky.flips.too_small"))
        return
    amount = st.slider(t("tversky.flips.amount"), 1, 8, 3, key="tv-amount")
    res = cache.preference(ctx.digest, amount, float(p["smooth"]), GRID, ctx.y_true)
    cands, pref = res["candidates"], res["preference"]
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.image(
        images.overlap_rgb(ctx.y_true, cands["over"]),
        width="stretch",
        caption=t("tversky.flips.caption_a", fp=f"{cands['fp']:.0f}"),
    )
    c2.image(
        images.overlap_rgb(ctx.y_true, cands["under"]),
        width="stretch",
        caption=t("tversky.flips.caption_b", fn=f"{cands['fn']:.0f}"),
    )
    with c3:
        ctx.chart(_preference_figure(pref, alpha, beta), "tv-pref")
    st.markdown(_verdict(pref, alpha, beta, float(p["smooth"])))


def live_views(steps: dict) -> dict:
    """What follows the alpha and beta sliders' drag: the weighted FP and FN bars and the
    marker on a small alpha x beta map (the loss at every pair of steps).

    One scale for both sliders' bars (the largest weighted error anywhere on either
    range), so a bar's length means the same whichever slider moves.
    """
    by_param = {name: steps[name] for name in ("alpha", "beta")}
    top = max(max(max(v) for v in by.values()) for by in by_param.values()) or 1.0
    bars = (
        ("alpha_FP", "live.tversky_fp", palette.FP_COLOR),
        ("beta_FN", "live.tversky_fn", palette.FN_COLOR),
    )
    grid = np.asarray(steps["grid"])
    image = images.png_data_url(images.viridis_rgb(grid[::-1]))  # beta grows upwards
    n_a, n_b = grid.shape[1], grid.shape[0]
    return {
        name: {
            "bars": [
                {
                    "label": t(label),
                    "color": color,
                    "fill": [v / top for v in by[field]],
                    "texts": [f"{v:.1f}" for v in by[field]],
                }
                for field, label, color in bars
            ],
            "map": {
                "title": t("live.tversky_map"),
                "image": image,
                "marks": _marks_per_step(name, steps["at"], n_a, n_b),
            },
        }
        for name, by in by_param.items()
    }


def _marks_per_step(name: str, at: dict, n_a: int, n_b: int) -> list[list[float]]:
    """Where the marker sits on the map at each step of ``name``: [left %, top %] of the
    centre of the map's cell for (alpha, beta), the other parameter where it is."""
    spec = get_spec("tversky")
    out = []
    for v in slices.param_steps(spec.param(name)):
        a = v if name == "alpha" else at["alpha"]
        b = v if name == "beta" else at["beta"]
        left = (0.5 + a * (n_a - 1)) / n_a  # alpha and beta run from 0 to 1
        top = 1.0 - (0.5 + b * (n_b - 1)) / n_b
        out.append([round(100 * left, 2), round(100 * top, 2)])
    return out
