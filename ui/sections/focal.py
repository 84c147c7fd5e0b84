"""Focal page: what gamma does to hard and easy pixels, and the two meanings of alpha."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ..figures import charts, images, palette
from ..runtime import cache

FAMILY = (0.0, 0.5, 1.0, 2.0, 5.0)
SWEEP = tuple(float(g) for g in np.round(np.linspace(0.0, 5.0, 51), 2))


def gamma_family(ctx) -> None:
    gamma = float(ctx.params["gamma"])
    gammas = tuple(sorted(set(FAMILY) | {round(gamma, 2)}))
    fam = cache.focal_family(gammas)
    c1, c2 = st.columns(2)
    figs = [
        charts.family_figure(
            fam["p_t"],
            fam[field],
            fam["gamma"],
            gamma,
            title=title,
            xtitle="p_t: probability given to the right answer",
            ytitle=ytitle,
            ymax=ymax,
        )
        for field, title, ytitle, ymax in (
            ("loss", "Loss of one pixel against p_t (alpha = 1)", "loss", 5),
            ("modulating", "The modulating factor (1 - p_t)^gamma", "weight kept", None),
        )
    ]
    c1.plotly_chart(figs[0], width="stretch", key="focal-family")
    c2.plotly_chart(figs[1], width="stretch", key="focal-mod")
    kept_easy = (1 - 0.9) ** gamma
    kept_hard = (1 - 0.1) ** gamma
    st.markdown(
        f"At **gamma = {gamma:g}** a pixel already right with p_t = 0.9 keeps "
        f"**{kept_easy:.1%}** of its cross-entropy, a pixel that is badly wrong (p_t = 0.1) "
        f"keeps **{kept_hard:.1%}**. Compared with plain BCE, the hard pixel's weight relative to "
        f"the easy one grows **{kept_hard / kept_easy:,.0f}-fold**. This is the picture from "
        "Lin et al. (2017)."
    )


def easy_hard(ctx) -> None:
    p = ctx.params
    split = cache.focal_split(
        ctx.digest, float(p["alpha"]), bool(p["class_balanced"]), SWEEP, ctx.y_true, ctx.y_pred
    )
    gamma = float(p["gamma"])
    i = int(np.argmin(np.abs(np.asarray(split["gamma"]) - gamma)))
    c1, c2 = st.columns([1.3, 1])
    with c1:
        fig = go.Figure()
        fig.add_scatter(
            x=split["gamma"],
            y=split["hard"],
            name="hard pixels (p_t <= 0.5)",
            stackgroup="one",
            line=dict(color=palette.UP_COLOR),
        )
        fig.add_scatter(
            x=split["gamma"],
            y=split["easy"],
            name="easy pixels (p_t > 0.5)",
            stackgroup="one",
            line=dict(color=palette.FN_COLOR),
        )
        fig.add_vline(x=gamma, line=dict(color=palette.MARK_COLOR, width=3, dash="dash"))
        fig = charts.style(
            fig, "Your masks: where the loss comes from as gamma grows", "gamma", "loss"
        )
        st.plotly_chart(fig, width="stretch", key="focal-split")
        share = split["hard_share"][i]
        st.markdown(
            f"Your prediction has **{split['n_hard']:,}** hard and **{split['n_easy']:,}** easy "
            f"pixels. At gamma = {split['gamma'][i]:g} the hard ones carry **{share:.1%}** of the "
            f"loss (at gamma = 0: {split['hard_share'][0]:.1%})."
        )
    with c2:
        w = cache.focal_weights(ctx.digest, gamma, ctx.y_true, ctx.y_pred)
        img, vmax = images.sequential_rgb(w, vmax=1.0)
        st.image(img, width="stretch")
        st.caption(
            f"Weight map (1 - p_t)^{gamma:g}: dark pixels still count, white ones are "
            f"silenced. {np.mean(w < 0.01):.0%} of the pixels keep less than 1 % of their "
            "cross-entropy."
        )


def alpha_forms(ctx) -> None:
    p = ctx.params
    cmp_ = cache.focal_alpha(
        ctx.digest, float(p["alpha"]), float(p["gamma"]), ctx.y_true, ctx.y_pred
    )
    names = ["no alpha", f"blog: scalar alpha = {cmp_['alpha']:g}", "paper: class-balanced"]
    parts = [cmp_["unweighted"], cmp_["scalar"], cmp_["class_balanced"]]
    fig = go.Figure()
    fig.add_bar(
        x=names,
        y=[q["positive"] for q in parts],
        name="from foreground pixels",
        marker_color=palette.TP_COLOR,
    )
    fig.add_bar(
        x=names,
        y=[q["negative"] for q in parts],
        name="from background pixels",
        marker_color=palette.FP_COLOR,
    )
    fig = charts.style(fig, "The same focal loss with the two meanings of alpha", "", "loss")
    fig.update_layout(barmode="stack", hovermode="closest")
    c1, c2 = st.columns([1.3, 1])
    c1.plotly_chart(fig, width="stretch", key="focal-alpha")
    with c2:
        st.markdown(
            f"- A **scalar alpha** multiplies every pixel: the total becomes "
            f"{cmp_['scalar_ratio']:.3g}x the unweighted one and the foreground share stays "
            f"**{parts[1]['positive_share']:.1%}**. Gradient descent takes a smaller step, "
            "nothing else changes.\n"
            f"- The **class-balanced alpha** gives foreground alpha and background 1 - alpha: "
            f"the foreground share moves to **{parts[2]['positive_share']:.1%}**.\n\n"
            "Lin et al. (2017) used the class-balanced form with alpha = 0.25, which "
            "*down-weights* the rare class: gamma already protects it, and the two interact. "
            "Tick *class-balanced* above to train with it."
        )


def gamma_focus(ctx) -> None:
    gamma_family(ctx)
    st.divider()
    easy_hard(ctx)
