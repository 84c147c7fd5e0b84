"""Focal Tversky page: the exponent, in the blog's and the paper's conventions."""

from __future__ import annotations

import streamlit as st

from ..figures import charts, palette
from ..i18n import t
from ..runtime import cache

FAMILY = (0.5, 0.75, 1.0, 1.5, 2.0)


def exponent(ctx) -> None:
    gamma = float(ctx.params["gamma"])
    gammas = tuple(sorted(set(FAMILY) | {round(gamma, 3)}))
    cur = cache.focal_tversky_curve(gammas)
    p = ctx.params
    tl = cache.tversky_terms(
        ctx.digest, float(p["alpha"]), float(p["beta"]), float(p["smooth"]), ctx.y_true, ctx.y_pred
    )["loss"]
    ti_now = 1.0 - tl
    c1, c2 = st.columns(2)
    for col, field, title, ytitle in (
        (c1, "blog", t("focal_tversky.loss_title"), t("charts.loss")),
        (c2, "blog_grad", t("focal_tversky.slope_title"), t("focal_tversky.slope_axis")),
    ):
        fig = charts.family_figure(
            cur["ti"],
            cur[field],
            cur["gamma"],
            gamma,
            title=title,
            xtitle=t("focal_tversky.ti_axis"),
            ytitle=ytitle,
            ymax=4 if field == "blog_grad" else None,
        )
        fig.add_vline(
            x=ti_now,
            line=dict(color=palette.MARK_COLOR, width=3, dash="dash"),
            annotation_text=t("focal_tversky.your_ti", ti=f"{ti_now:.3f}"),
            annotation_position="bottom left",
        )
        with col:
            ctx.chart(fig, f"ft-{field}")
    st.markdown(
        t(
            "focal_tversky.now",
            tversky=f"{tl:.4f}",
            gamma=f"{gamma:g}",
            raised=f"{tl**gamma:.4f}",
        )
    )
    st.markdown(
        t(
            "focal_tversky.conventions",
            paper_button=t("params.reset.paper"),
            wrong=f"{tl ** (4 / 3):.4f}",
            right=f"{tl**0.75:.4f}",
        )
    )
