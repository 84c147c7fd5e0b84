"""Focal page: what gamma does to hard and easy pixels, and the two meanings of alpha."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from teaching import slices
from teaching.registry import get as get_spec

from ..figures import charts, images, palette
from ..i18n import t
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
            xtitle=t("focal.family.p_t_axis"),
            ytitle=ytitle,
            ymax=ymax,
        )
        for field, title, ytitle, ymax in (
            ("loss", t("focal.family.loss_title"), t("charts.loss"), 5),
            ("modulating", t("focal.family.factor_title"), t("focal.family.weight_kept"), None),
        )
    ]
    with c1:
        ctx.chart(figs[0], "focal-family")
    with c2:
        ctx.chart(figs[1], "focal-mod")
    kept_easy = (1 - 0.9) ** gamma
    kept_hard = (1 - 0.1) ** gamma
    st.markdown(
        t(
            "focal.family.kept",
            gamma=f"{gamma:g}",
            easy=f"{kept_easy:.1%}",
            hard=f"{kept_hard:.1%}",
            fold=f"{kept_hard / kept_easy:,.0f}",
        )
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
            name=t("focal.split.hard"),
            stackgroup="one",
            line=dict(color=palette.UP_COLOR),
        )
        fig.add_scatter(
            x=split["gamma"],
            y=split["easy"],
            name=t("focal.split.easy"),
            stackgroup="one",
            line=dict(color=palette.FN_COLOR),
        )
        fig.add_vline(x=gamma, line=dict(color=palette.MARK_COLOR, width=3, dash="dash"))
        fig = charts.style(fig, t("focal.split.title"), "gamma", t("charts.loss"), height=380)
        ctx.chart(fig, "focal-split")
        share = split["hard_share"][i]
        st.markdown(
            t(
                "focal.split.summary",
                n_hard=f"{split['n_hard']:,}",
                n_easy=f"{split['n_easy']:,}",
                gamma=f"{split['gamma'][i]:g}",
                share=f"{share:.1%}",
                share0=f"{split['hard_share'][0]:.1%}",
            )
        )
    with c2:
        w = cache.focal_weights(ctx.digest, gamma, ctx.y_true, ctx.y_pred)
        img, vmax = images.sequential_rgb(w, vmax=1.0)
        st.image(img, width="stretch")
        st.caption(
            t("focal.split.weight_map", gamma=f"{gamma:g}", silenced=f"{np.mean(w < 0.01):.0%}")
        )


def alpha_forms(ctx) -> None:
    p = ctx.params
    cmp_ = cache.focal_alpha(
        ctx.digest, float(p["alpha"]), float(p["gamma"]), ctx.y_true, ctx.y_pred
    )
    scalar = t("focal.alpha.scalar", alpha=f"{cmp_['alpha']:g}")
    names = [
        # two short lines per bar: one long line is rotated and runs into the legend
        t("focal.alpha.none"),
        f"{t('focal.alpha.blog')}<br>{scalar}",
        f"{t('focal.alpha.paper')}<br>{t('focal.alpha.balanced')}",
    ]
    parts = [cmp_["unweighted"], cmp_["scalar"], cmp_["class_balanced"]]
    fig = go.Figure()
    fig.add_bar(
        x=names,
        y=[q["positive"] for q in parts],
        name=t("focal.alpha.from_foreground"),
        marker_color=palette.TP_COLOR,
    )
    fig.add_bar(
        x=names,
        y=[q["negative"] for q in parts],
        name=t("focal.alpha.from_background"),
        marker_color=palette.FP_COLOR,
    )
    fig = charts.style(fig, t("focal.alpha.title"), "", t("charts.loss"))
    fig.update_layout(barmode="stack", hovermode="closest")
    c1, c2 = st.columns([1.3, 1])
    with c1:
        ctx.chart(fig, "focal-alpha")
    with c2:
        st.markdown(
            t(
                "focal.alpha.explain",
                ratio=f"{cmp_['scalar_ratio']:.3g}",
                scalar_share=f"{parts[1]['positive_share']:.1%}",
                balanced_share=f"{parts[2]['positive_share']:.1%}",
            )
        )


def gamma_focus(ctx) -> None:
    gamma_family(ctx)
    st.divider()
    easy_hard(ctx)


def _points(curve, ymax: float = 2.0) -> str:
    """A curve as SVG points on the component's 200 x 40 plot, losses above ``ymax`` clipped."""
    n = len(curve) - 1
    return " ".join(
        f"{200 * k / n:.1f},{39 - 38 * min(float(y), ymax) / ymax:.1f}" for k, y in enumerate(curve)
    )


def _family_plot(family) -> dict:
    """The curve family beside the gamma slider: FAMILY in grey, the current member on top."""
    steps = slices.param_steps(get_spec("focal").param("gamma"))
    members = [family[steps.index(g)] for g in FAMILY]
    return {
        "title": t("live.focal_family"),
        "context": [_points(c) for c in members],
        "points": [_points(c) for c in family],
    }


def _kept(share: float) -> str:
    """A weight kept, as a percentage that never reads 0.0 % while it is not zero."""
    return f"{share:.1%}" if share >= 0.001 else f"{100 * share:.1g}%"


def live_views(steps: dict) -> dict:
    """The easy / hard split beside the gamma slider, at every gamma step (it follows the drag)."""
    g = steps["gamma"]
    return {
        "gamma": {
            "plot": _family_plot(g["family"]),
            "lines": [
                [t("live.focal_share", share=f"{s:.1%}") for s in g["hard_share"]],
                [
                    t("live.focal_kept", easy=_kept(e), hard=_kept(h))
                    for e, h in zip(g["kept_easy"], g["kept_hard"], strict=True)
                ],
            ],
        }
    }
